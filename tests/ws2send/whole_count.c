/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * No reported byte is lost.  A nonblocking stream send that the host takes
 * only in part still reports its whole length, as Windows does; the bytes
 * ws2send holds for it must then reach the peer, in order, whatever the
 * program does next.  The sequence is that of Wine's sock.c
 * test_send_buffering (which passes on Windows): a thread fills a
 * nonblocking TCP socket until WSAEWOULDBLOCK, then does one follow-up
 * (cancel, shutdown, close, linger, exit) and ends; the peer must receive
 * every byte that send() reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define FIRST_CHUNK (16 * 1024 * 1024)     /* one send far larger than the socket buffer */
#define CHUNK (256 * 1024)
#define LIMIT (64 * 1024 * 1024)
#define MANY_BUFFERS 100        /* more than one host message of ws2send's takes */

enum follow_up
{
    FOLLOW_THREAD_EXIT,         /* nothing: the thread just ends */
    FOLLOW_CANCELIOEX_ALL,      /* CancelIoEx(s, NULL) */
    FOLLOW_CANCELIOEX_OTHER,    /* CancelIoEx(s, an OVERLAPPED never used) */
    FOLLOW_CANCELIO,            /* CancelIo(s) */
    FOLLOW_SHUTDOWN,            /* shutdown(SD_SEND) */
    FOLLOW_SHUTDOWN_BOTH,       /* shutdown(SD_BOTH) */
    FOLLOW_CLOSE,               /* closesocket */
    FOLLOW_CLOSE_HANDLE,        /* CloseHandle */
    FOLLOW_CANCEL_SYNC,         /* CancelSynchronousIo of the sending thread */
    FOLLOW_LINGER_CLOSE,        /* SO_LINGER on (10 s), then closesocket */
    FOLLOW_ABORTIVE_CLOSE,      /* SO_LINGER on with 0 s, then closesocket: may discard */
    FOLLOW_ALL,                 /* CancelIoEx, CancelIo, shutdown, closesocket (sock.c) */
    FOLLOW_COUNT
};

static const char *const follow_names[FOLLOW_COUNT] =
{
    "thread exit", "CancelIoEx(NULL)", "CancelIoEx(other)", "CancelIo", "shutdown(SD_SEND)",
    "shutdown(SD_BOTH)", "closesocket", "CloseHandle", "CancelSynchronousIo", "SO_LINGER + closesocket",
    "abortive closesocket",
    "CancelIoEx + CancelIo + shutdown + closesocket",
};

/* Urgent data (MSG_OOB) among the sends; the peer reads it inline. */
enum urgency
{
    URGENT_NONE,
    URGENT_FIRST,               /* a plain byte, an urgent one, then plain sends */
    URGENT_EVERY,               /* every send with MSG_OOB */
};

struct sender
{
    SOCKET s;
    enum follow_up follow;
    BOOL many_buffers;          /* each send is one WSASend of MANY_BUFFERS buffers */
    enum urgency urgency;
    ULONGLONG reported;         /* bytes send() reported */
    int first;                  /* what the first, oversized send returned */
    int final_error;            /* the error of the send that stopped the loop */
    BOOL cancel_found;          /* CancelIoEx(s, NULL) said it found something */
    DWORD cancel_error;
    volatile LONG done;         /* the thread is about to end */
};

/* Whether a short nonblocking send may leave its rest in Wine's driver:
 * Wine 9 and later keep it there, and ws2send keeps it out of there only
 * with the fast path on (stream_send.c). */
static BOOL wine_driver_holds_rests(void)
{
    return winetest_wine_version >= WINETEST_WINE_VERSION(9, 0) && !fastpath_enabled();
}

/* Byte at stream position pos: a pattern that catches lost, repeated and
 * misplaced bytes. */
static unsigned char pattern(ULONGLONG pos)
{
    return (unsigned char)(pos * 131 + (pos >> 16));
}

