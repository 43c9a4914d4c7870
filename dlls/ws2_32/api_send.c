/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Windows contract of the five send entry points: arguments checked in
 * the order Windows checks them, everything the request points to captured,
 * the last error set on every path (cleared on success), then one provider
 * call.
 */
#include "api.h"
#include "local_address.h"
#include "log.h"
#include "provider.h"
#include "ws2send/send_flags.h"
#include "ws2send/cmsg_translate.h"

/* Small gathers are captured on the stack; larger ones on the heap. */
#define LOCAL_BUFFERS 8

struct captured_buffers
{
    WSABUF *buffers;
    WSABUF local[LOCAL_BUFFERS];
};

static void release_buffers(struct captured_buffers *captured)
{
    if (captured->buffers != captured->local) HeapFree(GetProcessHeap(), 0, captured->buffers);
}

/* Copies the caller's WSABUF array, so that a caller may reuse it as soon as
 * the call returns (or change it while the call runs).  What the buffers
 * point to is checked by the provider layer (send_request_readable): the
 * host reports a bad datagram buffer itself, for less than a probe costs. */
static int capture_buffers(const WSABUF *user, DWORD count, struct captured_buffers *captured)
{
    ULONGLONG total = 0;

    captured->buffers = captured->local;
    if (!count) return 0;
    if (count > MAXDWORD / sizeof(WSABUF) || !memory_readable(user, count * sizeof(WSABUF)))
        return WSAEFAULT;
    if (count > LOCAL_BUFFERS &&
        !(captured->buffers = HeapAlloc(GetProcessHeap(), 0, count * sizeof(WSABUF))))
    {
        captured->buffers = captured->local;
        return WSAENOBUFS;
    }
    memcpy(captured->buffers, user, count * sizeof(WSABUF));
    for (DWORD i = 0; i < count; i++) total += captured->buffers[i].len;
    /* lpNumberOfBytesSent and the completion's count are 32-bit: a send of
     * more could only report a wrong count.  Windows' answer is unverified
     * (conformance/EVIDENCE.md); WSAEINVAL, and nothing is sent. */
    if (total > MAXDWORD)
    {
        release_buffers(captured);
        return WSAEINVAL;
    }
    return 0;
}

/* Checks shared by every entry point, after the entry point's own. */
static int check_common(struct send_request *request)
{
    int type;

    /* Wine's driver reads the address family whatever the length says (and
     * a fault there leaves the socket's send queue stuck), so the family
     * must be readable too. */
    if (request->addr && !memory_readable(request->addr, request->addr_len < (int)sizeof(u_short)
                                                      ? sizeof(u_short) : (SIZE_T)request->addr_len))
    {
        /* A connection-oriented socket ignores the address (sdk-api sendto:
         * "the to and tolen parameters are ignored"), however wild. */
        if (provider_socket_type(request->socket, &type) || type != SOCK_STREAM) return WSAEFAULT;
        request->addr = NULL;
        request->addr_len = 0;
    }
    if (request->overlapped)
    {
        if (!memory_writable(request->overlapped, sizeof(*request->overlapped))) return WSAEFAULT;
        if (request->bytes_sent && !memory_writable(request->bytes_sent, sizeof(DWORD))) return WSAEFAULT;
    }
    else if (!request->bytes_sent ||
             (request->entry != WS2SEND_ENTRY_SEND && request->entry != WS2SEND_ENTRY_SENDTO &&
              !memory_writable(request->bytes_sent, sizeof(DWORD))))
        return WSAEFAULT;  /* send and sendto count into their own local */
    return 0;
}

/* Runs a request through the checks and the provider; returns the value of
 * a WSASend-style call (0 or SOCKET_ERROR) with the last error set. */
