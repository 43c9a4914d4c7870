/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: broken() is live on Windows only. */
#include "wstest.h"

START_TEST(broken)
{
    ok(broken(1), "broken only\n");
    ok(0 || broken(5), "broken value\n");
    ok(1 || broken(0), "good value\n");
    ok(!broken(0), "broken(0)\n");
}
