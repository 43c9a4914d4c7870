/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: skip. */
#include "wstest.h"

START_TEST(skip)
{
    skip("no ipv%d\n", 6);
    skip("second\n");
    ok(1, "still checked\n");
}