static int submit(struct send_request *request, const WSABUF *user_buffers, int error)
{
    struct captured_buffers captured;
    int ret;

    if (!api_started()) return api_fail(WSANOTINITIALISED);
    if (!error) error = check_common(request);
    if (!error) error = capture_buffers(user_buffers, request->count, &captured);
    if (error)
    {
        /* On Windows the socket lookup comes before any argument check. */
        return api_fail(api_socket_error(request->socket, error));
    }

    request->buffers = captured.buffers;
    ret = provider_send(request, &error);
    release_buffers(&captured);
    /* A bad buffer is found by the provider layer, after the checks above. */
    if (ret && error == WSAEFAULT) error = api_socket_error(request->socket, error);
    SetLastError(ret ? error : 0);
    return ret;
}

int WINAPI WSASend(SOCKET s, WSABUF *buffers, DWORD count, DWORD *bytes_sent, DWORD flags,
                   WSAOVERLAPPED *overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE completion)
{
    struct send_request request =
    {
        .socket = s, .entry = WS2SEND_ENTRY_WSASEND, .count = count, .flags = flags, .host_fd = -1,
        .bytes_sent = bytes_sent, .overlapped = overlapped, .completion = completion,
    };

    return submit(&request, buffers, api_check_flags(s, WS2SEND_ENTRY_WSASEND, flags));
}

int WINAPI WSASendTo(SOCKET s, WSABUF *buffers, DWORD count, DWORD *bytes_sent, DWORD flags,
                     const struct sockaddr *to, int to_len, WSAOVERLAPPED *overlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE completion)
{
    struct send_request request =
    {
        .socket = s, .entry = WS2SEND_ENTRY_WSASENDTO, .count = count, .addr = to, .addr_len = to_len, .host_fd = -1,
        .flags = flags, .bytes_sent = bytes_sent, .overlapped = overlapped, .completion = completion,
    };

    return submit(&request, buffers, api_check_flags(s, WS2SEND_ENTRY_WSASENDTO, flags));
}

int WINAPI send(SOCKET s, const char *buf, int len, int flags)
{
    WSABUF buffer = { .len = (ULONG)len, .buf = (char *)buf };
    DWORD sent;
    struct send_request request =
    {
        .socket = s, .entry = WS2SEND_ENTRY_SEND, .count = 1, .flags = flags, .bytes_sent = &sent, .host_fd = -1,
    };

    /* A negative length becomes a length no buffer can have: WSAEFAULT. */
    if (submit(&request, &buffer, api_check_flags(s, WS2SEND_ENTRY_SEND, flags))) return SOCKET_ERROR;
    return sent;
}

int WINAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to, int to_len)
{
    WSABUF buffer = { .len = (ULONG)len, .buf = (char *)buf };
    DWORD sent;
    struct send_request request =
    {
        .socket = s, .entry = WS2SEND_ENTRY_SENDTO, .count = 1, .addr = to, .addr_len = to_len, .host_fd = -1,
        .flags = flags, .bytes_sent = &sent,
    };

    if (submit(&request, &buffer, api_check_flags(s, WS2SEND_ENTRY_SENDTO, flags))) return SOCKET_ERROR;
    return sent;
}

/* Control data ws2send cannot use (no buffer, unreadable, malformed) is left
 * out and the data sent, as Wine's builtin leaves out all control data:
 * refusing it would rest on the documentation alone (conformance/EVIDENCE.md). */
static void warn_control_ignored(SOCKET s, const char *why)
{
    static LONG warned;

    if (!InterlockedExchange(&warned, 1))
        WARN("socket %#Ix: WSASendMsg control data %s; sending without it, as Wine's builtin does. "
             "Further cases are not logged.", (ULONG_PTR)s, why);
}

/* WSASendMsg's own rules (sdk-api nf-winsock2-wsasendmsg and the Windows-run
 * evidence in conformance/EVIDENCE.md).  *use_control: the control data is
 * valid and is to be sent. */
static int check_msg(const struct send_request *request, const WSAMSG *msg, DWORD flags,
                     struct ws2s_cmsg_info *control, BOOL *use_control)
{
    SOCKET s = request->socket;
    int type, error;

