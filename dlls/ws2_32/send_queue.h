/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Bytes of nonblocking stream sends that ws2send reported as sent while the
 * host had not taken them yet.  Windows never accepts part of such a send:
 * it buffers the rest in the kernel, where no cancel, thread exit or close
 * of the program's can reach it.  ws2send holds that rest itself, on a host
 * descriptor of its own, and one thread of its own (which never exits)
 * writes it out in order; until it is out, the socket's later sends wait
 * behind it (or fail with WSAEWOULDBLOCK, as Windows' do on a full buffer).
 *
 * Sockets are known by their host cookie (SO_COOKIE), so duplicated handles
 * share what is held and a reused handle value never inherits it.
 */
#ifndef WS2SEND_SEND_QUEUE_H
#define WS2SEND_SEND_QUEUE_H

#include "provider.h"

/* TRUE while bytes are held for any socket; costs one memory read. */
BOOL send_queue_active(void);

/* Holds the bytes of buffers after the first skip for socket s, behind
 * whatever it holds already; urgent: they are the end of a MSG_OOB send,
 * whose last byte goes out urgent.  Returns 0, or the error that leaves
 * them unsent (no host route, no memory). */
int send_queue_hold(SOCKET s, const WSABUF *buffers, DWORD count, ULONG_PTR skip, BOOL urgent);

/* Called before a stream send of the socket with this cookie, with the
 * socket's send lock held.  Returns FALSE when the send may go on (waiting
 * first, alertably, for what is held to go out if the send is blocking or
 * overlapped); TRUE when it was answered instead (*error: WSAEWOULDBLOCK
 * for a nonblocking send, WSAESHUTDOWN after shutdown, WSAETIMEDOUT when
 * SO_SNDTIMEO ran out). */
BOOL send_queue_gate(const struct send_request *request, UINT64 cookie, int *error);

/* shutdown(): TRUE when the sending side's shutdown was deferred until what
 * is held has gone out (the caller then must not shut the send side now). */
BOOL send_queue_defer_shutdown(UINT64 cookie);

/* FIONBIO: the socket's blocking mode changed (later sends of a blocking
 * socket wait behind what is held instead of failing). */
void send_queue_set_blocking(UINT64 cookie, BOOL blocking);

/* The process is ending: pushes what is held to the host, waiting as long
 * as the peers keep taking data (bounded, as a lingering close is). */
void send_queue_flush_at_exit(void);

#endif /* WS2SEND_SEND_QUEUE_H */