static void fill(char *buf, ULONGLONG pos, int len)
{
    for (int i = 0; i < len; i++) buf[i] = pattern(pos + i);
}

/* send(), or one WSASend of the same bytes in MANY_BUFFERS pieces. */
static int send_whole(const struct sender *sender, char *buf, int len, int flags)
{
    WSABUF pieces[MANY_BUFFERS];
    DWORD sent = 0;

    if (!sender->many_buffers) return send(sender->s, buf, len, flags);
    for (int i = 0; i < MANY_BUFFERS; i++)
    {
        pieces[i].buf = buf + (ULONGLONG)len * i / MANY_BUFFERS;
        pieces[i].len = (ULONG)((ULONGLONG)len * (i + 1) / MANY_BUFFERS - (ULONGLONG)len * i / MANY_BUFFERS);
    }
    /* Some empty ones among them, which carry nothing. */
    for (int i = 5; i + 1 < MANY_BUFFERS; i += 10)
    {
        pieces[i + 1].buf = pieces[i].buf;
        pieces[i + 1].len += pieces[i].len;
        pieces[i].len = 0;
    }
    return WSASend(sender->s, pieces, MANY_BUFFERS, &sent, flags, NULL, NULL) ? SOCKET_ERROR : (int)sent;
}

static DWORD WINAPI sender_thread(void *arg)
{
    struct sender *sender = arg;
    static char buf[FIRST_CHUNK];
    WSAOVERLAPPED unused;
    struct linger linger = { 1, 10 }, abortive = { 1, 0 };
    HANDLE thread;
    int ret;

    set_blocking(sender->s, FALSE);
    sender->final_error = 0;
    if (sender->urgency == URGENT_FIRST)
    {
        /* A plain byte first, so that the socket is known when the urgent
         * one goes. */
        fill(buf, 0, 2);
        if (send(sender->s, buf, 1, 0) == 1 && send(sender->s, buf + 1, 1, MSG_OOB) == 1) sender->reported = 2;
    }
    while (sender->reported < LIMIT)
    {
        BOOL first = sender->reported <= (sender->urgency == URGENT_FIRST ? 2 : 0);
        int len = first ? FIRST_CHUNK : CHUNK;

        fill(buf, sender->reported, len);
        if ((ret = send_whole(sender, buf, len, sender->urgency == URGENT_EVERY ? MSG_OOB : 0)) == SOCKET_ERROR)
        {
            sender->final_error = WSAGetLastError();
            break;
        }
        if (first) sender->first = ret;
        sender->reported += ret;
    }

    switch (sender->follow)
    {
    case FOLLOW_THREAD_EXIT:
        break;
    case FOLLOW_CANCELIOEX_ALL:
        SetLastError(0xdeadbeef);
        sender->cancel_found = CancelIoEx((HANDLE)sender->s, NULL);
        sender->cancel_error = GetLastError();
        break;
    case FOLLOW_CANCELIOEX_OTHER:
        memset(&unused, 0, sizeof(unused));
        CancelIoEx((HANDLE)sender->s, &unused);
        break;
    case FOLLOW_CANCELIO:
        CancelIo((HANDLE)sender->s);
        break;
    case FOLLOW_SHUTDOWN:
        shutdown(sender->s, SD_SEND);
        break;
    case FOLLOW_SHUTDOWN_BOTH:
        shutdown(sender->s, SD_BOTH);
        break;
    case FOLLOW_CLOSE:
        closesocket(sender->s);
        break;
    case FOLLOW_CLOSE_HANDLE:
        CloseHandle((HANDLE)sender->s);
        break;
    case FOLLOW_CANCEL_SYNC:
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &thread, 0, FALSE,
                        DUPLICATE_SAME_ACCESS);
        CancelSynchronousIo(thread);
        CloseHandle(thread);
        break;
    case FOLLOW_LINGER_CLOSE:
        setsockopt(sender->s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger));
        closesocket(sender->s);
        break;
    case FOLLOW_ABORTIVE_CLOSE:
        setsockopt(sender->s, SOL_SOCKET, SO_LINGER, (char *)&abortive, sizeof(abortive));
        closesocket(sender->s);
        break;
    case FOLLOW_ALL:
        CancelIoEx((HANDLE)sender->s, NULL);
        CancelIo((HANDLE)sender->s);
        shutdown(sender->s, SD_SEND);
        closesocket(sender->s);
        break;
    default:
        break;
    }
    InterlockedExchange(&sender->done, 1);
    return 0;
}

