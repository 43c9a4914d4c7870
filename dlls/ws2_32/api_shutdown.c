/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * shutdown passes through to the host, except that the sending side of a
 * socket for which ws2send still holds reported bytes is shut down only
 * once they have gone out: Windows sends its buffered data before the FIN
 * (sdk-api shutdown: "the FIN is sent after all data is sent").  Until
 * then ws2send answers that socket's sends with WSAESHUTDOWN itself.
 */
#include "api.h"
#include "host.h"
#include "provider.h"
#include "send_queue.h"

int WINAPI shutdown(SOCKET s, int how)
{
    static int (WINAPI *host_shutdown)(SOCKET, int);

    if (!host_available() || !(host_shutdown = (void *)host_proc("shutdown")))
        return api_fail(WSANOTINITIALISED);
    if ((how == SD_SEND || how == SD_BOTH) && send_queue_active()
        && send_queue_defer_shutdown(fast_socket_cookie(s)))
    {
        if (how == SD_BOTH) return host_shutdown(s, SD_RECEIVE);
        SetLastError(0);
        return 0;
    }
    return host_shutdown(s, how);
}
