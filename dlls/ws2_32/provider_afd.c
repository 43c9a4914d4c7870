/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * wine-afd: sends through Wine's socket driver, IOCTL_AFD_WINE_SENDMSG, the
 * request Wine's own ws2_32 issues.  Wine's server then does everything an
 * application can observe: implicit bind, blocking and SO_SNDTIMEO, queueing
 * in order, FD_WRITE re-arming, and every completion (event, APC, port).
 */
#include <windows.h>
#include <winternl.h>
#include <winioctl.h>

#include <ws2tcpip.h>
#include <mswsock.h>

#include "log.h"
#include "pending_sends.h"
#include "provider.h"
#include "send_queue.h"
#include "wine.h"
#include "ws2send/status_map.h"

/* Wine's private socket ioctls (include/wine/afd.h): FILE_DEVICE_NETWORK,
 * METHOD_BUFFERED, FILE_ANY_ACCESS; codes up to 296 are stable across Wine
 * versions and forks. */
#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((NTSTATUS)0)
#endif
#ifndef STATUS_BUFFER_OVERFLOW
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005)
#endif
#ifndef STATUS_CANCELLED
#define STATUS_CANCELLED ((NTSTATUS)0xC0000120)
#endif
#ifndef STATUS_CONNECTION_REFUSED
#define STATUS_CONNECTION_REFUSED ((NTSTATUS)0xC0000236)
#endif

#define WINE_AFD_IOC(x) CTL_CODE(FILE_DEVICE_NETWORK, (x), METHOD_BUFFERED, FILE_ANY_ACCESS)
#define IOCTL_AFD_WINE_SENDMSG          WINE_AFD_IOC(206)

/* Since Wine 7 every pointer travels as a 64-bit field, on i386 too (32 bytes;
 * verified on Wine 8.0: the 24-byte form fails with STATUS_BUFFER_TOO_SMALL). */
struct afd_sendmsg_params_u64
{
    ULONGLONG addr;
    unsigned int addr_len;
    unsigned int ws_flags;
    int force_async;
    unsigned int count;
    ULONGLONG buffers;
};
C_ASSERT(sizeof(struct afd_sendmsg_params_u64) == 32);

/* Wine 6.x: plain pointers (24 bytes on i386, the same 32 bytes on x86_64). */
struct afd_sendmsg_params_ptr
{
    const struct sockaddr *addr;
    unsigned int addr_len;
    unsigned int ws_flags;
    int force_async;
    unsigned int count;
    const WSABUF *buffers;
};

union afd_sendmsg_params
{
    struct afd_sendmsg_params_u64 u64;
    struct afd_sendmsg_params_ptr ptr;
};

enum afd_layout
{
    AFD_LAYOUT_NONE,    /* not Wine, or a Wine without the ioctl */
    AFD_LAYOUT_U64,
    AFD_LAYOUT_PTR,
};

static enum afd_layout layout;
static DWORD sync_event_tls = TLS_OUT_OF_INDEXES;

static enum afd_layout choose_layout(void)
{
    unsigned int major = wine_major_version();

    if (major >= 7) return AFD_LAYOUT_U64;
    /* IOCTL_AFD_WINE_SENDMSG arrived with the 6.x socket rewrite, in the
     * pointer layout (unverified here: no Wine 6 on our machines). */
    if (major == 6) return sizeof(void *) == 8 ? AFD_LAYOUT_U64 : AFD_LAYOUT_PTR;
    return AFD_LAYOUT_NONE;
}

BOOL afd_available(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending;

    if (InitOnceBeginInitialize(&once, 0, &pending, NULL) && pending)
    {
        layout = choose_layout();
        sync_event_tls = TlsAlloc();
        INFO("Wine %s: socket driver layout %s", wine_version() ? wine_version() : "(none)",
             layout == AFD_LAYOUT_U64 ? "64-bit fields" : layout == AFD_LAYOUT_PTR ? "pointers" : "unavailable");
        InitOnceComplete(&once, 0, NULL);
    }
    return layout != AFD_LAYOUT_NONE && sync_event_tls != TLS_OUT_OF_INDEXES;
}

