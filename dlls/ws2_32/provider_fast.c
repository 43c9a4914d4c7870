/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * host-fast: a direct host sendmsg on the socket's Linux descriptor, skipping
 * the two wineserver round trips of Wine's socket driver.  It may only
 * change speed: it is taken only where every rule of DESIGN.md's "host fast
 * path" holds, only a complete success is final, and everything else is
 * handed to wine-afd as if the fast path had not been tried.
 *
 * It is also the only route that can carry WSASendMsg control data (Wine's
 * driver has no field for it), so control data uses it whenever the same
 * rules hold, even with WS2SEND_FASTPATH=0.
 */
#include <stdlib.h>
#include <winternl.h>

#include "completion.h"
#include "host.h"
#include "host_syscall.h"
#include "log.h"
#include "provider.h"
#include "send_queue.h"
#include "socket_cache.h"
#include "stream_send.h"
#include "wine.h"
#include "ws2send/cmsg_translate.h"
#include "ws2send/errno_map.h"
#include "ws2send/status_map.h"
#include "ws2send/sockaddr_translate.h"

/* Wine's host descriptors come from ntdll; the descriptor returned is the
 * caller's own (a dup of the cached one) and must be closed. */
static NTSTATUS (CDECL *pwine_server_handle_to_fd)(HANDLE, unsigned int, int *, unsigned int *);

static BOOL fast_wanted;        /* WS2SEND_FASTPATH, default on */
static BOOL host_route;         /* the process-wide conditions hold */
static DWORD probe_tls = TLS_OUT_OF_INDEXES;

enum thread_probe
{
    PROBE_UNKNOWN,
    PROBE_PASSED,
    PROBE_TRAPPED,
};

/* Max buffers the fast path gathers itself (Linux' UIO_MAXIOV is 1024). */
#define FAST_MAX_BUFFERS 64

static BOOL CALLBACK init_host_route(INIT_ONCE *once, void *param, void **context)
{
    char value[8];
    const char *why = NULL;
    DWORD len;

    len = GetEnvironmentVariableA("WS2SEND_FASTPATH", value, sizeof(value));
    fast_wanted = !(len && len < sizeof(value) && value[0] == '0');

    pwine_server_handle_to_fd = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"),
                                                       "wine_server_handle_to_fd");
    if (!wine_version())
        why = "not running on Wine";
    else if (!pwine_server_handle_to_fd)
        why = "this Wine has no wine_server_handle_to_fd";
    else if (!afd_available())
        why = "Wine's socket driver is not usable (Wine older than 6)";
    else if ((probe_tls = TlsAlloc()) == TLS_OUT_OF_INDEXES)
        why = "no TLS slot";
    else
        host_route = TRUE;

    if (!host_route)
        INFO("host sends off: %s", why);
    else if (fast_wanted)
        INFO("host fast path on (WS2SEND_FASTPATH=0 turns it off)");
    else
        INFO("host fast path off: WS2SEND_FASTPATH=0 (control data still uses the host route)");
    return TRUE;
}

/* Proton's seccomp filter and syscall user dispatch trap raw system calls;
 * dispatch can be set per thread, so every thread is probed once. */
static BOOL thread_can_syscall(void)
{
    ULONG_PTR probe = (ULONG_PTR)TlsGetValue(probe_tls);

    if (probe == PROBE_UNKNOWN)
    {
        intptr_t ret = host_syscall_probe();

        probe = ret == -LINUX_ENOSYS ? PROBE_PASSED : PROBE_TRAPPED;
        TlsSetValue(probe_tls, (void *)probe);
        if (probe == PROBE_PASSED) host_syscall_init();
        if (probe == PROBE_TRAPPED)
            INFO("system calls from this thread are trapped (probe returned %#Ix); host sends off here", ret);
    }
    return probe == PROBE_PASSED;
}

static BOOL host_route_usable(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;

    InitOnceExecuteOnce(&once, init_host_route, NULL, NULL);
    return host_route && thread_can_syscall();
}

