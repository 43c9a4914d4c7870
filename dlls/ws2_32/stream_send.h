/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Stream sends that the host does not take whole at once, on the host
 * route: the host writes, and what it leaves waits for room one byte at a
 * time in Wine's driver, which alone knows the socket's blocking mode
 * (stream_send.c).  Wine's driver never gets more than one byte of such a
 * send, so it never keeps a rest of its own.
 */
#ifndef WS2SEND_STREAM_SEND_H
#define WS2SEND_STREAM_SEND_H

#include "provider.h"

/* Sends the request's bytes after the first done of total (the host took
 * those), in order, under the socket's lock.  Returns 0 with
 * *request->bytes_sent set, or SOCKET_ERROR with *error. */
int stream_send_rest(const struct send_request *request, int fd, size_t total, size_t done, int *error);

/* A non-overlapped stream send that one host message does not serve
 * (more buffers than it takes, or MSG_OOB), under the socket's lock:
 * behind what ws2send holds, then the host's share, then the rest as
 * stream_send_rest sends it. */
int stream_send_stepwise(const struct send_request *request, int fd, UINT64 cookie, int *error);

#endif /* WS2SEND_STREAM_SEND_H */