/* Whether CancelIoEx tells "nothing found" on a socket with nothing pending. */
static BOOL cancel_tells_not_found(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    BOOL found = CancelIoEx((HANDLE)s, NULL);
    DWORD error = GetLastError();

    closesocket(s);
    return !found && error == ERROR_NOT_FOUND;
}

/* Receives until the peer's FIN, or until the sender is done and all it
 * reported has come (or the timeout), checking every byte's position;
 * returns the bytes received in order, stopping at the first wrong one. */
static ULONGLONG receive_checked(SOCKET s, const struct sender *sender, DWORD timeout_ms, BOOL *mismatch)
{
    static char buf[65536];
    DWORD start = GetTickCount();
    ULONGLONG got = 0;
    int ret;

    *mismatch = FALSE;
    while (GetTickCount() - start < timeout_ms)
    {
        fd_set set;
        struct timeval tv = { 0, 200000 };

        if (sender->done && got >= sender->reported) break;
        FD_ZERO(&set);
        FD_SET(s, &set);
        if (select(0, &set, NULL, NULL, &tv) <= 0) continue;
        if ((ret = recv(s, buf, sizeof(buf), 0)) <= 0) break;
        for (int i = 0; i < ret; i++)
        {
            if ((unsigned char)buf[i] != pattern(got + i))
            {
                *mismatch = TRUE;
                return got + i;
            }
        }
        got += ret;
    }
    return got;
}

