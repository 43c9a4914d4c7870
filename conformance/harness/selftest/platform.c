/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: reports the platform the harness chose. */
#include "wstest.h"

START_TEST(platform)
{
    trace("platform=%s is_wine=%d\n", winetest_platform, winetest_platform_is_wine);
}
