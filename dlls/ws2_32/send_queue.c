/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What nonblocking stream sends reported as sent but the host has not taken
 * yet (see send_queue.h).  One list of held sockets under one lock; one
 * drain thread polls their host descriptors for room and writes.  Senders
 * only append and wait; nothing here is ever handed to Wine's server, so no
 * cancel, thread exit or close of the program's can reach it.
 */
#include <windows.h>

#include "host_syscall.h"
#include "log.h"
#include "provider.h"
#include "send_queue.h"
#include "ws2send/linux_abi.h"

/* Without progress for this long, what is left at process exit is given up
 * (a lingering close waits as long, in Windows' default for a graceful one
 * ... the kernel keeps trying for minutes; a process cannot). */
#define EXIT_FLUSH_STALL_MS 5000
/* Buffers gathered into one host write. */
#define DRAIN_IOVS 16

struct held_chunk
{
    struct held_chunk *next;
    size_t len, done;
    BOOL urgent;                /* its last byte goes alone, with MSG_OOB */
    char data[];
};

struct held_socket
{
    struct held_socket *next;
    UINT64 cookie;
    int fd;                     /* ws2send's own host descriptor: the socket lives while it is open */
    struct held_chunk *head, *tail;
    ULONGLONG bytes;            /* held, not yet written */
    BOOL blocking;              /* FIONBIO turned blocking mode back on */
    BOOL shutdown_pending;      /* shutdown(SD_SEND) waits for the held bytes */
    HANDLE drained;             /* manual-reset: set once nothing is held any more */
    LONG refs;                  /* the list's, and each waiter's */
    /* The drain thread's write in progress, for an exit that stops the
     * thread between the write and its bookkeeping. */
    BOOL writing;
    BOOL marked;                /* kernel_mark could be read */
    ULONGLONG bytes_at_mark;    /* bytes when the write began */
    UINT64 kernel_mark;         /* the socket's kernel_written() then */
};

static CRITICAL_SECTION queue_lock;
static CRITICAL_SECTION_DEBUG queue_lock_debug =
{
    0, 0, &queue_lock,
    { &queue_lock_debug.ProcessLocksList, &queue_lock_debug.ProcessLocksList },
    0, 0, 0
};
static CRITICAL_SECTION queue_lock = { &queue_lock_debug, -1, 0, 0, 0, 0 };

static struct held_socket *held_list;
static LONG held_count;         /* sockets in held_list */
static int wake_fd = -1;        /* eventfd: the drain thread looks at the list again */
static HANDLE started_event;    /* the drain thread has probed its system calls */

BOOL send_queue_active(void)
{
    return *(volatile LONG *)&held_count > 0;
}

static void release_socket(struct held_socket *held)
{
    if (InterlockedDecrement(&held->refs)) return;
    CloseHandle(held->drained);
    HeapFree(GetProcessHeap(), 0, held);
}

static struct held_socket *find_locked(UINT64 cookie)
{
    struct held_socket *held;

    for (held = held_list; held; held = held->next)
        if (held->cookie == cookie) return held;
    return NULL;
}

/* Nothing is held any more (all written, or the connection failed): the
 * deferred shutdown is made, ws2send's descriptor closed, waiters woken. */
static void finish_locked(struct held_socket *held)
{
    struct held_socket **link;
    struct held_chunk *chunk;

    while ((chunk = held->head))
    {
        held->head = chunk->next;
        HeapFree(GetProcessHeap(), 0, chunk);
    }
    held->tail = NULL;
    held->bytes = 0;
    if (held->shutdown_pending) linux_shutdown(held->fd, LINUX_SHUT_WR);
    linux_close(held->fd);
    held->fd = -1;

    for (link = &held_list; *link; link = &(*link)->next)
    {
        if (*link != held) continue;
        *link = held->next;
        InterlockedDecrement(&held_count);
        break;
    }
    SetEvent(held->drained);
    release_socket(held);
}