static void test_follow_up(enum follow_up follow, BOOL reader_waits)
{
    struct sender sender = { 0 };
    SOCKET client, server;
    ULONGLONG got;
    BOOL mismatch;
    HANDLE thread;

    winetest_push_context("%s%s", follow_names[follow], reader_waits ? ", reader waits" : "");
    /* Overlapped handles, as socket() makes.  On a handle made without
     * WSA_FLAG_OVERLAPPED, Wine 9 and later (which hold the rest of a short
     * nonblocking send in their own driver) block the send until the rest
     * is out, under the builtin as under ws2send (seen with Debian 13's
     * Wine 10.0): a Wine bug, not a loss. */
    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    sender.s = client;
    sender.follow = follow;
    thread = CreateThread(NULL, 0, sender_thread, &sender, 0, NULL);
    /* Either the peer reads only once the sender is gone (the bytes must
     * outlive it), or it reads at once and races the follow-up. */
    if (reader_waits) ok(!WaitForSingleObject(thread, 20000), "the sender hangs\n");

    got = receive_checked(server, &sender, 20000, &mismatch);
    if (!reader_waits) ok(!WaitForSingleObject(thread, 20000), "the sender hangs\n");
    CloseHandle(thread);

    /* Windows never accepts part of a nonblocking stream send (sock.c
     * test_send's comment; Wine 9 and later agree). */
    ok(sender.first == FIRST_CHUNK, "the first send returned %d\n", sender.first);
    ok(sender.final_error == 0 || sender.final_error == WSAEWOULDBLOCK,
       "sending stopped with error %d\n", sender.final_error);
    ok(!mismatch, "byte %lu is wrong\n", (unsigned long)got);
    /* An abortive close discards what is buffered, on Windows too
     * (sdk-api closesocket: "hard" close). */
    if (follow == FOLLOW_ABORTIVE_CLOSE)
        ok(got <= sender.reported, "received %lu bytes of %lu reported\n", (unsigned long)got,
           (unsigned long)sender.reported);
    else if (got != sender.reported && !reader_waits && wine_driver_holds_rests())
    {
        /* With the fast path off, Wine 9 and later keep the rest of a short
         * nonblocking send in their own driver: each time the socket turns
         * writable Wine's server hands the next write to the thread that
         * sent, and one handed over while that thread is ending is, as we
         * read Wine's server, dropped with it: the rest never goes out.  The
         * builtin sends through the same request and the same path in
         * ntdll.  Seen once in 22 checks under Debian 13's Wine 10.0 (fp=0,
         * x86_64: 4157547 of 16777216 bytes; not caught in 6 more runs each
         * of the builtin and fp=0), never with the reader waiting. */
        todo_wine ok(0, "received %lu bytes of %lu reported\n", (unsigned long)got,
                     (unsigned long)sender.reported);
    }
    else
        ok(got == sender.reported, "received %lu bytes of %lu reported\n", (unsigned long)got,
           (unsigned long)sender.reported);
    if (follow == FOLLOW_CANCELIOEX_ALL)
    {
        /* Nothing of the program's is pending: Windows answers FALSE,
         * ERROR_NOT_FOUND (sdk-api CancelIoEx), so no request of ws2send's
         * may be there to be found.  Wine 8's CancelIoEx says TRUE whatever
         * it finds (fixed in Wine 10): there this cannot be seen. */
        if (cancel_tells_not_found())
            ok(!sender.cancel_found && sender.cancel_error == ERROR_NOT_FOUND,
               "CancelIoEx returned %d, error %lu\n", sender.cancel_found, sender.cancel_error);
        else
            skip("this Wine's CancelIoEx reports success with nothing pending\n");
    }

    if (follow != FOLLOW_CLOSE && follow != FOLLOW_CLOSE_HANDLE && follow != FOLLOW_LINGER_CLOSE
        && follow != FOLLOW_ABORTIVE_CLOSE && follow != FOLLOW_ALL)
        closesocket(client);
    closesocket(server);
    winetest_pop_context();
}

static void test_no_reported_byte_lost(void)
{
    for (int follow = 0; follow < FOLLOW_COUNT; follow++)
    {
        test_follow_up(follow, TRUE);
        test_follow_up(follow, FALSE);
    }
}

/* A blocking send larger than the socket buffer: the host takes part, and
 * the rest waits for room (in Wine's driver, one byte at a time, with the
 * host taking the rest: stream_send.c).  The call returns the
 * whole length and the peer gets every byte in order, also when another
 * thread turns the socket nonblocking while the call waits: a call already
 * blocked stays a blocking call on Windows (its mode is read when it
 * starts), so it must not come back short. */
static DWORD WINAPI blocking_sender_thread(void *arg)
{
    struct sender *sender = arg;
    static char buf[FIRST_CHUNK];

    fill(buf, 0, FIRST_CHUNK);
    sender->first = send_whole(sender, buf, FIRST_CHUNK, sender->urgency == URGENT_EVERY ? MSG_OOB : 0);
    sender->final_error = sender->first == SOCKET_ERROR ? WSAGetLastError() : 0;
    sender->reported = sender->first > 0 ? sender->first : 0;
    InterlockedExchange(&sender->done, 1);
    return 0;
}

enum blocking_event
{
    BLOCKING_NOTHING,           /* the peer reads at once */
    BLOCKING_NONBLOCKING,       /* another thread turns the socket nonblocking */
    BLOCKING_APC,               /* a user APC is queued to the sending thread */
};

static LONG apc_during_send;

/* A blocking send waits alertably: the APC runs while the send still
 * waits (sdk-api send: "Winsock performs an alertable wait in this
 * situation, which can be interrupted by an asynchronous procedure call";
 * not verified on Windows).  Wine's builtin send waits without (8.0: the
 * APC does not run until the send returns). */
