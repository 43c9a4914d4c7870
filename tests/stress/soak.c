/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Ordering soak: four threads on each end of one TCP connection push chunks
 * to the other end with every kind of send (send, WSASend with 1-1,100
 * buffers, overlapped with an event, a completion port or a completion
 * routine, blocking and nonblocking), and each receiver checks every byte
 * where it lands.  One end is associated with a completion port and the
 * other uses completion routines: a socket cannot have both (an overlapped
 * call with a routine on a port-associated handle fails with WSAEINVAL).
 *
 * Each chunk is one send call: a 32-byte header (thread, sequence number,
 * length, the thread's stream offset, a check word) and a payload whose
 * every byte is a function of the thread and its stream offset.  Lost or
 * duplicated bytes shift the pattern, reordering within a thread breaks the
 * sequence, and another thread's bytes inside a chunk break both; all are
 * found at the first byte concerned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress.h"

#define SOAK_THREADS        4
#define CHUNK_MIN           (sizeof(struct chunk_header) + 1)
#define CHUNK_MAX           (1u << 20)
#define MAX_BUFFERS         1100
#define OVERLAPPED_DEPTH    3       /* overlapped sends a thread has in flight */
#define TOGGLE_EVERY        16      /* thread 0's chunks between blocking-mode flips */
#define STALL_MS            60000   /* no progress for this long is a hang */
#define CHUNK_MAGIC         0x53325753u     /* "SW2S" */
#define CHUNK_LAST          1

enum soak_mode
{
    MODE_SEND,          /* send(), one buffer */
    MODE_WSASEND,       /* WSASend, non-overlapped, 1-1,100 buffers */
    MODE_EVENT,         /* overlapped, event (low bit set: no port packet) */
    MODE_PORT,          /* overlapped, completion port (the port end) */
    MODE_ROUTINE,       /* overlapped, completion routine (the other end) */
    MODE_COUNT
};

struct soak_direction;

static const char *const mode_names[MODE_COUNT] = { "send", "WSASend", "event", "port", "routine" };

struct chunk_header
{
    UINT32 magic;
    UINT16 thread;
    UINT16 flags;
    UINT32 seq;
    UINT32 len;         /* whole chunk, header included */
    UINT64 offset;      /* bytes the thread sent before this chunk */
    UINT32 mode;
    UINT32 check;
};

C_ASSERT(sizeof(struct chunk_header) == 32);

static UINT32 header_check(const struct chunk_header *h)
{
    const BYTE *p = (const BYTE *)h;
    UINT32 x = 0x811c9dc5u;

    for (size_t i = 0; i < offsetof(struct chunk_header, check); i++) x = (x ^ p[i]) * 0x01000193u;
    return x;
}

/* The byte at a thread's stream position. */
static inline BYTE pattern_byte(UINT32 thread, UINT64 pos)
{
    UINT64 x = (pos + 1) * 0x9e3779b97f4a7c15ull ^ (thread + 1) * 0xc2b2ae3d27d4eb4full;

    return (BYTE)((x ^ (x >> 29)) >> 24);
}

/* One send in flight: its chunk, its buffers, and how it ended. */
struct soak_op
{
    WSAOVERLAPPED ov;           /* first: completion packets carry its address */
    enum soak_mode mode;
    HANDLE done;                /* ours, set when the completion arrived */
    volatile LONG finished;
    DWORD error;
    DWORD bytes;
    DWORD len;
    DWORD buffer_count;
    WSABUF buffers[MAX_BUFFERS];
    BYTE data[CHUNK_MAX];
};

struct soak_sender
{
    struct soak_direction *dir;
    UINT32 id;
    SOCKET s;
    UINT64 target;
    UINT64 sent;                /* bytes whose send completed in full */
    UINT32 seq;
    struct rng rng;
    struct soak_op *ops[OVERLAPPED_DEPTH];
    DWORD cuts[MAX_BUFFERS + 1];
    /* figures */
    UINT64 calls[MODE_COUNT];
    UINT64 would_block;
    UINT32 max_buffers;
    UINT32 toggles;
    /* failures */
    UINT32 errors;
    UINT32 short_counts;
    UINT32 timeouts;
    int first_error;
    char first_failure[256];
};

/* The receiver's view of the stream. */
struct stream_check
{
    BYTE header_bytes[sizeof(struct chunk_header)];
    UINT32 header_have;
    struct chunk_header header;
    UINT32 at;                  /* position inside the current chunk */
    UINT32 next_seq[SOAK_THREADS];
    UINT64 next_offset[SOAK_THREADS];
    BOOL last_seen[SOAK_THREADS];
    UINT32 threads_done;
    UINT64 received;
    UINT64 chunks;
    char error[200];
};

/* One way through the connection: four senders on tx, a receiver on rx. */
struct soak_direction
{
    const char *name;
    SOCKET tx, rx;
    HANDLE port;                /* tx's completion port, or NULL (routines) */
    volatile LONG stop_port;
    LONG foreign_packets;       /* port packets for sends that asked for none */
    struct soak_sender senders[SOAK_THREADS];
    struct stream_check check;
    BYTE recv_buf[1 << 20];
    UINT64 elapsed;
    UINT64 extra;               /* bytes after the last chunks */
};

static struct
{
    volatile LONG abort;        /* a sender or receiver failed: everyone stops */
    UINT32 max_buffers;         /* WSASend's buffer count cap */
    UINT32 modes;               /* bit mask of the modes used (--modes) */
    BOOL flip;                  /* flip blocking mode (--flip 0: never) */
} soak;

/* Counts a failure; the sender stops, and so does the soak. */
static void note_failure(struct soak_sender *sender, const struct soak_op *op, const char *what, int error)
{
    sender->errors++;
    soak.abort = 1;
    if (!sender->first_failure[0])
    {
        sender->first_error = error;
        snprintf(sender->first_failure, sizeof(sender->first_failure),
                 "thread %u, a %s chunk of %lu bytes in %lu buffers (its %u-th send): %s (%s %d; "
                 "Internal %#lx, InternalHigh %lu)",
                 sender->id, mode_names[op->mode], op->len, op->buffer_count, sender->seq, what,
                 strncmp(what, "short", 5) ? "error" : "bytes", error,
                 (unsigned long)op->ov.Internal, (unsigned long)op->ov.InternalHigh);
    }
}

/* The chunk that starts at the thread's stream offset. */
static void fill_chunk(struct soak_sender *sender, struct soak_op *op, enum soak_mode mode, UINT64 offset,
                       DWORD len)
{
    struct chunk_header header =
    {
        .magic = CHUNK_MAGIC, .thread = (UINT16)sender->id, .seq = sender->seq, .len = len,
        .offset = offset, .mode = mode,
    };

    if (offset + len >= sender->target) header.flags |= CHUNK_LAST;
    header.check = header_check(&header);
    memcpy(op->data, &header, sizeof(header));
    for (DWORD i = sizeof(header); i < len; i++) op->data[i] = pattern_byte(sender->id, offset + i);
    op->mode = mode;
    op->len = len;
    sender->seq++;
}

static int compare_dword(const void *a, const void *b)
{
    DWORD x = *(const DWORD *)a, y = *(const DWORD *)b;

    return x < y ? -1 : x > y;
}

/* Cuts the chunk into count buffers at random places (empty ones too). */
static void split_chunk(struct soak_sender *sender, struct soak_op *op, DWORD count)
{
    DWORD *cuts = sender->cuts;

    cuts[0] = 0;
    for (DWORD i = 1; i < count; i++) cuts[i] = rng_below(&sender->rng, op->len + 1);
    qsort(cuts + 1, count - 1, sizeof(DWORD), compare_dword);
    cuts[count] = op->len;
    for (DWORD i = 0; i < count; i++)
    {
        op->buffers[i].buf = (char *)op->data + cuts[i];
        op->buffers[i].len = cuts[i + 1] - cuts[i];
    }
    op->buffer_count = count;
    if (count > sender->max_buffers) sender->max_buffers = count;
}

static DWORD pick_buffer_count(struct soak_sender *sender)
{
    DWORD count = rng_below(&sender->rng, 2) ? 1 : rng_log_range(&sender->rng, 1, MAX_BUFFERS);

    return count > soak.max_buffers ? soak.max_buffers : count;
}

static void CALLBACK routine_done(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    struct soak_op *op = CONTAINING_RECORD(ov, struct soak_op, ov);

    op->error = error;
    op->bytes = bytes;
    InterlockedExchange(&op->finished, 1);
}

static DWORD WINAPI port_thread(void *arg)
{
    struct soak_direction *dir = arg;

    while (!dir->stop_port)
    {
        WSAOVERLAPPED *ov = NULL;
        ULONG_PTR key;
        DWORD bytes = 0;
        BOOL ret = GetQueuedCompletionStatus(dir->port, &bytes, &key, &ov, 200);
        struct soak_op *op;

        if (!ov) continue;
        op = CONTAINING_RECORD(ov, struct soak_op, ov);
        if (op->mode != MODE_PORT)
        {
            InterlockedIncrement(&dir->foreign_packets);
            continue;
        }
        op->error = ret ? 0 : GetLastError();
        op->bytes = bytes;
        InterlockedExchange(&op->finished, 1);
        SetEvent(op->done);
    }
    return 0;
}

/* A non-overlapped send of the whole chunk; WSAEWOULDBLOCK (the socket is
 * nonblocking for a while) waits for writability and tries again. */
static void send_sync(struct soak_sender *sender, struct soak_op *op)
{
    UINT64 start = now_ms();

    for (;;)
    {
        DWORD sent = 0;
        int ret, error;

        if (op->mode == MODE_SEND)
        {
            ret = send(sender->s, (const char *)op->data, op->len, 0);
            if (ret != SOCKET_ERROR) sent = ret;
        }
        else
            ret = WSASend(sender->s, op->buffers, op->buffer_count, &sent, 0, NULL, NULL);
        if (ret != SOCKET_ERROR)
        {
            if (sent != op->len)
            {
                sender->short_counts++;
                note_failure(sender, op, "short count", (int)sent);
            }
            sender->sent += op->len;
            return;
        }
        if ((error = WSAGetLastError()) != WSAEWOULDBLOCK)
        {
            note_failure(sender, op, mode_names[op->mode], error);
            return;
        }
        sender->would_block++;
        if (soak.abort) return;
        if (now_ms() - start > STALL_MS)
        {
            sender->timeouts++;
            note_failure(sender, op, "never writable again", error);
            return;
        }
        wait_writable(sender->s, 1000);
    }
}

static void issue_overlapped(struct soak_sender *sender, struct soak_op *op)
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = NULL;
    DWORD sent, *sent_ptr = rng_below(&sender->rng, 2) ? &sent : NULL;
    int ret, error;

    memset(&op->ov, 0, sizeof(op->ov));
    op->finished = 0;
    op->error = 0;
    op->bytes = 0;
    ResetEvent(op->done);
    if (op->mode == MODE_EVENT)
        op->ov.hEvent = (HANDLE)((ULONG_PTR)op->done | 1);
    else if (op->mode == MODE_ROUTINE)
        routine = routine_done;

    ret = WSASend(sender->s, op->buffers, op->buffer_count, sent_ptr, 0, &op->ov, routine);
    if (ret == SOCKET_ERROR && (error = WSAGetLastError()) != WSA_IO_PENDING)
    {
        /* Failed at once: no completion will come. */
        op->error = error;
        InterlockedExchange(&op->finished, 2);
    }
}

