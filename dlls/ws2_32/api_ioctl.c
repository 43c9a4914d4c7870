/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * WSAIoctl: ws2send answers SIO_GET_EXTENSION_FUNCTION_POINTER for
 * WSAID_WSASENDMSG (so that programs which look WSASendMsg up by GUID, as
 * .NET and most IOCP servers do, reach ws2send's send path) and its private
 * statistics code; every other code and GUID goes to the host unchanged.
 * FIONBIO, here and in ioctlsocket, is also noted for the bytes ws2send
 * holds (a blocking socket's sends wait behind them).
 */
#include "api.h"
#include "host.h"
#include "log.h"
#include "provider.h"
#include "send_queue.h"

static const GUID wsasendmsg_guid = WSAID_WSASENDMSG;

static int get_stats(void *out, DWORD out_size, DWORD *ret_size)
{
    struct ws2send_stats stats;

    if (!ret_size || !memory_writable(ret_size, sizeof(*ret_size))) return api_fail(WSAEFAULT);
    if (out_size < sizeof(stats) || !memory_writable(out, sizeof(stats))) return api_fail(WSAEFAULT);
    provider_get_stats(&stats);
    memcpy(out, &stats, sizeof(stats));
    *ret_size = sizeof(stats);
    SetLastError(0);
    return 0;
}

/* Argument rules of the lookup (sdk-api nf-winsock2-wsaioctl, WSAEFAULT:
 * "The lpvInBuffer, lpvOutBuffer, lpcbBytesReturned, lpOverlapped, or
 * lpCompletionRoutine parameter is not totally contained in a valid part of
 * the user address space, or the cbInBuffer or cbOutBuffer parameter is too
 * small"; Wine's sock.c test_get_extension_func for the NULL
 * lpcbBytesReturned case).  The host writes the OVERLAPPED without looking. */
static int check_lookup(SOCKET s, const void *in, DWORD in_size, void *out, DWORD out_size,
                        DWORD *ret_size, WSAOVERLAPPED *overlapped)
{
    int type, error = 0;

    /* Wine's builtin hands out pointers for any handle at all; Windows
     * looks the socket up first (sock.c test_get_extension_func). */
    if ((error = provider_socket_type(s, &type))) return error;
    if (!ret_size || !memory_writable(ret_size, sizeof(*ret_size)))
        error = WSAEFAULT;
    else if (in_size < sizeof(GUID) || !memory_readable(in, sizeof(GUID)))
        error = WSAEFAULT;
    else if (out_size < sizeof(void *) || !memory_writable(out, sizeof(void *)))
        error = WSAEFAULT;
    else if (overlapped && !memory_writable(overlapped, sizeof(*overlapped)))
        error = WSAEFAULT;
    return error;
}

/* After a successful FIONBIO. */
static void note_blocking_mode(SOCKET s, const u_long *nonblocking)
{
    if (send_queue_active()) send_queue_set_blocking(fast_socket_cookie(s), !*nonblocking);
}

int WINAPI ioctlsocket(SOCKET s, LONG code, u_long *arg)
{
    static int (WINAPI *host_ioctlsocket)(SOCKET, LONG, u_long *);
    int ret;

    if (!host_available() || !(host_ioctlsocket = (void *)host_proc("ioctlsocket")))
        return api_fail(WSANOTINITIALISED);
    ret = host_ioctlsocket(s, code, arg);
    if (!ret && code == (LONG)FIONBIO) note_blocking_mode(s, arg);
    return ret;
}

int WINAPI WSAIoctl(SOCKET s, DWORD code, void *in, DWORD in_size, void *out, DWORD out_size,
                    DWORD *ret_size, WSAOVERLAPPED *overlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE completion)
{
    void *host_answer;
    int error, ret;

    if (code == SIO_WS2SEND_GET_STATS)
        return get_stats(out, out_size, ret_size);

    if (!host_available() || !host.WSAIoctl)
        return api_fail(WSASYSNOTREADY);

    if (code != SIO_GET_EXTENSION_FUNCTION_POINTER)
    {
        ret = host.WSAIoctl(s, code, in, in_size, out, out_size, ret_size, overlapped, completion);
        if (!ret && code == FIONBIO && in_size >= sizeof(u_long)) note_blocking_mode(s, in);
        return ret;
    }

    /* The host would crash on some of these (Wine's builtin writes the
     * pointer without looking at the sizes). */
    if ((error = check_lookup(s, in, in_size, out, out_size, ret_size, overlapped)))
        return api_fail(error);

    if (memcmp(in, &wsasendmsg_guid, sizeof(GUID)))
        return host.WSAIoctl(s, code, in, in_size, out, out_size, ret_size, overlapped, completion);

    /* Our pointer is in place before the host completes the request (event,
     * APC or completion packet), so a waiter never sees the host's.  The
     * host still checks the socket and does the completion. */
    *(void **)out = (void *)WSASendMsg;
    ret = host.WSAIoctl(s, code, in, in_size, &host_answer, sizeof(host_answer), ret_size,
                        overlapped, completion);
    if (!ret) provider_count_extension_lookup();
    TRACE("socket %#Ix: WSASendMsg lookup -> %d", (ULONG_PTR)s, ret);
    return ret;
}
