/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: an access violation ends the subtest with the exception code. */
#include "wstest.h"

START_TEST(crash)
{
    volatile int *null = NULL;

    ok(1, "before the crash\n");
    *null = 1;
    ok(1, "not reached\n");
}