/* One auto-reset event per thread for synchronous requests, as Wine's ws2_32
 * keeps; closed when the thread detaches. */
static HANDLE get_sync_event(void)
{
    HANDLE event = TlsGetValue(sync_event_tls);

    if (!event)
    {
        if (!(event = CreateEventW(NULL, FALSE, FALSE, NULL))) return NULL;
        TlsSetValue(sync_event_tls, event);
    }
    return event;
}

void afd_thread_detach(void)
{
    HANDLE event;

    if (sync_event_tls == TLS_OUT_OF_INDEXES) return;
    if ((event = TlsGetValue(sync_event_tls)))
    {
        CloseHandle(event);
        TlsSetValue(sync_event_tls, NULL);
    }
}

static void WINAPI completion_apc(void *context, IO_STATUS_BLOCK *iosb, ULONG reserved)
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE completion = context;

    completion(ws2s_ntstatus_to_wsa(iosb->Status), iosb->Information, (WSAOVERLAPPED *)iosb, 0);
}

/* Blocking Winsock calls wait alertably: an APC queued to the thread runs
 * during the wait, and the call then goes on waiting. */
static NTSTATUS wait_sync(HANDLE event, IO_STATUS_BLOCK *iosb)
{
    DWORD ret;

    while ((ret = WaitForSingleObjectEx(event, INFINITE, TRUE)) == WAIT_IO_COMPLETION)
        ;
    if (ret == WAIT_FAILED) return STATUS_INVALID_HANDLE;
    return iosb->Status;
}

/* Issues one driver request the way Wine's ws2_32 does, and waits for it
 * when the caller did not ask for overlapped I/O. */
static NTSTATUS afd_ioctl(SOCKET s, ULONG code, void *params, ULONG size, WSAOVERLAPPED *overlapped,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE completion, ULONG_PTR *information)
{
    IO_STATUS_BLOCK local_iosb, *iosb = &local_iosb;
    PIO_APC_ROUTINE apc = NULL;
    void *apc_context = NULL;
    HANDLE event;
    NTSTATUS status;

    if (overlapped)
    {
        iosb = (IO_STATUS_BLOCK *)overlapped;
        /* The low bit of hEvent asks for no completion packet. */
        if (!((ULONG_PTR)overlapped->hEvent & 1)) apc_context = overlapped;
        event = overlapped->hEvent;
    }
    else if (!(event = get_sync_event()))
        return STATUS_NO_MEMORY;
    iosb->Status = STATUS_PENDING;

    if (completion)
    {
        event = NULL;
        apc_context = completion;
        apc = completion_apc;
    }

    /* Listed before it is issued, so a closesocket in another thread
     * cannot miss it. */
    pending_send_begin(s, iosb, overlapped != NULL);
    status = NtDeviceIoControlFile((HANDLE)s, event, apc, apc_context, iosb, code, params, size, NULL, 0);
    if (status == STATUS_PENDING && !overlapped)
        status = wait_sync(event, iosb);
    if (status != STATUS_PENDING || !overlapped) pending_send_ended(s, iosb);
    if (!status && information) *information = iosb->Information;
    return status;
}

/* The driver's parameter block for a request, in this Wine's layout;
 * returns its size. */
static ULONG fill_params(const struct send_request *request, union afd_sendmsg_params *params)
{
    memset(params, 0, sizeof(*params));
    if (layout == AFD_LAYOUT_U64)
    {
        params->u64.addr = (ULONG_PTR)request->addr;
        params->u64.addr_len = request->addr_len;
        params->u64.ws_flags = request->flags;
        params->u64.force_async = !!request->overlapped;
        params->u64.count = request->count;
        params->u64.buffers = (ULONG_PTR)request->buffers;
        return sizeof(params->u64);
    }
    params->ptr.addr = request->addr;
    params->ptr.addr_len = request->addr_len;
    params->ptr.ws_flags = request->flags;
    params->ptr.force_async = !!request->overlapped;
    params->ptr.count = request->count;
    params->ptr.buffers = request->buffers;
    return sizeof(params->ptr);
}