/* TCP_INFO's tcpi_bytes_acked. */
static BOOL bytes_acked(int fd, UINT64 *acked)
{
    unsigned char info[LINUX_TCPI_BYTES_ACKED_OFFSET + sizeof(UINT64)];
    unsigned int len = sizeof(info);

    if (linux_getsockopt(fd, LINUX_IPPROTO_TCP, LINUX_TCP_INFO, info, &len) || len < sizeof(info))
        return FALSE;
    memcpy(acked, info + LINUX_TCPI_BYTES_ACKED_OFFSET, sizeof(*acked));
    return TRUE;
}

/* Everything ever written to a TCP socket, up to a constant: the bytes the
 * peer acknowledged (TCP_INFO) plus those written but not acknowledged
 * (SIOCOUTQ).  Read until no acknowledgement came in between. */
static BOOL kernel_written(int fd, UINT64 *written)
{
    UINT64 acked, before;
    int unacked;

    if (!bytes_acked(fd, &acked)) return FALSE;
    for (int tries = 0; tries < 8; tries++)
    {
        before = acked;
        if (linux_ioctl(fd, LINUX_SIOCOUTQ, &unacked) < 0 || !bytes_acked(fd, &acked)) return FALSE;
        if (acked == before)
        {
            *written = acked + (unsigned int)unacked;
            return TRUE;
        }
    }
    return FALSE;
}

/* Takes count written bytes off the front of what is held. */
static void consume_locked(struct held_socket *held, size_t count)
{
    struct held_chunk *chunk;

    held->bytes -= count;
    while (count && (chunk = held->head))
    {
        size_t take = min(count, chunk->len - chunk->done);

        chunk->done += take;
        count -= take;
        if (chunk->done < chunk->len) break;
        held->head = chunk->next;
        HeapFree(GetProcessHeap(), 0, chunk);
    }
    if (!held->head) held->tail = NULL;
}

/* Writes as much as the host takes now; FALSE once the socket is finished. */
static BOOL drain_locked(struct held_socket *held)
{
    struct linux_iovec iov[DRAIN_IOVS];
    struct linux_msghdr msg;
    struct held_chunk *chunk;
    intptr_t sent;

    while (held->head)
    {
        int flags = LNX_MSG_DONTWAIT | LNX_MSG_NOSIGNAL;
        size_t count = 0;

        for (chunk = held->head; chunk && count < DRAIN_IOVS; chunk = chunk->next)
        {
            size_t left = chunk->len - chunk->done;

            /* The host marks the last byte of a MSG_OOB write urgent: an
             * urgent chunk's bytes go up to its last one, which then goes
             * alone with the flag. */
            if (chunk->urgent && left == 1 && !count) flags |= LNX_MSG_OOB;
            else if (chunk->urgent) left--;
            if (left)
            {
                iov[count].base = chunk->data + chunk->done;
                iov[count++].len = left;
            }
            if (chunk->urgent) break;
        }
        memset(&msg, 0, sizeof(msg));
        msg.iov = iov;
        msg.iovlen = count;
        /* Marked before the write, so that an exit stopping this thread
         * after it can tell what the kernel took (resync_stopped_write). */
        held->bytes_at_mark = held->bytes;
        held->marked = kernel_written(held->fd, &held->kernel_mark);
        held->writing = TRUE;
        sent = linux_sendmsg(held->fd, &msg, flags);
        if (sent > 0) consume_locked(held, sent);
        held->writing = FALSE;
        if (sent == -LINUX_EINTR) continue;
        if (sent == -LINUX_EAGAIN) return TRUE;
        if (sent < 0)
        {
            /* The connection is gone (reset, or shut down under us): on
             * Windows these bytes would be lost with it too. */
            WARN("socket cookie %#I64x: %I64u held bytes cannot be sent (errno %Id); dropped",
                 held->cookie, held->bytes, -sent);
            break;
        }
    }
    finish_locked(held);
    return FALSE;
}