static void wait_overlapped(struct soak_sender *sender, DWORD slot)
{
    struct soak_op *op = sender->ops[slot];
    UINT64 start = now_ms();
    DWORD flags;

    while (!op->finished && now_ms() - start < (soak.abort ? 5000 : STALL_MS))
    {
        if (op->mode == MODE_ROUTINE)
            WaitForSingleObjectEx(op->done, 100, TRUE);
        else if (WaitForSingleObject(op->done, 100) == WAIT_OBJECT_0 && op->mode == MODE_EVENT)
        {
            if (!WSAGetOverlappedResult(sender->s, &op->ov, &op->bytes, FALSE, &flags))
                op->error = WSAGetLastError();
            InterlockedExchange(&op->finished, 1);
        }
    }
    if (!op->finished)
    {
        sender->timeouts++;
        note_failure(sender, op, "no completion", 0);
        /* The system may still use its buffers: leave it alone. */
        sender->ops[slot] = NULL;
        return;
    }
    if (op->error)
        note_failure(sender, op, mode_names[op->mode], op->error);
    else if (op->bytes != op->len)
    {
        sender->short_counts++;
        note_failure(sender, op, "short completion", (int)op->bytes);
    }
    sender->sent += op->len;
}

static DWORD WINAPI sender_thread(void *arg)
{
    struct soak_sender *sender = arg;
    u_long nonblocking = 0;

    while (sender->sent < sender->target && !soak.abort)
    {
        enum soak_mode mode = rng_below(&sender->rng, MODE_PORT + 1);

        if (!(soak.modes & (1u << mode))) continue;
        DWORD batch = mode >= MODE_EVENT ? 1 + rng_below(&sender->rng, OVERLAPPED_DEPTH) : 1;
        UINT64 planned = sender->sent;
        DWORD issued = 0;

        if (mode == MODE_PORT && !sender->dir->port) mode = MODE_ROUTINE;

        for (DWORD i = 0; i < batch && planned < sender->target; i++)
        {
            struct soak_op *op = sender->ops[i];
            DWORD len = rng_log_range(&sender->rng, CHUNK_MIN, CHUNK_MAX);

            fill_chunk(sender, op, mode, planned, len);
            planned += len;
            split_chunk(sender, op, mode == MODE_SEND ? 1 : pick_buffer_count(sender));
            sender->calls[mode]++;
            if (mode <= MODE_WSASEND)
                send_sync(sender, op);
            else
            {
                issue_overlapped(sender, op);
                issued++;
            }
        }
        for (DWORD i = 0; i < issued; i++)
            wait_overlapped(sender, i);

        /* Thread 0 flips the socket between blocking and nonblocking. */
        if (sender->id == 0 && soak.flip && sender->seq % TOGGLE_EVERY < batch)
        {
            nonblocking = !nonblocking;
            ioctlsocket(sender->s, FIONBIO, &nonblocking);
            sender->toggles++;
        }
    }
    return 0;
}

