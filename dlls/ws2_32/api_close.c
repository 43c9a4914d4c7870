/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * closesocket passes through to the host, with three things of Windows'
 * that Wine 8's builtin lacks:
 * - ws2send first forgets what its fast path knew of the socket, so a new
 *   socket that gets the same handle value starts afresh (a socket closed
 *   with CloseHandle is caught by the cookie check instead; socket_cache.h);
 * - the sends ws2send left pending in Wine's driver are cancelled first, so
 *   a blocking send in another thread returns and overlapped ones complete
 *   aborted (sdk-api closesocket: "any pending overlapped send and receive
 *   operations ... issued by any thread in this process are also
 *   canceled"); Wine would leave them waiting on a socket nobody can reach.
 *   Only those: another thread's select or WSAPoll on the socket must see
 *   it closed, as Wine's server reports it, not aborted (pending_sends.h);
 * - a DuplicateHandle copy of a socket, which the builtin does not know as
 *   a socket (WSAENOTSOCK, and the handle leaks), is closed as a handle.
 * Bytes ws2send holds for the socket are not touched (send_queue.c).
 */
#include "api.h"
#include "host.h"
#include "pending_sends.h"
#include "provider.h"
#include "socket_cache.h"

int WINAPI closesocket(SOCKET s)
{
    static int (WINAPI *host_closesocket)(SOCKET);
    DWORD error;
    int type, ret;

    if (!host_available() || !(host_closesocket = (void *)host_proc("closesocket")))
        return api_fail(WSANOTINITIALISED);
    if (!api_started()) return host_closesocket(s);

    error = GetLastError();
    pending_sends_cancel(s);
    SetLastError(error);
    socket_cache_forget(s);
    if (!(ret = host_closesocket(s)) || WSAGetLastError() != WSAENOTSOCK) return ret;

    /* Only a handle whose host descriptor is a socket is closed here. */
    if (provider_socket_type(s, &type) || !CloseHandle((HANDLE)s)) return api_fail(WSAENOTSOCK);
    SetLastError(0);
    return 0;
}