/* The socket's host descriptor, ours to close; -1 if it cannot be had. */
static int host_fd_of(SOCKET s)
{
    unsigned int options;
    int fd;

    return pwine_server_handle_to_fd((HANDLE)s, 0, &fd, &options) ? -1 : fd;
}

BOOL fast_host_route(void)
{
    return host_route_usable();
}

/* The socket's SO_COOKIE (unique while the kernel runs), 0 if unknown. */
UINT64 fast_fd_cookie(int fd)
{
    unsigned int len = sizeof(UINT64);
    UINT64 cookie = 0;

    if (fd < 0 || linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_COOKIE, &cookie, &len)) return 0;
    return cookie;
}

/* Reads what the fast path needs to know of a socket it has not seen. */
static void describe_socket(SOCKET s, int fd, UINT64 cookie, struct socket_state *state)
{
    int type = 0, domain = 0, protocol = 0;
    unsigned int len;

    memset(state, 0, sizeof(*state));
    state->cookie = cookie;
    len = sizeof(type);
    linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_TYPE, &type, &len);
    len = sizeof(domain);
    linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_DOMAIN, &domain, &len);
    len = sizeof(protocol);
    linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_PROTOCOL, &protocol, &len);

    /* Plain TCP and UDP over IPv4/IPv6 only: Wine emulates ICMP "raw"
     * sockets with datagram ones and keeps per-send state for them. */
    if ((domain == LNX_AF_INET || domain == LNX_AF_INET6) &&
        ((type == LINUX_SOCK_STREAM && protocol == LINUX_IPPROTO_TCP) ||
         (type == LINUX_SOCK_DGRAM && protocol == LINUX_IPPROTO_UDP)))
        state->type = type;
}

/* Wine's server binds an unbound datagram socket on its first send and
 * records it; a host send would bind it behind the server's back.  The
 * server's getsockname answers from that record. */
static BOOL server_knows_bound(SOCKET s)
{
    struct sockaddr_storage addr;
    int len = sizeof(addr);
    DWORD error = GetLastError();
    BOOL bound = !getsockname(s, (struct sockaddr *)&addr, &len);

    SetLastError(error);
    return bound;
}

struct host_message
{
    struct linux_msghdr msg;
    struct linux_iovec iov[FAST_MAX_BUFFERS];
    union
    {
        BYTE bytes[LNX_SOCKADDR_MAX_SIZE];
        size_t align;
    } addr;
    union
    {
        BYTE bytes[WS2S_CMSG_LINUX_MAX_SIZE];
        size_t align;
    } control;
    size_t total;
};

/* Builds the Linux message; FALSE when the send must go to Wine instead. */
static BOOL build_message(const struct send_request *request, int type, struct host_message *m)
{
    memset(&m->msg, 0, sizeof(m->msg));
    if (request->count > FAST_MAX_BUFFERS) return FALSE;

    m->total = 0;
    for (DWORD i = 0; i < request->count; i++)
    {
        m->iov[i].base = request->buffers[i].buf;
        m->iov[i].len = request->buffers[i].len;
        m->total += request->buffers[i].len;
    }
    m->msg.iov = m->iov;
    m->msg.iovlen = request->count;

    /* Wine drops the address of a send on a stream socket, and so do we. */
    if (request->addr && type == LINUX_SOCK_DGRAM)
    {
        size_t len;

        /* Wine sends datagrams for port 0 to port 9; leave that to Wine. */
        if (ws2s_sockaddr_win_port(request->addr, request->addr_len) <= 0) return FALSE;
        if (ws2s_sockaddr_to_linux(request->addr, request->addr_len, m->addr.bytes,
                                   sizeof(m->addr.bytes), &len))
            return FALSE;
        m->msg.name = m->addr.bytes;
        m->msg.namelen = len;
    }

    if (request->control)
    {
        struct ws2s_cmsg_info info;
        size_t len;

        if (ws2s_cmsg_to_linux(request->control, request->control_len, m->control.bytes,
                               sizeof(m->control.bytes), &len, &info))
            return FALSE;
        m->msg.control = len ? m->control.bytes : NULL;
        m->msg.controllen = len;
    }
    return TRUE;
}

