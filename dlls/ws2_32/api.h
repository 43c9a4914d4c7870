/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers the API layer's entry points share.
 */
#ifndef WS2SEND_API_H
#define WS2SEND_API_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "memory_probe.h"
#include "ws2send/stats.h"


static inline int api_fail(int error)
{
    SetLastError(error);
    return SOCKET_ERROR;
}

/* Between a successful WSAStartup and the matching WSACleanup. */
BOOL api_started(void);

/* The error to report for a call that failed its argument checks: Windows
 * looks the socket up first, so WSAENOTSOCK wins. */
int api_socket_error(SOCKET s, int error);
/* 0, or the error Windows gives for these flags on this entry point. */
int api_check_flags(SOCKET s, enum ws2send_entry_id entry, DWORD flags);
/* Binds an unbound socket to the wildcard address of name's family, as a
 * send would have. */
void api_implicit_bind(SOCKET s, const struct sockaddr *name, int name_len);

#endif /* WS2SEND_API_H */