static BOOL check_header(struct stream_check *check)
{
    struct chunk_header *h = &check->header;

    memcpy(h, check->header_bytes, sizeof(*h));
    if (h->magic != CHUNK_MAGIC || h->check != header_check(h) || h->thread >= SOAK_THREADS
        || h->len < CHUNK_MIN || h->len > CHUNK_MAX)
        snprintf(check->error, sizeof(check->error), "no chunk header at stream byte %llu (after %llu chunks)",
                 check->received, check->chunks);
    else if (check->last_seen[h->thread])
        snprintf(check->error, sizeof(check->error), "thread %u: chunk %u after its last one", h->thread, h->seq);
    else if (h->seq != check->next_seq[h->thread])
        snprintf(check->error, sizeof(check->error), "thread %u: chunk %u where %u was due (%s)",
                 h->thread, h->seq, check->next_seq[h->thread],
                 h->seq < check->next_seq[h->thread] ? "duplicated" : "lost or reordered");
    else if (h->offset != check->next_offset[h->thread])
        snprintf(check->error, sizeof(check->error), "thread %u chunk %u: offset %llu where %llu was due",
                 h->thread, h->seq, h->offset, check->next_offset[h->thread]);
    else
        return TRUE;
    return FALSE;
}

/* Checks the next received bytes; FALSE on the first wrong one. */
static BOOL check_bytes(struct stream_check *check, const BYTE *data, UINT32 len)
{
    while (len)
    {
        struct chunk_header *h = &check->header;
        UINT32 take;

        if (check->header_have < sizeof(check->header_bytes))
        {
            take = min(len, sizeof(check->header_bytes) - check->header_have);
            memcpy(check->header_bytes + check->header_have, data, take);
            check->header_have += take;
            check->at += take;
            check->received += take;
            data += take;
            len -= take;
            if (check->header_have == sizeof(check->header_bytes) && !check_header(check)) return FALSE;
            if (check->header_have < sizeof(check->header_bytes)) continue;
        }
        take = min(len, h->len - check->at);
        for (UINT32 i = 0; i < take; i++)
        {
            BYTE want = pattern_byte(h->thread, h->offset + check->at + i);

            if (data[i] != want)
            {
                snprintf(check->error, sizeof(check->error),
                         "thread %u chunk %u (%s, %u bytes): byte %u is %#x, %#x was due (stream byte %llu)",
                         h->thread, h->seq, h->mode < MODE_COUNT ? mode_names[h->mode] : "?", h->len,
                         check->at + i, data[i], want, check->received + i);
                return FALSE;
            }
        }
        check->at += take;
        check->received += take;
        data += take;
        len -= take;
        if (check->at == h->len)
        {
            check->next_seq[h->thread]++;
            check->next_offset[h->thread] += h->len;
            if (h->flags & CHUNK_LAST)
            {
                check->last_seen[h->thread] = TRUE;
                check->threads_done++;
            }
            check->chunks++;
            check->header_have = 0;
            check->at = 0;
        }
    }
    return TRUE;
}

