/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Shared pieces of the reliability suite (ws2send_stress.exe): its scale
 * (quick or full, from the command line), a seeded random generator, figure
 * lines for the runner, and bounded waits.  Loopback only.
 */
#ifndef WS2SEND_STRESS_H
#define WS2SEND_STRESS_H

#include <stdint.h>

#include "util.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* "<exe> <subtest> [--quick] [--seed N] [--from N]": TRUE for --quick. */
BOOL stress_quick(void);
/* The value of an option "--name N" on the command line, or def. */
UINT64 stress_option(const char *name, UINT64 def);

/* A figure the runner collects: "figure: <subtest> <text>". */
void figure(const char *fmt, ...) WSTEST_PRINTF(1, 2);

/* xorshift64*: reproducible from the seed the runner prints. */
struct rng
{
    UINT64 state;
};
void rng_seed(struct rng *rng, UINT64 seed);
UINT32 rng_next(struct rng *rng);
/* Uniform in [0, n) for n > 0. */
UINT32 rng_below(struct rng *rng, UINT32 n);
/* Log-uniform in [lo, hi]: as many small values as large ones. */
UINT32 rng_log_range(struct rng *rng, UINT32 lo, UINT32 hi);

/* Milliseconds since an arbitrary start, 64-bit. */
static inline UINT64 now_ms(void)
{
    return GetTickCount64();
}

/* Waits for a thread at most timeout_ms; TRUE if it ended. */
BOOL join_thread(HANDLE thread, DWORD timeout_ms);
/* Waits until s is writable, at most timeout_ms; TRUE if it is. */
BOOL wait_writable(SOCKET s, DWORD timeout_ms);

/* Windows' error codes as this suite recognises them: the Winsock range
 * and the overlapped codes (WSA_IO_PENDING, WSA_OPERATION_ABORTED, ...). */
BOOL is_windows_error(int error);

/* The Windows handles this process has open. */
DWORD handle_count(void);

/* This process' host descriptors, counted by the runner on the Linux side
 * (tools/run_stress.py reads /proc/<pid>/fd): from Wine, Z:\proc\self is
 * the wineserver's, since the server opens files.  With --fd-probe DIR the
 * program leaves DIR\<label>.request and the runner answers in
 * DIR\<label>.count.  FALSE when there is no runner to ask. */
BOOL host_fd_count(const char *label, int *total, int *sockets);

#endif