static NTSTATUS afd_sendmsg(const struct send_request *request, ULONG_PTR *sent)
{
    union afd_sendmsg_params params;
    ULONG size = fill_params(request, &params);

    return afd_ioctl(request->socket, IOCTL_AFD_WINE_SENDMSG, &params, size,
                     request->overlapped, request->completion, sent);
}

/* Issues an overlapped send with a private event and status block. */
static NTSTATUS afd_sendmsg_async(const struct send_request *request, HANDLE event, IO_STATUS_BLOCK *iosb)
{
    union afd_sendmsg_params params;
    ULONG size = fill_params(request, &params);

    return NtDeviceIoControlFile((HANDLE)request->socket, event, NULL, NULL, iosb,
                                 IOCTL_AFD_WINE_SENDMSG, &params, size, NULL, 0);
}

static BOOL is_stream(SOCKET s)
{
    int type;

    return !provider_socket_type(s, &type) && type == SOCK_STREAM;
}

/* Wine 8's driver answers some sends differently from Windows; these
 * questions cost a server call each, so they are asked only on failure. */
int afd_refine_error(const struct send_request *request, int error)
{
    WSAPROTOCOL_INFOW info;
    DWORD connect_time;
    int len;

    switch (error)
    {
    case WSAECONNRESET:
    case WSAEINVAL:
        /* A socket that never connected: Wine turns the host's EPIPE
         * (stream) or EDESTADDRREQ (datagram without an address) into
         * WSAECONNRESET or WSAEINVAL; Windows answers WSAENOTCONN (sock.c
         * test_connect_udp; sdk-api send).  SO_CONNECT_TIME tells "never
         * connected" (~0) from "connected, then reset" (seconds). */
        if (error == WSAEINVAL && request->addr) break;
        len = sizeof(connect_time);
        if (!getsockopt(request->socket, SOL_SOCKET, SO_CONNECT_TIME, (char *)&connect_time, &len)
            && connect_time == ~0u)
            return WSAENOTCONN;
        break;
    case WSAEOPNOTSUPP:
        /* An address of another family: Wine reports the host's
         * EAFNOSUPPORT as "not supported"; Windows' code is WSAEAFNOSUPPORT
         * (sdk-api sendto, WSASendTo). */
        len = sizeof(info);
        if (request->addr && request->addr_len >= (int)sizeof(request->addr->sa_family)
            && !getsockopt(request->socket, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len)
            && info.iAddressFamily != request->addr->sa_family)
            return WSAEAFNOSUPPORT;
        break;
    case WSAENETUNREACH:
        /* An IPv4 address on an IPv6-only socket: Linux answers ENETUNREACH;
         * for Windows the 16-byte address is too short for the socket's
         * family, WSAEFAULT (.NET's Socket_SendToV4IPEndPointToV4Host_Throws,
         * see conformance/EVIDENCE.md). */
        len = sizeof(info);
        if (request->addr && request->addr_len >= (int)sizeof(request->addr->sa_family)
            && request->addr->sa_family == AF_INET && request->addr_len < (int)sizeof(struct sockaddr_in6)
            && !getsockopt(request->socket, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len)
            && info.iAddressFamily == AF_INET6)
            return WSAEFAULT;
        break;
    }
    return error;
}

/* FileIoCompletionNotificationInformation (Windows 8 and later; Wine 8
 * answers it) and the flag SetFileCompletionNotificationModes sets. */
#define FILE_IO_COMPLETION_NOTIFICATION_INFORMATION 41
#ifndef FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
#define FILE_SKIP_COMPLETION_PORT_ON_SUCCESS 0x1
#endif

/* An overlapped datagram too large for the host fails in Wine's driver at
 * once with STATUS_BUFFER_OVERFLOW, a warning status, which Wine completes
 * like a success: it sets the event, queues the completion routine and posts
 * the completion packet (unless FILE_SKIP_COMPLETION_PORT_ON_SUCCESS skips
 * it), and the call also returns the error.  On Windows the call is pending
 * and only the completion carries WSAEMSGSIZE (libuv's udp_dgram_too_big,
 * see conformance/EVIDENCE.md).  TRUE when the completion reached the caller,
 * so the call must report WSA_IO_PENDING instead; with the skip mode set the
 * packet was dropped, and the error stays at the call. */
