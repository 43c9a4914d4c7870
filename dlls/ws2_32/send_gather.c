/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fits a send's buffers within the host's limit.  One Linux sendmsg takes at
 * most UIO_MAXIOV (1024) buffers and Wine's driver hands the caller's array
 * to one sendmsg, so more fail with EMSGSIZE (WSAEMSGSIZE); Windows has no
 * such limit (Go writes 1025 buffers in one WSASend: writev_test.go).
 *
 * Adjacent buffers are joined without a copy; if more than the limit remain,
 * the tail is copied into one buffer, in order, so the request is still one
 * send with one byte count and one completion.  The copy must live as long
 * as Wine may read it: to the end of the call, or, for an overlapped send
 * left pending, until Wine has finished every send queued on the socket up
 * to it (afd_after_queued_sends).
 */
#include "log.h"
#include "provider.h"
#include "send_gather.h"

/* Linux' UIO_MAXIOV. */
#define HOST_MAX_BUFFERS 1024

BOOL gather_needed(const struct send_request *request)
{
    return request->count > HOST_MAX_BUFFERS;
}

static BOOL adjacent(const WSABUF *run, const WSABUF *next)
{
    return run->buf + run->len == next->buf;
}

/* Joins adjacent buffers and drops empty ones; writes at most max runs to
 * out (if not NULL) and returns how many there are in all. */
static DWORD join_runs(const WSABUF *in, DWORD count, WSABUF *out, DWORD max, DWORD *consumed)
{
    WSABUF run = {0};
    DWORD runs = 0, i;

    for (i = 0; i < count; i++)
    {
        if (!in[i].len) continue;
        if (runs && adjacent(&run, &in[i]))
        {
            run.len += in[i].len;   /* the API layer keeps totals within 32 bits */
            continue;
        }
        if (runs && out && runs <= max) out[runs - 1] = run;
        if (runs == max && consumed) *consumed = i;
        run = in[i];
        runs++;
    }
    if (runs && out && runs <= max) out[runs - 1] = run;
    return runs;
}

int gather_fit(const WSABUF *in, DWORD count, struct send_gather *gather)
{
    DWORD runs, kept, first_copied = count, i;
    SIZE_T tail = 0;
    char *p;

    memset(gather, 0, sizeof(*gather));
    runs = join_runs(in, count, NULL, HOST_MAX_BUFFERS, NULL);
    kept = runs <= HOST_MAX_BUFFERS ? runs : HOST_MAX_BUFFERS - 1;
    if (!(gather->buffers = HeapAlloc(GetProcessHeap(), 0, (kept + 1) * sizeof(WSABUF)))) return WSAENOBUFS;

    join_runs(in, count, gather->buffers, kept, &first_copied);
    gather->count = kept;
    if (!runs)
    {
        /* Nothing but empty buffers: one empty buffer sends the same. */
        gather->buffers[0] = in[0];
        gather->count = 1;
    }
    if (runs <= HOST_MAX_BUFFERS) return 0;

    /* The runs past the first kept ones start at in[first_copied]. */
    for (i = first_copied; i < count; i++) tail += in[i].len;
    if (!(gather->copy = HeapAlloc(GetProcessHeap(), 0, tail)))
    {
        gather_free(gather);
        return WSAENOBUFS;
    }
    for (i = first_copied, p = gather->copy; i < count; p += in[i].len, i++)
        memcpy(p, in[i].buf, in[i].len);
    gather->buffers[kept].buf = gather->copy;
    gather->buffers[kept].len = tail;
    gather->count = kept + 1;
    TRACE("%lu buffers sent as %lu, the last %Iu bytes copied", count, gather->count, tail);
    return 0;
}

void gather_free(struct send_gather *gather)
{
    HeapFree(GetProcessHeap(), 0, gather->buffers);
    HeapFree(GetProcessHeap(), 0, gather->copy);
    memset(gather, 0, sizeof(*gather));
}

static void CALLBACK free_copy(void *copy)
{
    TRACE("the pending send ended; copy %p freed", copy);
    HeapFree(GetProcessHeap(), 0, copy);
}

void gather_done(struct send_gather *gather, const struct send_request *request, BOOL pending)
{
    /* Wine copied the WSABUF array when the request was made; only the data
     * of a pending overlapped send is read later. */
    if (pending && gather->copy)
    {
        if (!afd_after_queued_sends(request->socket, free_copy, gather->copy))
            gather->copy = NULL;
        else
        {
            /* Leaking beats freeing memory Wine may still read. */
            ERR("socket %#Ix: cannot tell when a pending send ends; keeping its copied tail",
                (ULONG_PTR)request->socket);
            gather->copy = NULL;
        }
    }
    gather_free(gather);
}