/* Before any work: an overlapped send can take the host route only with
 * nothing to deliver on success (completion.h), on a socket none of whose
 * overlapped sends Wine's driver still holds. */
static BOOL overlapped_may_go_fast(const struct send_request *request)
{
    if (!request->overlapped) return !request->completion;
    return completion_worth_trying(request, socket_cache_completion(request->socket))
        && !socket_cache_is_tainted(request->socket) && !socket_cache_wine_busy(request->socket);
}

/* Urgent data on a stream is sent stepwise (stream_send.h); everything
 * else flagged goes to Wine's driver whole. */
static BOOL may_send_urgent(const struct send_request *request)
{
    return request->flags == MSG_OOB && !request->overlapped && !request->control;
}

/* With the socket known: the socket's modes skip both completion signals. */
static BOOL overlapped_completes_silently(const struct send_request *request)
{
    return completion_is_silent(request, socket_cache_completion(request->socket));
}

/* An overlapped stream send takes the host route only when the host will
 * take all of it at once: Linux' TCP keeps taking data while what is queued
 * stays below the send buffer (tcp_sendmsg, sk_stream_memory_free), and a
 * rest would have to be completed later, by a packet only Wine's server can
 * post.  The margin covers the kernel's per-buffer overhead. */
static BOOL stream_has_room(int fd, size_t total)
{
    unsigned int info[LINUX_SK_MEMINFO_VARS] = {0}, len = sizeof(info);
    ULONGLONG need;

    if (linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_MEMINFO, info, &len)
        || len <= LINUX_SK_MEMINFO_WMEM_QUEUED * sizeof(unsigned int))
        return FALSE;
    need = (ULONGLONG)info[LINUX_SK_MEMINFO_WMEM_QUEUED] + total + total / 4 + 4096;
    return need < info[LINUX_SK_MEMINFO_SNDBUF];
}

/* The host took part of an overlapped stream send that had room (the
 * kernel ran short of memory): the call still completes at once with the
 * whole count, as Windows completes a send its kernel buffered, and
 * ws2send holds the rest, which later sends wait behind (send_queue.h). */
static int hold_overlapped_rest(const struct send_request *request, size_t done, size_t total, int *error)
{
    int hold_error = send_queue_hold(request->socket, request->buffers, request->count, done, FALSE);

    if (hold_error)
    {
        WARN("socket %#Ix: cannot hold the rest of an overlapped send (error %d); completing it with "
             "the part sent", (ULONG_PTR)request->socket, hold_error);
        total = done;
    }
    completion_succeed(request, total);
    *error = 0;
    return 0;
}

/* Tries the host route.  Returns TRUE, with ret and error set, when the request
 * was served (fully, or with its rest handed on in order); FALSE when it
 * must go to wine-afd unchanged. */