static void WINAPI note_apc(ULONG_PTR arg)
{
    const struct sender *sender = (const struct sender *)arg;

    InterlockedExchange(&apc_during_send, sender->done ? -1 : 1);
}

static void test_blocking_send(enum blocking_event event, BOOL many_buffers, enum urgency urgency)
{
    static const char *const names[] = { "", ", made nonblocking while it waits", ", APC while it waits" };
    struct sender sender = { .many_buffers = many_buffers, .urgency = urgency };
    BOOL inline_urgent = TRUE;
    SOCKET client, server;
    ULONGLONG got;
    BOOL mismatch;
    HANDLE thread;

    winetest_push_context("blocking %s%s%s", many_buffers ? "WSASend of many buffers" : "send", names[event],
                          urgency == URGENT_EVERY ? ", urgent" : "");
    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    /* The urgent (last) byte stays in the stream, so its place is checked. */
    setsockopt(server, SOL_SOCKET, SO_OOBINLINE, (char *)&inline_urgent, sizeof(inline_urgent));
    sender.s = client;
    apc_during_send = 0;
    thread = CreateThread(NULL, 0, blocking_sender_thread, &sender, 0, NULL);
    if (event != BLOCKING_NOTHING)
    {
        /* Long enough for the send to fill the buffer and wait. */
        Sleep(300);
        ok(!sender.done, "the send returned before the peer read anything\n");
        if (event == BLOCKING_NONBLOCKING)
            set_blocking(client, FALSE);
        else
        {
            ok(QueueUserAPC(note_apc, thread, (ULONG_PTR)&sender), "QueueUserAPC failed, error %lu\n", GetLastError());
            for (DWORD start = GetTickCount(); !apc_during_send && GetTickCount() - start < 5000;) Sleep(10);
            ok(apc_during_send == 1, "the APC %s\n", apc_during_send ? "ran after the send" : "did not run");
        }
    }
    got = receive_checked(server, &sender, 20000, &mismatch);
    ok(!WaitForSingleObject(thread, 20000), "the sender hangs\n");
    CloseHandle(thread);
    ok(sender.first == FIRST_CHUNK, "send returned %d, error %d\n", sender.first, sender.final_error);
    ok(!mismatch, "byte %lu is wrong\n", (unsigned long)got);
    ok(got == FIRST_CHUNK, "received %lu bytes of %u\n", (unsigned long)got, FIRST_CHUNK);
    closesocket(client);
    closesocket(server);
    winetest_pop_context();
}

/* While ws2send holds part of a send, a nonblocking send fails with
 * WSAEWOULDBLOCK, and FD_WRITE comes again once the peer has taken
 * everything, as after a would-block on Windows' full buffer (sdk-api
 * WSAEventSelect: FD_WRITE is re-enabled by a send that fails with
 * WSAEWOULDBLOCK). */
static void test_fd_write_after_held(void)
{
    static char buf[FIRST_CHUNK];
    WSANETWORKEVENTS events;
    SOCKET client, server;
    HANDLE event = WSACreateEvent();
    struct sender drained = { 0 };
    ULONGLONG got;
    BOOL mismatch;
    int ret;

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    ok(!WSAEventSelect(client, event, FD_WRITE), "WSAEventSelect failed\n");
    ok(!WaitForSingleObject(event, 2000), "no first FD_WRITE\n");
    WSAEnumNetworkEvents(client, event, &events);

    fill(buf, 0, FIRST_CHUNK);
    ret = send(client, buf, FIRST_CHUNK, 0);
    ok(ret == FIRST_CHUNK, "send returned %d, error %d\n", ret, WSAGetLastError());
    ret = send(client, buf, 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "send returned %d, error %d\n",
       ret, WSAGetLastError());
    ok(WaitForSingleObject(event, 0) == WAIT_TIMEOUT, "FD_WRITE before anything was read\n");

    drained.reported = FIRST_CHUNK;
    drained.done = 1;
    got = receive_checked(server, &drained, 20000, &mismatch);
    ok(got == FIRST_CHUNK && !mismatch, "received %lu bytes (mismatch %d)\n", (unsigned long)got, mismatch);
    ok(!WaitForSingleObject(event, 5000), "no FD_WRITE after the peer took everything\n");
    memset(&events, 0, sizeof(events));
    WSAEnumNetworkEvents(client, event, &events);
    ok(events.lNetworkEvents & FD_WRITE, "events %#lx\n", events.lNetworkEvents);

    WSAEventSelect(client, NULL, 0);
    WSACloseEvent(event);
    closesocket(client);
    closesocket(server);
}

