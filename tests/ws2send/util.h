/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Socket helpers for ws2send's own tests (loopback only).
 */
#ifndef WS2SEND_TESTS_UTIL_H
#define WS2SEND_TESTS_UTIL_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>

#include "wstest.h"
#include "ws2send/stats.h"

/* A UDP socket bound to 127.0.0.1 (port 0 unless given); *addr gets its address. */
SOCKET udp_bound(struct sockaddr_in *addr);
/* A TCP socket listening on 127.0.0.1 (a free port); *addr gets its address. */
SOCKET tcp_listener(struct sockaddr_in *addr);
/* A connected TCP pair over 127.0.0.1; flags for WSASocket (0 or WSA_FLAG_OVERLAPPED). */
void tcp_pair(SOCKET *client, SOCKET *server, DWORD flags);
/* Receives exactly len bytes (stream), with a timeout in ms; returns bytes got. */
int recv_all(SOCKET s, char *buf, int len, DWORD timeout_ms);
void set_blocking(SOCKET s, BOOL blocking);
/* WSASendMsg as WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) hands it out. */
LPFN_WSASENDMSG wsasendmsg_of(SOCKET s);

/* ws2send's statistics; FALSE if the DLL is not ws2send. */
BOOL get_stats(SOCKET s, struct ws2send_stats *stats);
unsigned int stats_provider_total(const struct ws2send_stats *stats, enum ws2send_provider_id provider);
/* WS2SEND_FASTPATH as the DLL reads it: on unless "0". */
BOOL fastpath_enabled(void);
/* Host file descriptors open in this process (Wine: Z:\proc\self\fd); -1 if unknown. */
int count_host_fds(void);

#endif
