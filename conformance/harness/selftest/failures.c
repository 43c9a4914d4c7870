/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: winetest_get_failures() and winetest_add_failures(). */
#include "wstest.h"

START_TEST(failures)
{
    ok(0, "a\n");
    todo_if(1) ok(1, "b\n");
    trace("failures=%d\n", winetest_get_failures());
    winetest_add_failures(3);
    trace("failures=%d\n", winetest_get_failures());
}