/* A closed socket posts no more messages: the bytes ws2send holds for it
 * keep the host socket, not the Windows one, alive, so its FD_CLOSE cannot
 * reach a new socket that got the same handle value (seen with Wine's
 * sock.c test_write_events when a queued rest kept a duplicate handle). */
#define WM_SOCKET (WM_USER + 1)

static void test_no_message_after_close(void)
{
    static char buf[FIRST_CHUNK];
    SOCKET client, server, client2, server2, listener;
    struct sockaddr_in addr;
    struct sender drained = { 0 };
    BOOL mismatch, stray = FALSE;
    ULONGLONG got;
    DWORD start;
    HWND hwnd;
    MSG msg;
    int ret;

    hwnd = CreateWindowA("static", "ws2send", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    ok(!WSAAsyncSelect(client, hwnd, WM_SOCKET, FD_WRITE | FD_CLOSE), "WSAAsyncSelect failed\n");
    fill(buf, 0, FIRST_CHUNK);
    ret = send(client, buf, FIRST_CHUNK, 0);
    ok(ret == FIRST_CHUNK, "send returned %d, error %d\n", ret, WSAGetLastError());
    listener = tcp_listener(&addr);
    closesocket(client);

    /* Handle values are reused lowest first: the new socket gets the old one's. */
    client2 = socket(AF_INET, SOCK_STREAM, 0);
    ok(!connect(client2, (struct sockaddr *)&addr, sizeof(addr)), "connect failed, error %d\n", WSAGetLastError());
    server2 = accept(listener, NULL, NULL);
    closesocket(listener);
    if (client2 != client)
        trace("the handle value was not reused (%#lx, %#lx)\n", (unsigned long)client, (unsigned long)client2);
    while (PeekMessageA(&msg, hwnd, WM_SOCKET, WM_SOCKET, PM_REMOVE))
        ;
    ok(!WSAAsyncSelect(client2, hwnd, WM_SOCKET, FD_CLOSE), "WSAAsyncSelect failed\n");

    /* The old connection ends: its peer takes everything and closes. */
    drained.reported = FIRST_CHUNK;
    got = receive_checked(server, &drained, 20000, &mismatch);
    ok(got == FIRST_CHUNK && !mismatch, "received %lu bytes (mismatch %d)\n", (unsigned long)got, mismatch);
    closesocket(server);

    for (start = GetTickCount(); GetTickCount() - start < 1000;)
    {
        while (PeekMessageA(&msg, hwnd, WM_SOCKET, WM_SOCKET, PM_REMOVE))
            if (msg.wParam == client2) stray = TRUE;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_POSTMESSAGE);
    }
    ok(!stray, "a message for the new socket %#lx arrived\n", (unsigned long)client2);

    WSAAsyncSelect(client2, hwnd, 0, 0);
    closesocket(client2);
    closesocket(server2);
    DestroyWindow(hwnd);
}

/* A nonblocking urgent send larger than the socket buffer: the call takes
 * it whole (as any nonblocking send that finds room, row 10 of the
 * conformance evidence), and its last byte is still the urgent one, also
 * when ws2send holds the end of it (RFC 6093 section 3.4: the mark is on
 * the last byte of the send).  Read without SO_OOBINLINE: the plain bytes
 * come in order, without the urgent one, which recv(MSG_OOB) then gets. */