BOOL fast_try_send(const struct send_request *request, int *ret, int *error)
{
    struct host_message m;
    struct socket_state state;
    SRWLOCK *lock;
    UINT64 cookie = 0;
    BOOL exclusive = FALSE, served = FALSE;
    intptr_t sent;
    int fd;

    if (!host_route_usable()) return FALSE;
    if (!fast_wanted && !request->control) return FALSE;
    /* Of the flags, only a non-overlapped stream send's MSG_OOB, which
     * Wine 9 and later could otherwise keep a rest of; an overlapped send
     * only where its completion can be done here. */
    if (request->flags && !may_send_urgent(request)) return FALSE;
    if (!overlapped_may_go_fast(request)) return FALSE;
    if (!(lock = socket_cache_lock(request->socket))) return FALSE;

    /* The caller may have the descriptor already (WSASendMsg asked it for
     * the socket type); otherwise it is ours to close. */
    if ((fd = request->host_fd) < 0 && (fd = host_fd_of(request->socket)) < 0) return FALSE;
    if (!(cookie = fd == request->host_fd ? request->host_cookie : 0) && !(cookie = fast_fd_cookie(fd)))
        goto done;

    AcquireSRWLockShared(lock);
    if (!socket_cache_get(request->socket, cookie, &state) || !state.bound || state.type == LINUX_SOCK_STREAM)
    {
        /* First sight, not yet bound, or a stream: work under the exclusive lock. */
        ReleaseSRWLockShared(lock);
        AcquireSRWLockExclusive(lock);
        exclusive = TRUE;
        if (!socket_cache_get(request->socket, cookie, &state))
            describe_socket(request->socket, fd, cookie, &state);
        if (state.type && !state.tainted && !state.bound)
            state.bound = server_knows_bound(request->socket);
        socket_cache_put(request->socket, &state);
    }
    if (!state.type || state.tainted || !state.bound) goto unlock;
    /* Nothing may overtake an overlapped send Wine's driver still holds. */
    if (socket_cache_wine_busy(request->socket)) goto unlock;
    if (request->overlapped && !overlapped_completes_silently(request)) goto unlock;
    /* A stream send the host takes in part cannot be taken back, so a bad
     * buffer is found before the first byte leaves, as Windows does; a
     * datagram is all or nothing, and the host's EFAULT answers for it. */
    if (state.type == LINUX_SOCK_STREAM && !send_request_readable(request))
    {
        *ret = SOCKET_ERROR;
        *error = WSAEFAULT;
        served = TRUE;
        goto unlock;
    }
    if (request->flags && state.type != LINUX_SOCK_STREAM) goto unlock;
    if (state.type == LINUX_SOCK_STREAM && !request->overlapped && !request->control
        && (request->count > FAST_MAX_BUFFERS || request->flags))
    {
        *ret = stream_send_stepwise(request, fd, cookie, error);
        served = TRUE;
        goto unlock;
    }
    if (!build_message(request, state.type, &m)) goto unlock;
    if (request->overlapped && state.type == LINUX_SOCK_STREAM && !stream_has_room(fd, m.total)) goto unlock;
    /* A stream send goes behind what ws2send holds for the socket. */
    if (state.type == LINUX_SOCK_STREAM && send_queue_gate(request, cookie, error))
    {
        *ret = SOCKET_ERROR;
        served = TRUE;
        goto unlock;
    }

    sent = linux_sendmsg(fd, &m.msg, LNX_MSG_DONTWAIT | LNX_MSG_NOSIGNAL);
    /* The report of an earlier ICMP port unreachable, which Windows ignores
     * for sends (as Wine's driver retries once). */
    if (sent == -LNX_ECONNREFUSED) sent = linux_sendmsg(fd, &m.msg, LNX_MSG_DONTWAIT | LNX_MSG_NOSIGNAL);
    if (sent >= 0 && (size_t)sent == m.total)
    {
        if (request->overlapped)
            completion_succeed(request, sent);
        else if (request->bytes_sent)
            *request->bytes_sent = sent;
        *ret = 0;
        *error = 0;
        served = TRUE;
    }
    else if (sent == -LINUX_EFAULT && state.type == LINUX_SOCK_DGRAM)
    {
        /* Only a buffer can be bad: the address and control data are ours. */
        *ret = SOCKET_ERROR;
        *error = WSAEFAULT;
        served = TRUE;
    }
    else if (state.type == LINUX_SOCK_STREAM && sent < 0 && fast_fd_listening(fd))
    {
        /* A listening socket can never send; Wine's driver would wait for
         * it forever.  Windows: not connected (sdk-api send). */
        *ret = SOCKET_ERROR;
        *error = WSAENOTCONN;
        served = TRUE;
    }
    else if (state.type == LINUX_SOCK_STREAM && request->overlapped && sent > 0)
    {
        *ret = hold_overlapped_rest(request, sent, m.total, error);
        served = TRUE;
    }
    else if (state.type == LINUX_SOCK_STREAM && request->overlapped)
    {
        /* Nothing went out: Wine's driver takes it whole, in order. */
    }
    else if (state.type == LINUX_SOCK_STREAM)
    {
        /* The host took less than all (or nothing, or failed).  Wine's
         * driver gets the rest while we hold the lock, so no other send on
         * this socket starts in between: a blocking socket waits there
         * (SO_SNDTIMEO and all) and leaves nothing behind; a nonblocking
         * one refuses (WSAEWOULDBLOCK, FD_WRITE re-armed) or has its rest
         * held by ws2send, which later sends wait behind.
         *
         * The blocking wait itself stays with Wine: what ends it is server
         * state the host descriptor cannot see (SO_SNDTIMEO and FIONBIO
         * live in the server only; a CloseHandle from another thread leaves
         * our descriptor open; user APCs arrive through server waits). */
        *ret = stream_send_rest(request, fd, m.total, sent > 0 ? sent : 0, error);
        served = TRUE;
    }
    else if (request->control && sent < 0 && sent != -LNX_EAGAIN)
    {
        /* Wine's driver cannot carry control data: re-issued there, the
         * datagram would go out without it.  The host's answer is final,
         * read as Wine's driver reads an errno (errno_map.h). */
        *ret = SOCKET_ERROR;
        *error = afd_refine_error(request, ws2s_ntstatus_to_wsa(ws2s_errno_to_ntstatus((int)-sent)));
        served = TRUE;
    }

unlock:
    if (exclusive)
        ReleaseSRWLockExclusive(lock);
    else
        ReleaseSRWLockShared(lock);
done:
    if (fd != request->host_fd) linux_close(fd);
    return served;
}

