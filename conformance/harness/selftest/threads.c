/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Self-test: checks from several threads at once; todo state and contexts
 * are per thread, counters and output lines stay whole. */
#include "wstest.h"

#define THREADS 8

static DWORD WINAPI thread_proc(void *arg)
{
    int id = (int)(INT_PTR)arg, j;

    winetest_push_context("thread %d", id);
    for (j = 0; j < 200; j++)
    {
        ok(1, "t%d pass %d\n", id, j);
        if (j % 20 == 0) ok(0, "t%d fail %d\n", id, j);
        if ((id & 1) && j % 10 == 0)
        {
            todo_wine
            {
                Sleep(0);
                ok(0, "t%d todo %d\n", id, j);
            }
        }
    }
    winetest_pop_context();
    return 0;
}

START_TEST(threads)
{
    HANDLE threads[THREADS];
    int i;

    for (i = 0; i < THREADS; i++)
    {
        threads[i] = CreateThread(NULL, 0, thread_proc, (void *)(INT_PTR)i, 0, NULL);
        ok(threads[i] != NULL, "CreateThread failed: %lu\n", GetLastError());
    }
    for (i = 0; i < 92; i++) ok(1, "main %d\n", i);
    WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE);
    for (i = 0; i < THREADS; i++) CloseHandle(threads[i]);
}