static void test_urgent_end_held(void)
{
    static char buf[FIRST_CHUNK];
    struct sender plain = { .reported = FIRST_CHUNK - 1, .done = 1 };
    struct timeval tv = { 5, 0 };
    SOCKET client, server;
    ULONGLONG got;
    BOOL mismatch;
    fd_set except;
    char urgent = 0;
    int ret;

    /* Wine 10.0's driver (builtin alike) does not return from this send
     * while the peer reads nothing (waited 100 s). */
    if (winetest_wine_version >= WINETEST_WINE_VERSION(9, 0) && !fastpath_enabled())
    {
        skip("Wine 9 and later's driver blocks in a nonblocking urgent send\n");
        return;
    }
    tcp_pair(&client, &server, 0);
    set_blocking(client, FALSE);
    fill(buf, 0, FIRST_CHUNK);
    ret = send(client, buf, FIRST_CHUNK, MSG_OOB);
    ok(ret == FIRST_CHUNK, "send returned %d, error %d\n", ret, WSAGetLastError());

    /* Up to the plain bytes; an urgent byte read plain would come past them. */
    got = receive_checked(server, &plain, 20000, &mismatch);
    /* Wine's driver, which sends all with the fast path off, marks the
     * last byte of each part the host takes as urgent: the reader loses
     * that byte from the plain stream (the builtin does the same). */
    todo_wine_if(!fastpath_enabled())
    ok(!mismatch && got == FIRST_CHUNK - 1, "received %lu plain bytes%s\n", (unsigned long)got,
       mismatch ? ", not in order" : "");
    if (!mismatch && got == FIRST_CHUNK - 1)
    {
        FD_ZERO(&except);
        FD_SET(server, &except);
        ok(select(0, NULL, NULL, &except, &tv) == 1, "no urgent byte\n");
        /* Nonblocking: Wine 8's blocking recv(MSG_OOB) waits for good when
         * the host has no urgent byte to give. */
        set_blocking(server, FALSE);
        ret = recv(server, &urgent, 1, MSG_OOB);
        ok(ret == 1 && (unsigned char)urgent == pattern(FIRST_CHUNK - 1),
           "recv(MSG_OOB) returned %d, %#x, error %d\n", ret, (unsigned char)urgent, WSAGetLastError());
    }
    closesocket(client);
    closesocket(server);
}

/* The child: connects to the parent's port, fills the socket, and ends the
 * process (after closesocket and WSACleanup, or with the socket still
 * open); its exit code is the number of bytes send() reported. */
static int child_main(unsigned short port, BOOL close_first, BOOL many_buffers, enum urgency urgency)
{
    struct sender sender = { 0 };
    struct sockaddr_in addr;
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    sender.s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(sender.s, (struct sockaddr *)&addr, sizeof(addr))) return 0;
    sender.follow = close_first ? FOLLOW_CLOSE : FOLLOW_THREAD_EXIT;
    sender.many_buffers = many_buffers;
    sender.urgency = urgency;
    sender_thread(&sender);
    if (close_first) WSACleanup();
    ExitProcess((UINT)sender.reported);
}

/* Windows' kernel keeps sending what it buffered after the process is
 * gone; ws2send pushes what it holds on the way out, while the peer takes
 * data.  The peer reads from the start here. */
