/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: more than 255 failures; the exit code is capped. */
#include "wstest.h"

START_TEST(manyfail)
{
    int i;

    for (i = 0; i < 300; i++) ok(0, "failure %d\n", i);
}
