/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: context stack printed before messages, capped at 8 levels. */
#include "wstest.h"

START_TEST(context)
{
    int i;

    winetest_push_context("outer");
    ok(0, "msg one\n");
    winetest_push_context("inner %d", 2);
    ok(0, "msg two\n");
    trace("traced\n");
    winetest_pop_context();
    ok(0, "msg three\n");
    winetest_pop_context();
    ok(0, "msg four\n");

    for (i = 0; i < 10; i++) winetest_push_context("level%d", i);
    ok(0, "deep\n");
    for (i = 0; i < 10; i++) winetest_pop_context();
    ok(0, "after deep\n");

    winetest_push_context("sk");
    skip("skipped here\n");
    winetest_pop_context();
}