/* Receives until every thread's last chunk arrived, the stream broke or
 * nothing came for STALL_MS; then (or after a failure, discarding) to the
 * end of the stream, which comes when the senders are done. */
static DWORD WINAPI receiver_thread(void *arg)
{
    struct soak_direction *dir = arg;
    struct stream_check *check = &dir->check;
    UINT64 start = now_ms(), last_progress = start;
    BOOL checking = TRUE;

    for (;;)
    {
        fd_set readable;
        struct timeval tv = { 1, 0 };
        int ret;

        if (now_ms() - last_progress > (soak.abort ? 5000 : STALL_MS))
        {
            if (!check->error[0])
                snprintf(check->error, sizeof(check->error), "%s: nothing arrived for %llu s after %llu bytes%s",
                         dir->name, (now_ms() - last_progress) / 1000, check->received,
                         soak.abort ? " (the soak was stopped)" : "");
            break;
        }
        FD_ZERO(&readable);
        FD_SET(dir->rx, &readable);
        if (select(0, &readable, NULL, NULL, &tv) <= 0) continue;
        if ((ret = recv(dir->rx, (char *)dir->recv_buf, sizeof(dir->recv_buf), 0)) <= 0)
        {
            if (checking && !check->error[0])
                snprintf(check->error, sizeof(check->error), "%s: recv ended (%d, error %d) after %llu bytes",
                         dir->name, ret, WSAGetLastError(), check->received);
            break;
        }
        last_progress = now_ms();
        if (!checking)
            dir->extra += ret;
        else if (!check_bytes(check, dir->recv_buf, ret))
        {
            soak.abort = 1;
            checking = FALSE;
        }
        else if (check->threads_done == SOAK_THREADS)
        {
            dir->elapsed = now_ms() - start;
            checking = FALSE;
        }
    }
    return 0;
}