static BOOL oversize_completed(const struct send_request *request)
{
    ULONG modes = 0;
    IO_STATUS_BLOCK io;

    if (request->completion || ((ULONG_PTR)request->overlapped->hEvent & 1)) return TRUE;
    if (NtQueryInformationFile((HANDLE)request->socket, &io, &modes, sizeof(modes),
                               FILE_IO_COMPLETION_NOTIFICATION_INFORMATION))
        return FALSE;
    return !(modes & FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
}

BOOL afd_driver_holds_rests(void)
{
    return wine_major_version() >= 9;
}

void afd_rearm_write_event(SOCKET s)
{
    static void *unreadable;
    struct send_request request = { .socket = s, .count = 1, .host_fd = -1 };
    WSABUF buffer;
    ULONG_PTR sent;
    void *page;

    /* Wine's server re-enables FD_WRITE after any send of its own that
     * fails.  A one-byte send from a page that cannot be read fails in the
     * host without sending anything (EFAULT, or EAGAIN on a full buffer). */
    if (!(page = InterlockedCompareExchangePointer(&unreadable, NULL, NULL)))
    {
        if (!(page = VirtualAlloc(NULL, 1, MEM_RESERVE, PAGE_NOACCESS))) return;
        if (InterlockedCompareExchangePointer(&unreadable, page, NULL))
        {
            VirtualFree(page, 0, MEM_RELEASE);
            page = unreadable;
        }
    }
    buffer.len = 1;
    buffer.buf = page;
    request.buffers = &buffer;
    afd_sendmsg(&request, &sent);
}

/* A zero-length send queued behind the socket's pending sends (Wine's driver
 * runs a socket's sends in order) tells when they have all ended.  On a
 * datagram socket it carries MSG_OOB, which Linux refuses for datagrams before
 * sending anything, so no empty datagram goes out.  It runs on a duplicate
 * handle, so the caller's closesocket leaves it alone; it posts no
 * completion (no APC context). */
struct send_marker
{
    IO_STATUS_BLOCK iosb;
    HANDLE socket;
    HANDLE event;
    void (CALLBACK *done)(void *);
    void *context;
};

static void free_send_marker(struct send_marker *marker)
{
    if (marker->event) CloseHandle(marker->event);
    if (marker->socket) CloseHandle(marker->socket);
    HeapFree(GetProcessHeap(), 0, marker);
}

static void CALLBACK send_marker_done(TP_CALLBACK_INSTANCE *instance, void *context, TP_WAIT *wait,
                                      TP_WAIT_RESULT result)
{
    struct send_marker *marker = context;

    marker->done(marker->context);
    CloseThreadpoolWait(wait);
    free_send_marker(marker);
}

NTSTATUS afd_after_queued_sends(SOCKET s, void (CALLBACK *done)(void *), void *context)
{
    struct send_request request = { .count = 0, .host_fd = -1 };
    struct send_marker *marker;
    WSABUF empty = {0};
    PTP_WAIT wait = NULL;
    NTSTATUS status;

    if (!(marker = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*marker)))) return STATUS_NO_MEMORY;
    marker->done = done;
    marker->context = context;
    if (!DuplicateHandle(GetCurrentProcess(), (HANDLE)s, GetCurrentProcess(), &marker->socket, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)
        || !(marker->event = CreateEventW(NULL, TRUE, FALSE, NULL))
        || !(wait = CreateThreadpoolWait(send_marker_done, marker, NULL)))
    {
        free_send_marker(marker);
        return STATUS_NO_MEMORY;
    }

    request.socket = (SOCKET)marker->socket;
    request.buffers = &empty;
    request.count = 1;
    request.flags = is_stream(s) ? 0 : MSG_OOB;
    request.overlapped = (WSAOVERLAPPED *)&marker->iosb;
    marker->iosb.Status = STATUS_PENDING;
    status = afd_sendmsg_async(&request, marker->event, &marker->iosb);
    if (status == STATUS_PENDING)
    {
        SetThreadpoolWait(wait, marker->event, NULL);
        return STATUS_SUCCESS;
    }
    /* Not queued: it ran at once, so no send was left ahead of it. */
    CloseThreadpoolWait(wait);
    done(context);
    free_send_marker(marker);
    return STATUS_SUCCESS;
}