UINT64 fast_socket_cookie(SOCKET s)
{
    int fd = fast_get_fd(s);
    UINT64 cookie = fast_fd_cookie(fd);

    fast_put_fd(fd);
    return cookie;
}

BOOL fast_cached_type(SOCKET s, UINT64 cookie, int *type)
{
    struct socket_state state;
    SRWLOCK *lock;
    BOOL known;

    if (!cookie || !(lock = socket_cache_lock(s))) return FALSE;
    AcquireSRWLockShared(lock);
    known = socket_cache_get(s, cookie, &state) && state.cookie == cookie && state.type;
    ReleaseSRWLockShared(lock);
    if (known) *type = state.type;
    return known;
}

void fast_before_wine_send(const struct send_request *request)
{
    if (!host_route || !thread_can_syscall()) return;
    /* Wine 9 and later may keep the rest of a short stream send in their
     * own driver after the call returns, unseen: a later host write must
     * not overtake it (a send of at most one byte is never short).  (Overlapped sends are followed one by one instead:
     * fast_after_wine_send.) */
    if (afd_driver_holds_rests() && !request->overlapped && socket_cache_is_stream(request->socket)
        && !socket_cache_is_tainted(request->socket) && send_request_bytes(request) > 1)
        socket_cache_taint(request->socket, fast_socket_cookie(request->socket), FALSE);
}

void fast_after_wine_send(const struct send_request *request, int ret, int error, BOOL locked)
{
    if (!host_route || !request->overlapped || !ret || error != WSA_IO_PENDING) return;
    /* Pending: no host send of this socket may start before it is done. */
    if (!socket_cache_note_wine_pending(request->socket, request->overlapped)
        && !socket_cache_is_tainted(request->socket))
        socket_cache_taint(request->socket, fast_socket_cookie(request->socket), locked);
}

int fast_get_fd(SOCKET s)
{
    return host_route_usable() ? host_fd_of(s) : -1;
}

void fast_put_fd(int fd)
{
    if (fd >= 0) linux_close(fd);
}

BOOL fast_fd_listening(int fd)
{
    unsigned int len = sizeof(int);
    int listening = 0;

    return fd >= 0 && !linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_ACCEPTCONN, &listening, &len)
           && listening;
}

BOOL fast_fd_type(int fd, int *type)
{
    unsigned int len = sizeof(*type);

    return fd >= 0 && !linux_getsockopt(fd, LINUX_SOL_SOCKET, LINUX_SO_TYPE, type, &len);
}
