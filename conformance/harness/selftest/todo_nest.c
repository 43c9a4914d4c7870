/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: todo_wine_if, todo_if and nesting. */
#include "wstest.h"

START_TEST(todo_nest)
{
    todo_wine_if(0) ok(1, "not todo C\n");
    todo_wine_if(1) ok(0, "todo D\n");
    todo_if(1) ok(0, "todo_if E\n");
    todo_wine
    {
        todo_if(0)
        {
            ok(0, "nested G\n");
        }
    }
    todo_if(0)
    {
        todo_if(0) ok(1, "nested H\n");
    }
    todo_if(1)
    {
        todo_if(0) {}
        ok(1, "after inner block I\n");
    }
    ok(1, "after todo J\n");
}
