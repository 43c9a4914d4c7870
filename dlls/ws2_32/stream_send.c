/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Stream sends the host does not take whole at once (see stream_send.h).
 */
#include "host_syscall.h"
#include "log.h"
#include "provider.h"
#include "send_queue.h"
#include "stream_send.h"
#include "ws2send/linux_abi.h"

/* Buffers in one host write. */
#define WINDOW_BUFFERS 64

/* Points iov at up to max of the request's buffers from byte pos on,
 * leaving out empty ones; returns how many entries that takes, and in
 * *bytes how many bytes they hold. */
static size_t buffers_from(const struct send_request *request, size_t pos, struct linux_iovec *iov, size_t max,
                           size_t *bytes)
{
    size_t n = 0;
    DWORD i;

    *bytes = 0;
    for (i = 0; i < request->count && pos >= request->buffers[i].len; i++) pos -= request->buffers[i].len;
    for (; i < request->count && n < max; i++, pos = 0)
    {
        if (request->buffers[i].len == pos) continue;
        iov[n].base = request->buffers[i].buf + pos;
        iov[n].len = request->buffers[i].len - pos;
        *bytes += iov[n++].len;
    }
    return n;
}

/* Writes the request's bytes from *done on to the host stream, as many
 * buffers at a time as a host message takes, for as long as the host
 * takes each write whole; adds what it took to *done. */
static void host_stream_write(const struct send_request *request, int fd, size_t total, size_t *done)
{
    struct linux_iovec iov[WINDOW_BUFFERS];
    struct linux_msghdr msg = {0};
    size_t window;
    intptr_t sent;

    msg.iov = iov;
    while (*done < total)
    {
        msg.iovlen = buffers_from(request, *done, iov, WINDOW_BUFFERS, &window);
        sent = linux_sendmsg(fd, &msg, LNX_MSG_DONTWAIT | LNX_MSG_NOSIGNAL);
        if (sent > 0) *done += sent;
        if (sent != (intptr_t)window) return;
    }
}

/* Sends what the host left of a non-overlapped stream send (all of it when
 * done is 0), in order, under the socket's lock.
 *
 * Wine's driver is asked for one byte, then the host for the rest, until
 * all is out.  A one-byte send is never short, so Wine's driver never keeps
 * a rest of its own (Wine 9 and later do for a short nonblocking send, where
 * neither the sending thread's exit nor the process' may reach it; see
 * docs/design.md), and its answer is the socket's blocking mode, which only
 * Wine's server knows: a blocking socket waits there for room, as Windows
 * waits (alertably, with SO_SNDTIMEO, ended by closesocket), and the host
 * then takes what the room allows; a nonblocking one refuses with
 * WSAEWOULDBLOCK (re-arming FD_WRITE), and ws2send holds the rest if any of
 * the send is already out. */
int stream_send_rest(const struct send_request *request, int fd, size_t total, size_t done, int *error)
{
    struct linux_iovec first;
    struct send_request single = *request;
    size_t first_len;
    WSABUF byte;
    DWORD one;
    int ret;

    /* An empty send the host refused: Wine's driver gives the error. */
    if (!total) return provider_wine_afd.send(request, error);

    single.buffers = &byte;
    single.count = 1;
    single.bytes_sent = &one;
    single.control = NULL;
    while (done < total)
    {
        buffers_from(request, done, &first, 1, &first_len);
        byte.buf = first.base;
        byte.len = 1;
        one = 0;
        if ((ret = provider_wine_afd.send(&single, error)))
        {
            if (*error != WSAEWOULDBLOCK || !done) return ret;
            /* Nonblocking, and part of this send is already on the wire, so
             * it cannot fail now.  If the rest cannot be held, the part that
             * went out is what the call reports, as Wine 8's builtin does. */
            if ((ret = send_queue_hold(request->socket, request->buffers, request->count, done)))
                WARN("socket %#Ix: cannot hold the rest of a send (error %d); reporting the part sent",
                     (ULONG_PTR)request->socket, ret);
            else
                done = total;
            break;
        }
        /* A success that sent nothing (never seen): report what went out
         * rather than go round for good. */
        if (!one) break;
        done += one;
        /* A failure is Wine's to report, on the next byte. */
        host_stream_write(request, fd, total, &done);
    }
    if (request->bytes_sent) *request->bytes_sent = done;
    *error = 0;
    return 0;
}

/* A non-overlapped stream send with more buffers than one host message
 * takes: the host writes them a message at a time, and the rest goes as
 * any rest does (stream_send_rest), so Wine's driver never gets the whole send
 * (which Wine 9 and later could keep part of). */
int stream_send_many(const struct send_request *request, int fd, UINT64 cookie, int *error)
{
    size_t total = 0, done = 0;

    if (send_queue_gate(request, cookie, error)) return SOCKET_ERROR;
    for (DWORD i = 0; i < request->count; i++) total += request->buffers[i].len;
    host_stream_write(request, fd, total, &done);
    /* A listening socket never sends, and Wine's driver would wait for it
     * forever.  Windows: not connected (sdk-api send). */
    if (!done && total && fast_fd_listening(fd))
    {
        *error = WSAENOTCONN;
        return SOCKET_ERROR;
    }
    return stream_send_rest(request, fd, total, done, error);
}
