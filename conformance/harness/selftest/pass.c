/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: passing checks only; a trace; ok() returns the condition. */
#include "wstest.h"

START_TEST(pass)
{
    int ret;

    ret = ok(1, "first check\n");
    ok(ret == 1, "ok() returned %d for a passing check\n", ret);
    ok(2 + 2 == 4, "arithmetic %d\n", 2 + 2);
    trace("trace in pass %d\n", 42);
}
