/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What ws2send's closesocket ends: the sends it left pending in Wine's
 * driver, and nothing else.  Another thread's select or WSAPoll on the
 * socket must see the socket closed, as on Windows (Wine's sock.c
 * test_select "bug 38399" and test_poll, run on Windows), not fail with
 * WSA_OPERATION_ABORTED as it did while ws2send cancelled every request of
 * the handle.
 */
#include <string.h>

#include "util.h"

enum { CLOSE_ATTEMPTS = 5, WAIT_MS = 10000 };

struct waiter
{
    SOCKET s;
    BOOL use_poll;
    HANDLE started;
    int ret, error;
    BOOL readable;          /* select: the socket is in the read set */
    SHORT revents;          /* WSAPoll */
};

static DWORD WINAPI wait_on_socket(void *arg)
{
    struct waiter *w = arg;

    SetEvent(w->started);
    if (w->use_poll)
    {
        WSAPOLLFD fd = { .fd = w->s, .events = POLLRDNORM | POLLRDBAND, .revents = 0 };

        w->ret = WSAPoll(&fd, 1, WAIT_MS);
        w->revents = fd.revents;
    }
    else
    {
        struct timeval timeout = { WAIT_MS / 1000, 0 };
        fd_set readable;

        FD_ZERO(&readable);
        FD_SET(w->s, &readable);
        w->ret = select(0, &readable, NULL, NULL, &timeout);
        w->readable = FD_ISSET(w->s, &readable);
    }
    w->error = w->ret == SOCKET_ERROR ? WSAGetLastError() : 0;
    return 0;
}

/* Closes a connected socket while another thread waits on it.  The wait
 * has to be under way when the socket closes; a thread that reached it only
 * afterwards gets WSAENOTSOCK, and the attempt is made again. */
static void test_wait_sees_close(BOOL use_poll)
{
    const char *name = use_poll ? "WSAPoll" : "select";
    BOOL during = FALSE;

    for (int attempt = 0; attempt < CLOSE_ATTEMPTS && !during; attempt++)
    {
        struct waiter w = { .use_poll = use_poll };
        SOCKET server;
        HANDLE thread;

        tcp_pair(&w.s, &server, 0);
        w.started = CreateEventW(NULL, TRUE, FALSE, NULL);
        thread = CreateThread(NULL, 0, wait_on_socket, &w, 0, NULL);
        WaitForSingleObject(w.started, INFINITE);
        Sleep(100 << attempt);
        closesocket(w.s);
        ok(!WaitForSingleObject(thread, WAIT_MS * 2), "%s did not return\n", name);

        ok(w.error != WSA_OPERATION_ABORTED, "%s was aborted by closesocket\n", name);
        if (w.ret == SOCKET_ERROR && w.error == WSAENOTSOCK)
            trace("%s began after the close (attempt %d)\n", name, attempt);
        else
        {
            during = TRUE;
            ok(w.ret == 1, "%s returned %d, error %d\n", name, w.ret, w.error);
            if (use_poll)
                ok(w.revents == POLLNVAL, "WSAPoll reported events %#x\n", w.revents);
            else
                ok(w.readable, "select did not report the closed socket readable\n");
        }
        CloseHandle(thread);
        CloseHandle(w.started);
        closesocket(server);
    }
    ok(during, "%s never ran while the socket closed\n", name);
}

/* An overlapped send left pending in Wine's driver (the peer reads nothing)
 * completes aborted when the socket closes (sdk-api closesocket). */
static void test_pending_send_cancelled(void)
{
    enum { CHUNK = 4 << 20, MAX_SENDS = 64 };
    static WSAOVERLAPPED ov[MAX_SENDS];
    static char data[CHUNK];
    WSABUF buf = { CHUNK, data };
    SOCKET client, server;
    int sends, pending = -1;

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    for (sends = 0; sends < MAX_SENDS && pending < 0; sends++)
    {
        memset(&ov[sends], 0, sizeof(ov[sends]));
        ov[sends].hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        if (WSASend(client, &buf, 1, NULL, 0, &ov[sends], NULL) == SOCKET_ERROR)
        {
            ok(WSAGetLastError() == WSA_IO_PENDING, "WSASend failed, error %d\n", WSAGetLastError());
            pending = sends;
        }
    }
    ok(pending >= 0, "no send was left pending after %d of %u bytes\n", sends, CHUNK);
    closesocket(client);
    if (pending >= 0)
    {
        ok(!WaitForSingleObject(ov[pending].hEvent, WAIT_MS), "the pending send did not complete\n");
        ok(ov[pending].Internal == 0xc0000120 /* STATUS_CANCELLED */,
           "the pending send completed with status %#lx\n", (unsigned long)ov[pending].Internal);
    }
    for (int i = 0; i < sends; i++) CloseHandle(ov[i].hEvent);
    closesocket(server);
}

START_TEST(close)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_wait_sees_close(FALSE);
    test_wait_sees_close(TRUE);
    test_pending_send_cancelled();
    WSACleanup();
}
