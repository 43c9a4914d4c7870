/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the host fast path remembers about a socket, keyed by the Windows
 * handle and the host socket's cookie (SO_COOKIE: unique for the kernel's
 * lifetime).  The cookie is read on every fast send, so a closed handle
 * whose value is reused for another socket never inherits the old state.
 */
#ifndef WS2SEND_SOCKET_CACHE_H
#define WS2SEND_SOCKET_CACHE_H

#include <winsock2.h>

/* What completion.c learned of a socket's completion modes; changed with
 * interlocked operations under the socket's lock held shared. */
struct socket_completion
{
    LONG modes;             /* FILE_SKIP_* modes seen set (they are never cleared) */
    LONG countdown;         /* overlapped sends before the modes are asked again */
};

struct socket_state
{
    UINT64 cookie;          /* 0: not known yet */
    int type;               /* Linux SOCK_*, 0 if not eligible */
    BOOL bound;             /* Wine's server knows the socket is bound */
    BOOL tainted;           /* a send may be queued inside Wine unseen: never fast again */
    struct socket_completion completion;
};

/* Each socket has a lock that orders fast sends against Wine's queue: a fast
 * send holds it (shared for datagrams, exclusive for streams, so a stream
 * send that the host takes only in part can hand its rest to Wine before any
 * other send starts); socket_cache_taint() takes it exclusive, so once it
 * returns no fast send is in flight and none will start.  NULL when the
 * table is full. */
SRWLOCK *socket_cache_lock(SOCKET s);
/* Copies the state of (s, cookie) into *state; FALSE if there is none (a new
 * socket, or the handle now names another socket).  Caller holds the lock. */
BOOL socket_cache_get(SOCKET s, UINT64 cookie, struct socket_state *state);
/* Records the state of a socket.  Caller holds the lock exclusive. */
void socket_cache_put(SOCKET s, const struct socket_state *state);
/* Keeps the fast path off the socket with this cookie for good (cookie 0:
 * whatever socket the handle names now or next); works before the fast path
 * saw the socket.  Takes the lock itself unless locked says the caller holds
 * it exclusive. */
void socket_cache_taint(SOCKET s, UINT64 cookie, BOOL locked);

/* The completion modes learned of the handle's socket, NULL when the table
 * is full.  Caller holds the lock and has checked the cookie. */
struct socket_completion *socket_cache_completion(SOCKET s);

/* An overlapped send of the handle's socket went pending in Wine's driver:
 * no host send may overtake it until it is done.  FALSE when there is no
 * room to note it (the caller then keeps the fast path off for good). */
BOOL socket_cache_note_wine_pending(SOCKET s, WSAOVERLAPPED *overlapped);
/* TRUE while an overlapped send noted for the handle is still in Wine's
 * driver (or the table is full). */
BOOL socket_cache_wine_busy(SOCKET s);

/* Drops what is known of the handle's socket (closesocket). */
void socket_cache_forget(SOCKET s);
/* TRUE if the handle's entry is tainted, whichever socket it was for. */
BOOL socket_cache_is_tainted(SOCKET s);
/* TRUE if the last socket seen on this handle was a stream socket. */
BOOL socket_cache_is_stream(SOCKET s);

#endif /* WS2SEND_SOCKET_CACHE_H */
