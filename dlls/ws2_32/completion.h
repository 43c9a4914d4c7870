/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Completing an overlapped send from user mode.  When the host has taken an
 * overlapped send whole, Windows completes it at once: the call returns 0,
 * the OVERLAPPED holds the status and the count, and, depending on the
 * request and on the socket's completion modes, an event is set, a routine
 * is queued to the thread, a packet goes to the socket's completion port and
 * the socket handle is signalled.  Only the case in which none of those
 * must happen is completed here, with no call to Wine's server; every other
 * one stays on Wine's driver (see completion.c for why).
 */
#ifndef WS2SEND_COMPLETION_H
#define WS2SEND_COMPLETION_H

#include "provider.h"
#include "socket_cache.h"

/* FALSE when an immediate success of this request certainly has something
 * to deliver (not overlapped, an event, a routine); costs nothing. */
BOOL completion_may_be_silent(const struct send_request *request);

/* Before any host call: FALSE when what is known of the handle's socket
 * says the success would have something to deliver (the modes not seen set,
 * and not yet time to ask again); costs nothing.  known may belong to a
 * socket the handle named before: it only sends requests to Wine's driver. */
BOOL completion_worth_trying(const struct send_request *request, struct socket_completion *known);
/* TRUE when an immediate success of this overlapped request has nothing to
 * deliver (no event, no routine, and the socket skips both the completion
 * port and its own signal on success), so the host may send it and
 * completion_succeed() completes it.  known holds what was learned of the
 * socket's modes (the caller holds the socket's lock, shared or not); at
 * times (when completion_worth_trying said so, or for a socket new on the
 * handle) this asks Wine's server, one call. */
BOOL completion_is_silent(const struct send_request *request, struct socket_completion *known);

/* Completes an overlapped request the host sent whole: the OVERLAPPED's
 * status and count, and the caller's count. */
void completion_succeed(const struct send_request *request, ULONG_PTR bytes);

#endif /* WS2SEND_COMPLETION_H */