/* At exit, for a socket whose write the drain thread was stopped in: the
 * kernel's count says how much of it went out; what the bookkeeping has not
 * taken off yet is taken off, so no byte goes out twice.  The chunks are
 * the truth (consume_locked lowers the count first). */
static void resync_stopped_write(struct held_socket *held)
{
    ULONGLONG left = 0, target;
    struct held_chunk *chunk;
    UINT64 now;

    if (!held->writing) return;
    for (chunk = held->head; chunk; chunk = chunk->next) left += chunk->len - chunk->done;
    held->bytes = left;
    if (!held->marked || !kernel_written(held->fd, &now))
    {
        WARN("process exit: socket cookie %#I64x: the drain thread was stopped in a write whose "
             "outcome cannot be read; its bytes may go out twice", held->cookie);
        return;
    }
    target = held->bytes_at_mark - min(now - held->kernel_mark, held->bytes_at_mark);
    if (left > target) consume_locked(held, left - target);
    held->writing = FALSE;
}

static DWORD WINAPI drain_thread(void *arg)
{
    struct linux_pollfd *fds = NULL;
    struct held_socket **polled = NULL;
    unsigned int capacity = 0, count, i;
    UINT64 ignored;
    BOOL *usable = arg;

    /* System calls can be trapped per thread (syscall user dispatch): this
     * thread must reach the kernel too, or nothing may be held. */
    *usable = fast_host_route();
    SetEvent(started_event);
    if (!*usable) return 0;

    for (;;)
    {
        EnterCriticalSection(&queue_lock);
        if (capacity < (unsigned int)held_count + 1)
        {
            capacity = held_count + 16;
            HeapFree(GetProcessHeap(), 0, fds);
            HeapFree(GetProcessHeap(), 0, polled);
            fds = HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(*fds));
            polled = HeapAlloc(GetProcessHeap(), 0, capacity * sizeof(*polled));
            if (!fds || !polled)
            {
                LeaveCriticalSection(&queue_lock);
                ERR("out of memory; held bytes wait");
                capacity = 0;
                Sleep(100);
                continue;
            }
        }
        count = 0;
        for (struct held_socket *held = held_list; held; held = held->next)
        {
            InterlockedIncrement(&held->refs);
            polled[count] = held;
            fds[count].fd = held->fd;
            fds[count].events = LINUX_POLLOUT;
            fds[count].revents = 0;
            count++;
        }
        LeaveCriticalSection(&queue_lock);

        fds[count].fd = wake_fd;
        fds[count].events = LINUX_POLLIN;
        fds[count].revents = 0;
        if (linux_poll(fds, count + 1, -1) < 0) fds[count].revents = 0;
        if (fds[count].revents) linux_read(wake_fd, &ignored, sizeof(ignored));

        EnterCriticalSection(&queue_lock);
        for (i = 0; i < count; i++)
        {
            /* fd -1: finished meanwhile (at exit, or a failed hold). */
            if (fds[i].revents && polled[i]->fd >= 0) drain_locked(polled[i]);
        }
        LeaveCriticalSection(&queue_lock);
        for (i = 0; i < count; i++) release_socket(polled[i]);
    }
    return 0;
}

/* Starts the drain thread once; FALSE if it cannot run (no eventfd, or
 * system calls trapped), in which case nothing is ever held. */
