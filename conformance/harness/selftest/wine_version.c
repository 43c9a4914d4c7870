/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: the Wine version the harness found, and todo_wine_before. */
#include "wstest.h"

START_TEST(wine_version)
{
    trace("wine_version=%u.%u\n", winetest_wine_version >> 16, winetest_wine_version & 0xffff);
    /* Behaviour as it would be with a gap fixed in Wine 10.0 and in 9.5:
     * right on Windows and from that version on. */
    todo_wine_before(10, 0)
        ok(!winetest_platform_is_wine || winetest_wine_version >= WINETEST_WINE_VERSION(10, 0),
           "fixed in 10.0\n");
    todo_wine_before(9, 5)
        ok(!winetest_platform_is_wine || winetest_wine_version >= WINETEST_WINE_VERSION(9, 5),
           "fixed in 9.5\n");
    /* A gap still open: a failure wherever the todo does not apply. */
    todo_wine_before(10, 0) ok(0, "still open\n");
}
