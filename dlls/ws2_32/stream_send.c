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

/* Points iov at up to max of the request's buffers from byte pos to byte
 * end, leaving out empty ones; returns how many entries that takes, and in
 * *bytes how many bytes they hold. */
static size_t buffers_from(const struct send_request *request, size_t pos, size_t end, struct linux_iovec *iov,
                           size_t max, size_t *bytes)
{
    size_t n = 0;
    DWORD i;

    *bytes = 0;
    end -= pos;
    for (i = 0; i < request->count && pos >= request->buffers[i].len; i++) pos -= request->buffers[i].len;
    for (; i < request->count && n < max && *bytes < end; i++, pos = 0)
    {
        if (request->buffers[i].len == pos) continue;
        iov[n].base = request->buffers[i].buf + pos;
        iov[n].len = min(request->buffers[i].len - pos, end - *bytes);
        *bytes += iov[n++].len;
    }
    return n;
}

/* Writes the request's bytes from *done to end on the host stream, as
 * many buffers at a time as a host message takes, for as long as the host
 * takes each write whole; adds what it took to *done. */
static void host_stream_write(const struct send_request *request, int fd, size_t end, size_t *done)
{
    struct linux_iovec iov[WINDOW_BUFFERS];
    struct linux_msghdr msg = {0};
    size_t window;
    intptr_t sent;

    msg.iov = iov;
    while (*done < end)
    {
        msg.iovlen = buffers_from(request, *done, end, iov, WINDOW_BUFFERS, &window);
        sent = linux_sendmsg(fd, &msg, LNX_MSG_DONTWAIT | LNX_MSG_NOSIGNAL);
        if (sent > 0) *done += sent;
        if (sent != (intptr_t)window) return;
    }
}

/* Where a send's plain bytes end: with MSG_OOB the last byte is the urgent
 * one (sdk-api send; the host, as BSD, marks the last byte of each MSG_OOB
 * write), and goes alone with the flag, so the mark lands where one write
 * would put it. */
static size_t plain_end(const struct send_request *request, size_t total)
{
    return total && (request->flags & MSG_OOB) ? total - 1 : total;
}

/* The request's byte at pos, through Wine's driver with flags; adds what
 * went out to *done.  One byte is never short. */
static int send_one_byte(const struct send_request *request, size_t pos, DWORD flags, size_t *done, int *error)
{
    struct send_request single = *request;
    struct linux_iovec iov;
    size_t len;
    WSABUF byte;
    DWORD one = 0;
    int ret;

    buffers_from(request, pos, pos + 1, &iov, 1, &len);
    byte.buf = iov.base;
    byte.len = 1;
    single.buffers = &byte;
    single.count = 1;
    single.flags = flags;
    single.bytes_sent = &one;
    single.control = NULL;
    if (!(ret = provider_wine_afd.send(&single, error))) *done += one;
    return ret;
}

/* Sends the request's bytes from *done to end, in order, under the
 * socket's lock: Wine's driver is asked for one byte, then the host for
 * the rest, until all is out.  A one-byte send is never short, so Wine's
 * driver never keeps a rest of its own (Wine 9 and later do for a short
 * nonblocking send, where neither the sending thread's exit nor the
 * process' may reach it; see docs/design.md), and its answer is the
 * socket's blocking mode, which only Wine's server knows: a blocking socket
 * waits there for room, as Windows waits (alertably, with SO_SNDTIMEO,
 * ended by closesocket), and the host then takes what the room allows; a
 * nonblocking one refuses with WSAEWOULDBLOCK (re-arming FD_WRITE).
 * Returns 0, with *done at end or, after a success that sent nothing
 * (never seen), short of it; or Wine's error, with *done what went out. */
static int send_until(const struct send_request *request, int fd, size_t end, size_t *done, int *error)
{
    int ret;

    while (*done < end)
    {
        size_t before = *done;

        if ((ret = send_one_byte(request, *done, 0, done, error))) return ret;
        if (*done == before) break;
        /* A failure is Wine's to report, on the next byte. */
        host_stream_write(request, fd, end, done);
    }
    *error = 0;
    return 0;
}

static int report_sent(const struct send_request *request, size_t done, int *error)
{
    if (request->bytes_sent) *request->bytes_sent = done;
    *error = 0;
    return 0;
}

/* Sends what the host left of a non-overlapped stream send (all of it when
 * done is 0): as send_until does, the urgent byte of a MSG_OOB send last
 * and alone (plain_end), and where a nonblocking socket refuses once part
 * of the send is out, ws2send holds the rest. */
int stream_send_rest(const struct send_request *request, int fd, size_t total, size_t done, int *error)
{
    BOOL urgent = (request->flags & MSG_OOB) != 0;
    size_t end = plain_end(request, total);
    int ret;

    /* An empty send the host refused: Wine's driver gives the error. */
    if (!total) return provider_wine_afd.send(request, error);

    ret = send_until(request, fd, end, &done, error);
    if (!ret && urgent && done == end) ret = send_one_byte(request, done, MSG_OOB, &done, error);
    if (ret)
    {
        if (*error != WSAEWOULDBLOCK || !done) return ret;
        /* Nonblocking, and part of this send is already on the wire, so it
         * cannot fail now.  If the rest cannot be held, the part that went
         * out is what the call reports, as Wine 8's builtin does. */
        if ((ret = send_queue_hold(request->socket, request->buffers, request->count, done, urgent)))
            WARN("socket %#Ix: cannot hold the rest of a send (error %d); reporting the part sent",
                 (ULONG_PTR)request->socket, ret);
        else
            done = total;
    }
    return report_sent(request, done, error);
}

/* A non-overlapped stream send that one host message does not serve (more
 * buffers than it takes, or urgent data): the host writes its plain bytes
 * a message at a time, and the rest goes as any rest does
 * (stream_send_rest), so Wine's driver never gets the whole send (which
 * Wine 9 and later could keep part of). */
int stream_send_stepwise(const struct send_request *request, int fd, UINT64 cookie, int *error)
{
    size_t total = send_request_bytes(request), done = 0;

    if (send_queue_gate(request, cookie, error)) return SOCKET_ERROR;
    host_stream_write(request, fd, plain_end(request, total), &done);
    /* A listening socket never sends, and Wine's driver would wait for it
     * forever.  Windows: not connected (sdk-api send). */
    if (!done && total && fast_fd_listening(fd))
    {
        *error = WSAENOTCONN;
        return SOCKET_ERROR;
    }
    return stream_send_rest(request, fd, total, done, error);
}