static BOOL CALLBACK start_drain(INIT_ONCE *once, void *param, void **context)
{
    static BOOL usable;
    HMODULE self;
    HANDLE thread;
    intptr_t fd;

    if (!fast_host_route()) return FALSE;
    /* The drain thread runs ws2send's code until the process ends. */
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                            (const WCHAR *)drain_thread, &self))
        return FALSE;
    if ((fd = linux_eventfd(0, LINUX_EFD_CLOEXEC | LINUX_EFD_NONBLOCK)) < 0)
    {
        ERR("no eventfd (errno %Id): nonblocking sends report what the host took", -fd);
        return FALSE;
    }
    wake_fd = fd;
    if (!(started_event = CreateEventW(NULL, TRUE, FALSE, NULL))
        || !(thread = CreateThread(NULL, 0, drain_thread, &usable, 0, NULL)))
    {
        ERR("cannot start the drain thread (error %lu)", GetLastError());
        usable = FALSE;
    }
    else
    {
        WaitForSingleObject(started_event, INFINITE);
        CloseHandle(thread);
        if (!usable) ERR("system calls are trapped on the drain thread: nonblocking sends report what the host took");
    }
    if (started_event) CloseHandle(started_event);
    if (!usable)
    {
        linux_close(wake_fd);
        wake_fd = -1;
    }
    return usable;
}

static BOOL drain_running(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;

    return InitOnceExecuteOnce(&once, start_drain, NULL, NULL);
}

static void wake_drain(void)
{
    UINT64 one = 1;

    linux_write(wake_fd, &one, sizeof(one));
}

int send_queue_hold(SOCKET s, const WSABUF *buffers, DWORD count, ULONG_PTR skip, BOOL urgent)
{
    struct held_socket *held, *created = NULL;
    struct held_chunk *chunk;
    ULONG_PTR total = 0;
    size_t copied = 0;
    UINT64 cookie;
    int fd;

    if (!drain_running()) return WSAEWOULDBLOCK;
    for (DWORD i = 0; i < count; i++) total += buffers[i].len;
    if (skip >= total) return 0;
    total -= skip;

    if (!(chunk = HeapAlloc(GetProcessHeap(), 0, offsetof(struct held_chunk, data[total]))))
        return WSAENOBUFS;
    chunk->next = NULL;
    chunk->len = total;
    chunk->done = 0;
    chunk->urgent = urgent;
    for (DWORD i = 0; i < count; i++)
    {
        ULONG_PTR len = buffers[i].len;

        if (skip >= len) { skip -= len; continue; }
        memcpy(chunk->data + copied, buffers[i].buf + skip, len - skip);
        copied += len - skip;
        skip = 0;
    }

    /* ws2send's own descriptor keeps the host socket open after the
     * program closes its handle, as Windows' kernel keeps sending. */
    if ((fd = fast_get_fd(s)) < 0 || !(cookie = fast_fd_cookie(fd)))
    {
        fast_put_fd(fd);
        HeapFree(GetProcessHeap(), 0, chunk);
        return WSAEWOULDBLOCK;
    }

    EnterCriticalSection(&queue_lock);
    if (!(held = find_locked(cookie)))
    {
        if (!(created = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*created)))
            || !(created->drained = CreateEventW(NULL, TRUE, FALSE, NULL)))
        {
            LeaveCriticalSection(&queue_lock);
            HeapFree(GetProcessHeap(), 0, created);
            HeapFree(GetProcessHeap(), 0, chunk);
            fast_put_fd(fd);
            return WSAENOBUFS;
        }
        held = created;
        held->cookie = cookie;
        held->fd = fd;
        held->refs = 1;
        held->next = held_list;
        held_list = held;
        InterlockedIncrement(&held_count);
        fd = -1;
    }
    if (held->tail) held->tail->next = chunk;
    else held->head = chunk;
    held->tail = chunk;
    held->bytes += total;
    LeaveCriticalSection(&queue_lock);

    fast_put_fd(fd);
    wake_drain();
    TRACE("socket %#Ix: holding %Iu bytes", (ULONG_PTR)s, total);
    return 0;
}

/* SO_SNDTIMEO of a blocking send, INFINITE when none is set. */
static DWORD send_timeout(SOCKET s)
{
    DWORD timeout = 0;
    int len = sizeof(timeout);
    DWORD error = GetLastError();

    if (getsockopt(s, SOL_SOCKET, SO_SNDTIMEO, (char *)&timeout, &len) || !timeout) timeout = INFINITE;
    SetLastError(error);
    return timeout;
}