/* TODO(issue 12): WSASend with more than 1,024 buffers fails with
 * WSAEMSGSIZE under both ws2send and Wine's builtin (being fixed
 * separately); until it is, the soak stays within 1,024 buffers so that it
 * tests ordering, and its figures say so (buffer_cap). */
static UINT32 probe_buffer_limit(SOCKET client, SOCKET server)
{
    static WSABUF buffers[MAX_BUFFERS];
    static char byte = 'x', sink[MAX_BUFFERS];
    DWORD sent = 0;
    int ret;

    for (int i = 0; i < MAX_BUFFERS; i++)
    {
        buffers[i].buf = &byte;
        buffers[i].len = 1;
    }
    ret = WSASend(client, buffers, MAX_BUFFERS, &sent, 0, NULL, NULL);
    if (ret == SOCKET_ERROR)
    {
        trace("WSASend with %u buffers: error %d; the soak uses at most 1,024\n", MAX_BUFFERS, WSAGetLastError());
        return 1024;
    }
    recv_all(server, sink, sent, 5000);
    return MAX_BUFFERS;
}

static void start_direction(struct soak_direction *dir, const char *name, SOCKET tx, SOCKET rx, BOOL port,
                            UINT64 bytes, UINT64 seed, HANDLE *threads)
{
    int rcvbuf = 1 << 20;

    dir->name = name;
    dir->tx = tx;
    dir->rx = rx;
    setsockopt(rx, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf));
    if (port)
    {
        dir->port = CreateIoCompletionPort((HANDLE)tx, NULL, 0x50414b, 0);
        ok(dir->port != NULL, "CreateIoCompletionPort failed, error %lu\n", GetLastError());
        threads[SOAK_THREADS + 1] = CreateThread(NULL, 0, port_thread, dir, 0, NULL);
    }
    for (UINT32 i = 0; i < SOAK_THREADS; i++)
    {
        struct soak_sender *sender = &dir->senders[i];

        sender->dir = dir;
        sender->id = i;
        sender->s = tx;
        sender->target = bytes / SOAK_THREADS;
        rng_seed(&sender->rng, seed * 0x100000001b3ull + i * 2 + !!port);
        for (int j = 0; j < OVERLAPPED_DEPTH; j++)
        {
            sender->ops[j] = VirtualAlloc(NULL, sizeof(struct soak_op), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            sender->ops[j]->done = CreateEventW(NULL, TRUE, FALSE, NULL);
        }
    }
    threads[SOAK_THREADS] = CreateThread(NULL, 0, receiver_thread, dir, 0, NULL);
    for (UINT32 i = 0; i < SOAK_THREADS; i++)
        threads[i] = CreateThread(NULL, 0, sender_thread, &dir->senders[i], 0, NULL);
}

