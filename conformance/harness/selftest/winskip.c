/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: win_skip is a skip on Windows and a failure on Wine. */
#include "wstest.h"

START_TEST(winskip)
{
    win_skip("function missing\n");
    todo_wine win_skip("missing inside todo\n");
}
