/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * host-api: sends through the host ws2_32.dll's own functions.  Used on real
 * Windows (where ws2send can be loaded under another name for testing) and
 * on hosts whose socket driver ws2send does not know.
 */
#include "host.h"
#include "log.h"
#include "provider.h"

static int host_api_send(const struct send_request *request, int *error)
{
    DWORD *bytes_sent = request->bytes_sent;
    int ret;

    if (!host_available())
    {
        *error = WSASYSNOTREADY;
        return SOCKET_ERROR;
    }

    if (request->entry == WS2SEND_ENTRY_WSASENDMSG && host.WSASendMsg)
    {
        /* The host sees the caller's message, so it reads the control data
         * and buffers itself; ws2send has already checked them. */
        WSAMSG msg = *request->msg;

        msg.lpBuffers = request->buffers;
        msg.dwBufferCount = request->count;
        ret = host.WSASendMsg(request->socket, &msg, request->flags, bytes_sent,
                              request->overlapped, request->completion);
    }
    else if (request->addr && host.WSASendTo)
        ret = host.WSASendTo(request->socket, request->buffers, request->count, bytes_sent,
                             request->flags, request->addr, request->addr_len,
                             request->overlapped, request->completion);
    else if (host.WSASend)
        ret = host.WSASend(request->socket, request->buffers, request->count, bytes_sent,
                           request->flags, request->overlapped, request->completion);
    else
    {
        *error = WSAEOPNOTSUPP;
        return SOCKET_ERROR;
    }

    *error = ret ? (int)GetLastError() : 0;
    return ret;
}

const struct send_provider provider_host_api =
{
    "host-api",
    WS2SEND_PROVIDER_HOST_API,
    host_api_send,
};
