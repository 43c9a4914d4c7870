/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: plain failures, ok_() locations, return value, last error kept. */
#include "wstest.h"

static void check_helper_(int line, int value)
{
    ok_(__FILE__, line)(value == 1, "helper got %d\n", value);
}
#define check_helper(v) check_helper_(4321, v)

START_TEST(fail)
{
    DWORD err;
    int ret;

    ok(1, "fine\n");
    ok(0, "first failure %d\n", 1);
    check_helper(2);
    ret = ok(0, "third failure\n");
    ok(ret == 0, "ok() returned %d for a failing check\n", ret);
    ok(0, "no newline");
    SetLastError(1234);
    ok(1, "keeps last error\n");
    err = GetLastError();
    ok(err == 1234, "last error %lu\n", err);
}