static int afd_send(const struct send_request *request, int *error)
{
    struct send_request rewritten;
    SOCKADDR_STORAGE port9;
    ULONG_PTR sent = 0, total;
    NTSTATUS status;

    /* Windows accepts a datagram to port 0; Wine 9 sends it to the discard
     * port 9, Wine 8 fails with WSAEINVAL.  Do what Wine 9 does. */
    if (request->addr && request->addr_len >= (int)sizeof(struct sockaddr_in)
        && request->addr_len <= (int)sizeof(port9)
        && (request->addr->sa_family == AF_INET || request->addr->sa_family == AF_INET6)
        && !((const struct sockaddr_in *)request->addr)->sin_port)
    {
        memcpy(&port9, request->addr, request->addr_len);
        ((struct sockaddr_in *)&port9)->sin_port = htons(9);
        rewritten = *request;
        rewritten.addr = (struct sockaddr *)&port9;
        request = &rewritten;
    }

    status = afd_sendmsg(request, &sent);

    /* Windows ignores ICMP port unreachable for sends (sock.c test_UDP: ten
     * sends to a dead port all succeed; libuv's udp_sendmmsg_error, the same
     * with overlapped ones); Linux reports it on the next send of a
     * connected socket, which then sends nothing.  That report is consumed,
     * so the next attempt goes out.  An overlapped send that failed at once
     * left no completion behind (Wine as Windows: no packet, event or APC
     * for a call that fails), so it is retried the same way. */
    if (status == STATUS_CONNECTION_REFUSED)
        status = afd_sendmsg(request, &sent);

    /* A stream socket ignores the address, however wild (sock.c
     * test_tcp_sendto_recvfrom); Wine 8 still parses it. */
    if (status == (NTSTATUS)STATUS_ACCESS_VIOLATION && request->addr && !request->overlapped && is_stream(request->socket))
    {
        rewritten = *request;
        rewritten.addr = NULL;
        rewritten.addr_len = 0;
        request = &rewritten;
        status = afd_sendmsg(request, &sent);
    }

    if (status && !ws2s_ntstatus_is_known(status))
        WARN("socket %#Ix: unexpected status %#lx from the socket driver", (ULONG_PTR)request->socket, status);

    if (!status && !request->overlapped)
    {
        total = send_request_bytes(request);
        /* Only a nonblocking stream send comes back short (Wine 8; Wine 9
         * and later hold the rest themselves).  Windows never accepts part
         * of it: ws2send holds the rest (send_queue.c), or, if it cannot,
         * reports the part sent, as Wine 8's builtin does. */
        if (sent < total)
        {
            int hold_error = send_queue_hold(request->socket, request->buffers, request->count, sent,
                                             request->flags & MSG_OOB);

            if (hold_error)
                WARN("socket %#Ix: cannot hold the rest of a send (error %d); reporting %Iu of %Iu bytes",
                     (ULONG_PTR)request->socket, hold_error, sent, total);
            else
                sent = total;
        }
    }

    if (status == STATUS_BUFFER_OVERFLOW && request->overlapped && oversize_completed(request))
    {
        *error = WSA_IO_PENDING;
        return SOCKET_ERROR;
    }

    if (!status && request->bytes_sent) *request->bytes_sent = sent;
    /* A blocking call that closesocket from another thread ended (it
     * cancels the socket's requests): Windows answers WSAEINTR (sdk-api
     * closesocket). */
    if (status == STATUS_CANCELLED && !request->overlapped) *error = WSAEINTR;
    else *error = status ? afd_refine_error(request, ws2s_ntstatus_to_wsa(status)) : 0;
    return status ? SOCKET_ERROR : 0;
}

const struct send_provider provider_wine_afd =
{
    "wine-afd",
    WS2SEND_PROVIDER_WINE_AFD,
    afd_send,
};