static void test_process_exit(const char *self, BOOL close_first, BOOL many_buffers, enum urgency urgency)
{
    static const char *const urgency_names[] = { "", ", after an urgent byte", ", every send urgent" };
    BOOL inline_urgent = TRUE;
    SOCKET listener, server;
    struct sockaddr_in addr;
    struct sender progress = { 0 };
    PROCESS_INFORMATION info;
    STARTUPINFOA startup = { sizeof(startup) };
    char cmdline[MAX_PATH + 64];
    DWORD code = 0;
    ULONGLONG got;
    BOOL mismatch;

    winetest_push_context("process exit%s%s%s", close_first ? " after closesocket and WSACleanup" : "",
                          many_buffers ? ", WSASend of many buffers" : "", urgency_names[urgency]);
    listener = tcp_listener(&addr);
    /* Urgent bytes stay in the stream, so every byte's place can be checked
     * (the accepted socket has it from the listener). */
    ok(!setsockopt(listener, SOL_SOCKET, SO_OOBINLINE, (char *)&inline_urgent, sizeof(inline_urgent)),
       "SO_OOBINLINE: error %d\n", WSAGetLastError());

    snprintf(cmdline, sizeof(cmdline), "\"%s\" whole_count child %u %d %d %d", self, ntohs(addr.sin_port),
             close_first, many_buffers, urgency);
    ok(CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &info),
       "cannot start the child: error %lu\n", GetLastError());
    server = accept(listener, NULL, NULL);
    ok(server != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());

    /* Read to the FIN: the process' end closes the socket. */
    progress.reported = ~0ull;
    got = receive_checked(server, &progress, 30000, &mismatch);
    ok(!WaitForSingleObject(info.hProcess, 30000), "the child hangs\n");
    GetExitCodeProcess(info.hProcess, &code);
    ok(code >= FIRST_CHUNK, "the child reported %lu bytes\n", code);
    ok(!mismatch, "byte %lu is wrong\n", (unsigned long)got);
    /* With the fast path off, Wine 9 and later may hold the rest of a
     * short send in their own driver (then ws2send holds nothing), and that
     * request ends with the process: the builtin loses the same bytes
     * there (in 5 of 6 runs under Wine 10.0 before ws2send kept Wine's
     * driver from holding rests with the fast path on).  Which of the two
     * held them depends on timing, so only a loss is marked todo there. */
    if (got != code && wine_driver_holds_rests())
        todo_wine ok(0, "received %lu bytes of %lu reported\n", (unsigned long)got, code);
    else
        ok(got == code, "received %lu bytes of %lu reported\n", (unsigned long)got, code);

    CloseHandle(info.hProcess);
    CloseHandle(info.hThread);
    closesocket(server);
    closesocket(listener);
    winetest_pop_context();
}

START_TEST(whole_count)
{
    WSADATA data;
    char **argv;
    int argc = winetest_get_mainargs(&argv);

    if (argc >= 7 && !strcmp(argv[2], "child"))
        child_main(atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));

    WSAStartup(MAKEWORD(2, 2), &data);
    test_no_reported_byte_lost();
    test_fd_write_after_held();
    test_blocking_send(BLOCKING_NOTHING, FALSE, URGENT_NONE);
    test_blocking_send(BLOCKING_NONBLOCKING, FALSE, URGENT_NONE);
    test_blocking_send(BLOCKING_APC, FALSE, URGENT_NONE);
    test_blocking_send(BLOCKING_NOTHING, TRUE, URGENT_NONE);
    test_blocking_send(BLOCKING_NONBLOCKING, TRUE, URGENT_NONE);
    test_blocking_send(BLOCKING_NOTHING, FALSE, URGENT_EVERY);
    test_blocking_send(BLOCKING_NONBLOCKING, TRUE, URGENT_EVERY);
    test_no_message_after_close();
    test_urgent_end_held();
    test_process_exit(argv[0], TRUE, FALSE, URGENT_NONE);
    test_process_exit(argv[0], FALSE, FALSE, URGENT_NONE);
    test_process_exit(argv[0], FALSE, TRUE, URGENT_NONE);
    test_process_exit(argv[0], FALSE, FALSE, URGENT_FIRST);
    test_process_exit(argv[0], FALSE, FALSE, URGENT_EVERY);
    test_process_exit(argv[0], FALSE, TRUE, URGENT_EVERY);
    WSACleanup();
}