/* Waits for the direction's senders. */
static BOOL join_senders(struct soak_direction *dir, HANDLE *threads)
{
    BOOL joined = TRUE;

    for (UINT32 i = 0; i < SOAK_THREADS; i++)
    {
        if (!join_thread(threads[i], soak.abort ? 10000 : STALL_MS)) joined = FALSE;
        CloseHandle(threads[i]);
    }
    return joined;
}

/* Ends the direction's stream and waits for its receiver.  Only once both
 * directions' senders are done: Wine ends a socket's queued sends with
 * success and a short count when it sees the peer's FIN (conformance
 * overlapped.c test_pending_after_peer_shutdown), which a soak ending one
 * direction while the other still sends met as a rare short completion. */
static BOOL end_direction(struct soak_direction *dir, HANDLE *threads)
{
    BOOL joined = TRUE;

    shutdown(dir->tx, SD_SEND);
    if (!join_thread(threads[SOAK_THREADS], STALL_MS + 10000)) joined = FALSE;
    CloseHandle(threads[SOAK_THREADS]);
    if (dir->port)
    {
        dir->stop_port = 1;
        join_thread(threads[SOAK_THREADS + 1], 5000);
        CloseHandle(threads[SOAK_THREADS + 1]);
        CloseHandle(dir->port);
    }
    return joined;
}

