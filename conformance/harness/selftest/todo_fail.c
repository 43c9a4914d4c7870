/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: known failures inside todo_wine. */
#include "wstest.h"

START_TEST(todo_fail)
{
    todo_wine ok(0, "known bug %d\n", 1);
    todo_wine
    {
        ok(0, "known bug 2\n");
    }
}