    *use_control = FALSE;
    if ((error = ws2s_wsamsg_check(msg->name, msg->namelen, msg->lpBuffers, msg->dwBufferCount)))
        return error;
    /* The type of a socket the fast path knows needs no host call. */
    if (!fast_cached_type(s, request->host_cookie, &type) && !fast_fd_type(request->host_fd, &type)
        && (error = provider_socket_type(s, &type)))
        return error;
    /* Datagram and raw sockets only: a stream socket gets WSAEINVAL
     * (sock.c test_WSASendMsg; Wine's builtin does not check). */
    if (type == SOCK_STREAM) return WSAEINVAL;
    if ((error = ws2s_send_flags_check(flags, WS2S_API_WSASENDMSG, type))) return error;

    memset(control, 0, sizeof(*control));
    if (!msg->Control.len) return 0;
    if (!msg->Control.buf || !memory_readable(msg->Control.buf, msg->Control.len))
    {
        warn_control_ignored(s, "is not in readable memory");
        return 0;
    }
    if (ws2s_cmsg_validate(msg->Control.buf, msg->Control.len, control))
    {
        warn_control_ignored(s, "is malformed");
        memset(control, 0, sizeof(*control));
        return 0;
    }
    /* Windows sends only from an address an interface has (envoy#12820). */
    if (control->has_source4 && !local_source_allowed(control->source4)) return WSAEINVAL;
    *use_control = TRUE;
    return 0;
}

int WINAPI WSASendMsg(SOCKET s, WSAMSG *user_msg, DWORD flags, DWORD *bytes_sent,
                      WSAOVERLAPPED *overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE completion)
{
    struct send_request request =
    {
        .socket = s, .entry = WS2SEND_ENTRY_WSASENDMSG, .flags = flags, .bytes_sent = bytes_sent, .host_fd = -1,
        .overlapped = overlapped, .completion = completion,
    };
    struct ws2s_cmsg_info control;
    BOOL use_control;
    WSAMSG msg;
    int error, ret;

    if (!api_started()) return api_fail(WSANOTINITIALISED);
    if (!memory_readable(user_msg, sizeof(*user_msg)))
        return api_fail(api_socket_error(s, WSAEFAULT));
    msg = *user_msg;

    /* One host descriptor and its cookie serve the type check and the send:
     * the type of a socket the fast path knows needs no host call. */
    request.host_fd = fast_get_fd(s);
    request.host_cookie = fast_fd_cookie(request.host_fd);
    if ((error = check_msg(&request, &msg, flags, &control, &use_control)))
    {
        fast_put_fd(request.host_fd);
        return api_fail(api_socket_error(s, error));
    }

    if (!overlapped && !bytes_sent)
    {
        /* Windows binds an unbound datagram socket even on this failure
         * (sock.c test_WSASendMsg, "a bad call ... will also bind"). */
        api_implicit_bind(s, msg.name, msg.namelen);
        fast_put_fd(request.host_fd);
        return api_fail(WSAEFAULT);
    }

    request.msg = &msg;
    request.count = msg.dwBufferCount;
    request.addr = msg.name;
    request.addr_len = msg.namelen;
    /* Control data that asks for nothing (a wildcard pktinfo, size 0, ...)
     * is dropped here; the rest needs a provider that can carry it. */
    if (use_control && !ws2s_cmsg_info_harmless(&control))
    {
        request.control = msg.Control.buf;
        request.control_len = msg.Control.len;
        request.control_segments = control.segments;
    }
    ret = submit(&request, msg.lpBuffers, 0);
    if (ret && request.control_segments && GetLastError() == WSAENOBUFS)
    {
        /* The host route is closed to a socket Wine's server does not yet
         * consider bound, and Wine's driver cannot carry the batch: bind it
         * as the send would (nothing was sent), and try once more. */
        api_implicit_bind(s, msg.name, msg.namelen);
        ret = submit(&request, msg.lpBuffers, 0);
    }
    fast_put_fd(request.host_fd);
    return ret;
}