static void report_direction(struct soak_direction *dir, UINT64 bytes, BOOL joined)
{
    struct stream_check *check = &dir->check;
    UINT64 sent = 0, calls[MODE_COUNT] = {0}, would_block = 0;
    UINT32 errors = 0, short_counts = 0, timeouts = 0, max_buffers = 0, toggles = 0;

    for (UINT32 i = 0; i < SOAK_THREADS; i++)
    {
        struct soak_sender *sender = &dir->senders[i];

        sent += sender->sent;
        errors += sender->errors;
        short_counts += sender->short_counts;
        timeouts += sender->timeouts;
        would_block += sender->would_block;
        toggles += sender->toggles;
        if (sender->max_buffers > max_buffers) max_buffers = sender->max_buffers;
        for (int m = 0; m < MODE_COUNT; m++) calls[m] += sender->calls[m];
        if (sender->first_failure[0]) trace("%s: first failure of thread %u: %s\n", dir->name, i, sender->first_failure);
    }

    figure("soak %s bytes=%llu received=%llu chunks=%llu seconds=%.1f MiB/s=%.1f", dir->name, sent,
           check->received, check->chunks, dir->elapsed / 1000.0,
           dir->elapsed ? (check->received / 1048576.0) / (dir->elapsed / 1000.0) : 0.0);
    figure("soak %s calls send=%llu WSASend=%llu event=%llu port=%llu routine=%llu max_buffers=%u "
           "would_block_retries=%llu mode_flips=%u", dir->name, calls[MODE_SEND], calls[MODE_WSASEND],
           calls[MODE_EVENT], calls[MODE_PORT], calls[MODE_ROUTINE], max_buffers, would_block, toggles);
    figure("soak %s broken=%s extra_bytes=%llu send_errors=%u short_counts=%u stalls=%u", dir->name,
           check->error[0] ? "yes" : "no", dir->extra, errors, short_counts, timeouts);

    ok(!check->error[0], "stream broken: %s\n", check->error);
    ok(check->threads_done == SOAK_THREADS, "%s: the last chunk of %u of %u threads arrived\n", dir->name,
       check->threads_done, SOAK_THREADS);
    ok(check->received == sent, "%s: received %llu bytes of %llu reported sent\n", dir->name, check->received, sent);
    ok(!dir->extra, "%s: %llu bytes arrived after every thread's last chunk\n", dir->name, dir->extra);
    ok(!errors, "%s: %u sends failed (short counts %u, stalls %u)\n", dir->name, errors, short_counts, timeouts);
    ok(joined, "%s: a thread did not end\n", dir->name);
    ok(!dir->foreign_packets, "%s: %ld completion packets for sends that asked for none\n", dir->name,
       dir->foreign_packets);
    ok(sent + SOAK_THREADS >= bytes || soak.abort, "%s: only %llu of %llu bytes were sent\n", dir->name, sent, bytes);
}

START_TEST(soak)
{
    static struct soak_direction up, down;
    HANDLE up_threads[SOAK_THREADS + 2], down_threads[SOAK_THREADS + 2];
    UINT64 total = stress_option("--bytes", stress_quick() ? 64ull << 20 : 1ull << 30);
    UINT64 seed = stress_option("--seed", 12);
    SOCKET client, server;
    WSADATA data;
    BOOL up_joined, down_joined;

    WSAStartup(MAKEWORD(2, 2), &data);
    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    soak.max_buffers = probe_buffer_limit(client, server);
    soak.modes = stress_option("--modes", 0xff);
    soak.flip = stress_option("--flip", 1) != 0;
    figure("soak bytes_each_way=%llu threads_each_end=%u seed=%llu buffer_cap=%u", total, SOAK_THREADS, seed,
           soak.max_buffers);

    start_direction(&up, "client->server", client, server, FALSE, total, seed, up_threads);
    start_direction(&down, "server->client", server, client, TRUE, total, seed, down_threads);
    up_joined = join_senders(&up, up_threads);
    down_joined = join_senders(&down, down_threads);
    up_joined &= end_direction(&up, up_threads);
    down_joined &= end_direction(&down, down_threads);
    closesocket(client);
    closesocket(server);

    report_direction(&up, total, up_joined);
    report_direction(&down, total, down_joined);
    WSACleanup();
}
