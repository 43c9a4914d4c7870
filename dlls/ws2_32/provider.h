/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The provider interface: one operation, "send a message", shaped after
 * LPWSPSend.  The API layer has validated and captured everything a request
 * points to; a provider returns 0 or SOCKET_ERROR with *error set and never
 * touches the thread's last error.
 */
#ifndef WS2SEND_PROVIDER_H
#define WS2SEND_PROVIDER_H

#include <winsock2.h>
#include <mswsock.h>
#include <winternl.h>

#include "ws2send/stats.h"

struct send_request
{
    SOCKET socket;
    enum ws2send_entry_id entry;
    WSABUF *buffers;            /* ws2send's own copy, alive for the call */
    DWORD count;
    const struct sockaddr *addr;
    int addr_len;
    const WSAMSG *msg;          /* WSASendMsg only: the caller's message */
    const void *control;        /* validated control data, or NULL */
    ULONG control_len;
    BOOL control_segments;      /* the control data asks for UDP segmentation */
    DWORD flags;
    DWORD *bytes_sent;          /* may be NULL for overlapped requests */
    WSAOVERLAPPED *overlapped;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE completion;
    int host_fd;                /* the socket's host descriptor if the caller has it, else -1 */
    UINT64 host_cookie;         /* host_fd's SO_COOKIE if the caller read it, else 0 */
};

struct send_provider
{
    const char *name;
    enum ws2send_provider_id id;
    int (*send)(const struct send_request *request, int *error);
};

extern const struct send_provider provider_wine_afd;
extern const struct send_provider provider_host_api;

/* TRUE when every buffer of the request lies in readable memory.  The API
 * layer leaves this check to the provider layer: a datagram the host takes
 * needs none (the host answers EFAULT and sends nothing); every other route
 * makes it before the first byte can leave, as Windows does. */
BOOL send_request_readable(const struct send_request *request);
/* The bytes the request's buffers hold. */
size_t send_request_bytes(const struct send_request *request);
/* Sends through the provider chosen for this process. */
int provider_send(const struct send_request *request, int *error);
/* SO_TYPE of the socket (Windows numbering), or the error asking gave:
 * WSAENOTSOCK for a handle that is no socket. */
int provider_socket_type(SOCKET s, int *type);
/* Statistics for the private SIO_WS2SEND_GET_STATS ioctl. */
void provider_count_extension_lookup(void);
void provider_get_stats(struct ws2send_stats *stats);
/* One info line with the counts above, if the process sent anything. */
void provider_log_summary(void);

/* host-fast: TRUE when this thread can reach the host socket itself (Wine
 * on Linux, system calls not trapped). */
BOOL fast_host_route(void);
/* host-fast: TRUE when it served the request (*ret, *error set). */
BOOL fast_try_send(const struct send_request *request, int *ret, int *error);
/* host-fast: the socket's host descriptor (-1 when the host route is not
 * available), to be given back with fast_put_fd in the same call. */
int fast_get_fd(SOCKET s);
void fast_put_fd(int fd);
/* host-fast: the host socket's cookie (SO_COOKIE: unique while the kernel
 * runs), 0 when it cannot be had. */
UINT64 fast_fd_cookie(int fd);
UINT64 fast_socket_cookie(SOCKET s);
/* host-fast: TRUE when the host socket behind fd is listening. */
BOOL fast_fd_listening(int fd);
/* host-fast: the type it recorded for the socket with this cookie on this
 * handle (SOCK_STREAM or SOCK_DGRAM); FALSE if it has none. */
BOOL fast_cached_type(SOCKET s, UINT64 cookie, int *type);
/* host-fast: the type of the socket behind a host descriptor (Linux and
 * Windows number SOCK_STREAM, SOCK_DGRAM and SOCK_RAW alike). */
BOOL fast_fd_type(int fd, int *type);
/* host-fast: called before a request goes to Wine's driver instead, and
 * after, with what the driver answered (locked: the caller holds the
 * socket's lock exclusive). */
void fast_before_wine_send(const struct send_request *request);
void fast_after_wine_send(const struct send_request *request, int ret, int error, BOOL locked);

/* wine-afd: TRUE when this Wine's socket driver takes our requests. */
BOOL afd_available(void);
void afd_thread_detach(void);
/* wine-afd: TRUE when this Wine's driver itself holds the rest of a short
 * nonblocking stream send (Wine 9 and later) and reports it sent. */
BOOL afd_driver_holds_rests(void);
/* wine-afd: makes Wine's server report FD_WRITE again once the socket can
 * take data, as after a send that would block; sends nothing. */
void afd_rearm_write_event(SOCKET s);
/* wine-afd: the Windows error for a send Wine's driver (or the host, mapped
 * as the driver maps it) failed with error, where Wine's answer differs. */
int afd_refine_error(const struct send_request *request, int error);
/* wine-afd: calls done(context) on a pool thread once every send queued on
 * the socket so far has ended (completed, failed or cancelled). */
NTSTATUS afd_after_queued_sends(SOCKET s, void (CALLBACK *done)(void *), void *context);

#endif /* WS2SEND_PROVIDER_H */
