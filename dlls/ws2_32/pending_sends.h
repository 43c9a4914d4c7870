/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The sends ws2send has handed to Wine's driver that may still be pending
 * there, by socket and status block, so that closesocket can cancel exactly
 * those.  Wine 8 leaves a socket's pending sends waiting after its last
 * handle is closed; Windows cancels them (sdk-api closesocket).  Cancelling
 * every request of the handle instead would also end other threads' select,
 * WSAPoll and AFD polls with ERROR_OPERATION_ABORTED, where Windows reports
 * the socket closed (sock.c test_select, test_poll; afd.c test_poll).
 */
#ifndef WS2SEND_PENDING_SENDS_H
#define WS2SEND_PENDING_SENDS_H

#include <winsock2.h>
#include <winternl.h>

/* Before a send with this status block is issued on s.  A blocking send
 * stays listed until pending_send_ended; an overlapped one until the socket
 * is closed, the same status block is used again, or the list is full. */
void pending_send_begin(SOCKET s, IO_STATUS_BLOCK *iosb, BOOL overlapped);
/* After a blocking send returned, or after any send that did not pend. */
void pending_send_ended(SOCKET s, IO_STATUS_BLOCK *iosb);
/* closesocket: cancels the listed sends of s (a blocking one then fails
 * with WSAEINTR, an overlapped one completes with STATUS_CANCELLED). */
void pending_sends_cancel(SOCKET s);

#endif /* WS2SEND_PENDING_SENDS_H */