BOOL send_queue_gate(const struct send_request *request, UINT64 cookie, int *error)
{
    BOOL nonblocking_call = !request->overlapped && !request->completion;
    struct held_socket *held;
    DWORD timeout, ret;

    if (!send_queue_active() || !cookie) return FALSE;

    EnterCriticalSection(&queue_lock);
    if (!(held = find_locked(cookie)))
    {
        LeaveCriticalSection(&queue_lock);
        return FALSE;
    }
    if (held->shutdown_pending)
    {
        LeaveCriticalSection(&queue_lock);
        *error = WSAESHUTDOWN;
        return TRUE;
    }
    if (nonblocking_call && !held->blocking)
    {
        /* Windows' answer on a full send buffer.  Wine's server re-arms
         * FD_WRITE only when one of its own sends fails: give it one. */
        LeaveCriticalSection(&queue_lock);
        afd_rearm_write_event(request->socket);
        *error = WSAEWOULDBLOCK;
        return TRUE;
    }
    InterlockedIncrement(&held->refs);
    LeaveCriticalSection(&queue_lock);

    /* A blocking send waits as long as it would for buffer space; an
     * overlapped one must not overtake the held bytes either. */
    timeout = nonblocking_call ? send_timeout(request->socket) : INFINITE;
    while ((ret = WaitForSingleObjectEx(held->drained, timeout, TRUE)) == WAIT_IO_COMPLETION)
        ;
    release_socket(held);
    if (ret == WAIT_TIMEOUT)
    {
        *error = WSAETIMEDOUT;
        return TRUE;
    }
    return FALSE;
}

BOOL send_queue_defer_shutdown(UINT64 cookie)
{
    struct held_socket *held;

    if (!send_queue_active() || !cookie) return FALSE;
    EnterCriticalSection(&queue_lock);
    if ((held = find_locked(cookie))) held->shutdown_pending = TRUE;
    LeaveCriticalSection(&queue_lock);
    return held != NULL;
}

void send_queue_set_blocking(UINT64 cookie, BOOL blocking)
{
    struct held_socket *held;

    if (!send_queue_active() || !cookie) return;
    EnterCriticalSection(&queue_lock);
    if ((held = find_locked(cookie))) held->blocking = blocking;
    LeaveCriticalSection(&queue_lock);
}

void send_queue_flush_at_exit(void)
{
    DWORD last_progress = GetTickCount();
    struct linux_pollfd pollfd;
    BOOL locked;

    if (!send_queue_active() || !fast_host_route()) return;
    /* Every other thread is gone by now (the process is ending).  The drain
     * thread may have been stopped holding the lock, inside its write loop:
     * nobody will ever release it, and nobody else runs, so go on without
     * it, after reading back what the write it was stopped in sent. */
    if (!(locked = TryEnterCriticalSection(&queue_lock)))
    {
        WARN("process exit: the drain thread ended holding its lock; draining without it");
        for (struct held_socket *held = held_list; held; held = held->next) resync_stopped_write(held);
    }
    while (held_list && GetTickCount() - last_progress < EXIT_FLUSH_STALL_MS)
    {
        struct held_socket *held, *next;
        BOOL progress = FALSE;

        for (held = held_list; held; held = next)
        {
            ULONGLONG before = held->bytes;

            next = held->next;
            if (!drain_locked(held) || held->bytes != before) progress = TRUE;
        }
        if (progress)
            last_progress = GetTickCount();
        else if (held_list)
        {
            /* Wait for room on one of them; the others are tried again after. */
            pollfd.fd = held_list->fd;
            pollfd.events = LINUX_POLLOUT;
            pollfd.revents = 0;
            linux_poll(&pollfd, 1, 50);
        }
    }
    if (held_list)
        ERR("process exit: peers took nothing for %u ms; %ld sockets' held bytes are lost",
            EXIT_FLUSH_STALL_MS, held_count);
    if (locked) LeaveCriticalSection(&queue_lock);
}
