/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * closesocket passes through to the host; ws2send first forgets what its
 * fast path knew of the socket, so a new socket that gets the same handle
 * value starts afresh.  (A socket closed with CloseHandle is caught by the
 * cookie check instead; see socket_cache.h.)
 */
#include "api.h"
#include "host.h"
#include "socket_cache.h"

int WINAPI closesocket(SOCKET s)
{
    static int (WINAPI *host_closesocket)(SOCKET);

    if (!host_available() || !(host_closesocket = (void *)host_proc("closesocket")))
        return api_fail(WSANOTINITIALISED);
    socket_cache_forget(s);
    return host_closesocket(s);
}
