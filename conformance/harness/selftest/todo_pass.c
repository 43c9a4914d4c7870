/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: a check passing inside todo_wine (fixed bug, stale todo). */
#include "wstest.h"

START_TEST(todo_pass)
{
    todo_wine ok(1, "fixed bug\n");
}
