/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The host fast path's hazards (DESIGN.md, "The host fast path: safety
 * rules"): each test provokes one and checks that the application sees what
 * Wine's socket driver alone would give.  They run with WS2SEND_FASTPATH=1
 * and =0; where a test depends on the fast path having served a send, it
 * says so through ws2send's statistics.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Rule: the first datagram of an unbound socket goes through Wine, so its
 * server records the implicit bind and getsockname works afterwards. */
static void test_unbound_first_datagram(void)
{
    struct sockaddr_in dst_addr, local;
    struct ws2send_stats before, after;
    SOCKET src, dst;
    char buf[16];
    int len, ret;

    dst = udp_bound(&dst_addr);
    src = socket(AF_INET, SOCK_DGRAM, 0);
    len = sizeof(local);
    ok(getsockname(src, (struct sockaddr *)&local, &len) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL,
       "a new socket is unbound\n");
    ok(get_stats(src, &before), "no statistics: not ws2send?\n");

    for (int i = 0; i < 3; i++)
    {
        ret = sendto(src, "hazard", 6, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
        ok(ret == 6, "send %d: got %d, error %d\n", i, ret, WSAGetLastError());
        len = sizeof(local);
        ret = getsockname(src, (struct sockaddr *)&local, &len);
        ok(!ret && local.sin_port, "send %d: getsockname got %d (error %d), port %u\n", i, ret,
           WSAGetLastError(), ntohs(local.sin_port));
        ret = recv(dst, buf, sizeof(buf), 0);
        ok(ret == 6, "send %d: received %d\n", i, ret);
    }
    ok(get_stats(src, &after), "no statistics\n");
    ok(after.calls[WS2SEND_ENTRY_SENDTO][WS2SEND_PROVIDER_WINE_AFD]
           > before.calls[WS2SEND_ENTRY_SENDTO][WS2SEND_PROVIDER_WINE_AFD],
       "the first datagram did not go through Wine's driver\n");
    if (fastpath_enabled())
        ok(after.calls[WS2SEND_ENTRY_SENDTO][WS2SEND_PROVIDER_HOST_FAST]
               >= before.calls[WS2SEND_ENTRY_SENDTO][WS2SEND_PROVIDER_HOST_FAST] + 2,
           "later datagrams did not take the fast path\n");
    else
        ok(after.calls[WS2SEND_ENTRY_SENDTO][WS2SEND_PROVIDER_HOST_FAST]
               == before.calls[WS2SEND_ENTRY_SENDTO][WS2SEND_PROVIDER_HOST_FAST],
           "the fast path served a send with WS2SEND_FASTPATH=0\n");
    closesocket(src);
    closesocket(dst);
}

/* Fills a nonblocking stream socket with sends of chunk bytes until
 * WSAEWOULDBLOCK; returns bytes sent.  Large chunks end in a send the host
 * takes only in part, small ones in a plain would-block: both must reach
 * Wine's driver. */
static int fill_until_wouldblock(SOCKET s, int chunk, int *error)
{
    static char data[65536];
    int total = 0, ret;

    for (int i = 0; i < 200000; i++)
    {
        if ((ret = send(s, data, chunk, 0)) == SOCKET_ERROR)
        {
            *error = WSAGetLastError();
            return total;
        }
        total += ret;
    }
    *error = 0;
    return total;
}

/* Rule: would-block goes through Wine, which re-arms FD_WRITE. */
static void test_fd_write_after_wouldblock(void)
{
    WSANETWORKEVENTS events;
    SOCKET client, server;
    HANDLE event = WSACreateEvent();
    static char sink[65536];
    int error, sent, drained = 0, ret;
    DWORD wait;

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    ok(!WSAEventSelect(client, event, FD_WRITE), "WSAEventSelect failed\n");
    wait = WaitForSingleObject(event, 2000);
    ok(wait == WAIT_OBJECT_0, "no first FD_WRITE\n");
    WSAEnumNetworkEvents(client, event, &events);

    sent = fill_until_wouldblock(client, 65536, &error);
    ok(error == WSAEWOULDBLOCK, "filling ended with error %d after %d bytes\n", error, sent);

    set_blocking(server, FALSE);
    while (drained < sent)
    {
        ret = recv_all(server, sink, sizeof(sink), 2000);
        if (ret <= 0) break;
        drained += ret;
    }
    ok(drained == sent, "drained %d of %d bytes\n", drained, sent);

    wait = WaitForSingleObject(event, 5000);
    ok(wait == WAIT_OBJECT_0, "FD_WRITE was not signalled again after WSAEWOULDBLOCK (wait %lu)\n", wait);
    memset(&events, 0, sizeof(events));
    WSAEnumNetworkEvents(client, event, &events);
    ok(events.lNetworkEvents & FD_WRITE, "events %#lx\n", events.lNetworkEvents);

    WSAEventSelect(client, NULL, 0);
    WSACloseEvent(event);
    closesocket(client);
    closesocket(server);
}

/* The same in message mode: WSAAsyncSelect posts FD_WRITE again once the
 * peer has drained what the would-block left behind. */
#define WM_SOCKET (WM_USER + 1)

static BOOL wait_for_fd_write(HWND hwnd, SOCKET s, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    MSG msg;

    while (GetTickCount() - start < timeout_ms)
    {
        while (PeekMessageA(&msg, hwnd, WM_SOCKET, WM_SOCKET, PM_REMOVE))
            if (msg.wParam == s && WSAGETSELECTEVENT(msg.lParam) == FD_WRITE) return TRUE;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_POSTMESSAGE);
    }
    return FALSE;
}

static void test_fd_write_message_after_wouldblock(void)
{
    static char sink[65536];
    SOCKET client, server;
    HWND hwnd;
    int error, sent, drained = 0, ret;

    hwnd = CreateWindowA("static", "ws2send", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    ok(hwnd != NULL, "CreateWindow failed\n");
    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    ok(!WSAAsyncSelect(client, hwnd, WM_SOCKET, FD_WRITE), "WSAAsyncSelect failed\n");
    ok(wait_for_fd_write(hwnd, client, 2000), "no first FD_WRITE message\n");

    sent = fill_until_wouldblock(client, 512, &error);
    ok(error == WSAEWOULDBLOCK, "filling ended with error %d after %d bytes\n", error, sent);
    set_blocking(server, FALSE);
    while (drained < sent && (ret = recv_all(server, sink, sizeof(sink), 2000)) > 0)
        drained += ret;
    ok(drained == sent, "drained %d of %d bytes\n", drained, sent);
    ok(wait_for_fd_write(hwnd, client, 5000), "no FD_WRITE message after WSAEWOULDBLOCK\n");

    WSAAsyncSelect(client, hwnd, 0, 0);
    closesocket(client);
    closesocket(server);
    DestroyWindow(hwnd);
}

/* Rule: a blocking send that cannot proceed is left to Wine, which blocks
 * and honours SO_SNDTIMEO. */
static void test_blocking_full_sndtimeo(void)
{
    static char chunk[65536];
    SOCKET client, server;
    DWORD timeout = 300, start, elapsed;
    int ret = 0, error = 0;

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    ok(!setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, (char *)&timeout, sizeof(timeout)), "setsockopt failed\n");
    start = GetTickCount();
    for (int i = 0; i < 4096 && GetTickCount() - start < 10000; i++)
    {
        if ((ret = send(client, chunk, sizeof(chunk), 0)) == SOCKET_ERROR)
        {
            error = WSAGetLastError();
            break;
        }
    }
    elapsed = GetTickCount() - start;
    ok(ret == SOCKET_ERROR && error == WSAETIMEDOUT, "got %d, error %d after %lu ms\n", ret, error, elapsed);
    closesocket(client);
    closesocket(server);
}

/* Rule: errors (EPIPE after shutdown) are re-issued through Wine, which
 * answers WSAESHUTDOWN. */
static void test_send_after_shutdown(void)
{
    struct sockaddr_in dst_addr, src_addr;
    SOCKET client, server, src, dst;
    char buf[8];
    int ret;

    tcp_pair(&client, &server, 0);
    ok(send(client, "x", 1, 0) == 1, "send before shutdown failed\n");
    ok(!shutdown(client, SD_SEND), "shutdown failed\n");
    SetLastError(0xdeadbeef);
    ret = send(client, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "TCP: got %d, error %d\n", ret, WSAGetLastError());
    closesocket(client);
    closesocket(server);

    dst = udp_bound(&dst_addr);
    src = udp_bound(&src_addr);
    ok(sendto(src, "a", 1, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr)) == 1, "UDP send failed\n");
    ok(sendto(src, "b", 1, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr)) == 1, "UDP send failed\n");
    ok(!shutdown(src, SD_SEND), "UDP shutdown failed, error %d\n", WSAGetLastError());
    SetLastError(0xdeadbeef);
    ret = sendto(src, "c", 1, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN, "UDP: got %d, error %d\n", ret, WSAGetLastError());
    set_blocking(dst, FALSE);
    ok(recv(dst, buf, sizeof(buf), 0) == 1 && recv(dst, buf, sizeof(buf), 0) == 1, "the datagrams before shutdown were lost\n");
    ret = recv(dst, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR, "a datagram sent after shutdown arrived\n");
    closesocket(src);
    closesocket(dst);
}

/* Rule: nothing overtakes what Wine has queued.  Threads mixing overlapped
 * and blocking sends on one TCP socket: every record arrives whole (each
 * call's bytes contiguous) and each thread's records in order. */
#define ORDER_THREADS 4
#define ORDER_RECORDS 150

struct record_header
{
    DWORD thread;
    DWORD seq;
    DWORD len;
};

struct order_sender
{
    SOCKET s;
    DWORD id;
    BOOL overlapped;
    int failures;
};

static void fill_record(char *buf, DWORD thread, DWORD seq, DWORD len)
{
    struct record_header header = { thread, seq, len };

    memcpy(buf, &header, sizeof(header));
    for (DWORD i = 0; i < len; i++) buf[sizeof(header) + i] = (char)(thread * 31 + seq * 7 + i);
}

static DWORD WINAPI order_sender_thread(void *arg)
{
    struct order_sender *sender = arg;
    static char bufs[ORDER_THREADS][sizeof(struct record_header) + 40000];
    char *buf = bufs[sender->id];
    WSAOVERLAPPED ov;
    WSABUF wsabuf;
    DWORD sent, flags;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (DWORD seq = 0; seq < ORDER_RECORDS; seq++)
    {
        DWORD len = 16 + (seq * 7919 + sender->id * 104729) % 39000;

        fill_record(buf, sender->id, seq, len);
        wsabuf.buf = buf;
        wsabuf.len = sizeof(struct record_header) + len;
        if (sender->overlapped)
        {
            int ret = WSASend(sender->s, &wsabuf, 1, NULL, 0, &ov, NULL);

            if (ret && WSAGetLastError() != WSA_IO_PENDING) sender->failures++;
            if (!WSAGetOverlappedResult(sender->s, &ov, &sent, TRUE, &flags) || sent != wsabuf.len)
                sender->failures++;
            ResetEvent(ov.hEvent);
        }
        else if (WSASend(sender->s, &wsabuf, 1, &sent, 0, NULL, NULL) || sent != wsabuf.len)
            sender->failures++;
    }
    CloseHandle(ov.hEvent);
    return 0;
}

static void test_tcp_order_threads(void)
{
    struct order_sender senders[ORDER_THREADS];
    HANDLE threads[ORDER_THREADS];
    DWORD next_seq[ORDER_THREADS] = {0};
    static char buf[sizeof(struct record_header) + 40000];
    struct record_header header;
    SOCKET client, server;
    int records = 0, bad = 0, failures = 0;

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    for (DWORD i = 0; i < ORDER_THREADS; i++)
    {
        senders[i].s = client;
        senders[i].id = i;
        senders[i].overlapped = i & 1;
        senders[i].failures = 0;
        threads[i] = CreateThread(NULL, 0, order_sender_thread, &senders[i], 0, NULL);
    }

    while (records < ORDER_THREADS * ORDER_RECORDS)
    {
        if (recv_all(server, (char *)&header, sizeof(header), 10000) != sizeof(header)) break;
        if (header.thread >= ORDER_THREADS || header.len > 40000 || header.seq != next_seq[header.thread])
        {
            bad++;
            break;
        }
        if (recv_all(server, buf, header.len, 10000) != (int)header.len) break;
        fill_record(buf + header.len, header.thread, header.seq, header.len);
        if (memcmp(buf, buf + header.len + sizeof(header), header.len)) bad++;
        next_seq[header.thread]++;
        records++;
    }
    WaitForMultipleObjects(ORDER_THREADS, threads, TRUE, 20000);
    for (int i = 0; i < ORDER_THREADS; i++)
    {
        failures += senders[i].failures;
        CloseHandle(threads[i]);
    }
    ok(!failures, "%d sends failed\n", failures);
    ok(!bad, "%d records arrived torn or out of order (after %d good ones)\n", bad, records);
    ok(records == ORDER_THREADS * ORDER_RECORDS, "got %d of %d records\n", records, ORDER_THREADS * ORDER_RECORDS);
    closesocket(client);
    closesocket(server);
}

/* Rule: the host descriptor never outlives the Windows handle: closesocket,
 * CloseHandle and handle reuse leak nothing and misdirect nothing. */
static void test_close_and_reuse(void)
{
    struct sockaddr_in r1_addr, r2_addr, local;
    SOCKET r1, r2, s, first;
    int fds_before, fds_after, ret;
    char buf[16];

    r1 = udp_bound(&r1_addr);
    r2 = udp_bound(&r2_addr);
    set_blocking(r1, FALSE);
    set_blocking(r2, FALSE);

    fds_before = count_host_fds();
    for (int i = 0; i < 200; i++)
    {
        s = udp_bound(&local);
        for (int j = 0; j < 3; j++)
            sendto(s, "leak?", 5, 0, (struct sockaddr *)&r1_addr, sizeof(r1_addr));
        if (i & 1)
            closesocket(s);
        else
            CloseHandle((HANDLE)s);
    }
    while (recv(r1, buf, sizeof(buf), 0) > 0)
        ;
    fds_after = count_host_fds();
    if (fds_before < 0)
        skip("cannot count host descriptors (not Wine?)\n");
    else
        /* A leak would be one or more per socket; Wine's own threads (a
         * thread pool growing) open a few descriptors now and then. */
        ok(fds_after <= fds_before + 40, "host descriptors: %d before, %d after 200 sockets\n", fds_before, fds_after);
    trace("host descriptors: %d before, %d after 200 sockets\n", fds_before, fds_after);

    /* Send to r1 through a socket, close it, and let the next socket reuse
     * the handle: its sends must go where it says. */
    first = s = udp_bound(&local);
    connect(s, (struct sockaddr *)&r1_addr, sizeof(r1_addr));
    ok(send(s, "one", 3, 0) == 3, "send failed\n");
    ok(send(s, "one", 3, 0) == 3, "send failed\n");
    closesocket(s);
    s = udp_bound(&local);
    if (s != first) trace("handle %p was not reused (got %p)\n", (void *)first, (void *)s);
    ret = sendto(s, "two", 3, 0, (struct sockaddr *)&r2_addr, sizeof(r2_addr));
    ok(ret == 3, "send on the new socket: %d, error %d\n", ret, WSAGetLastError());
    Sleep(50);
    ok(recv(r2, buf, sizeof(buf), 0) == 3 && !memcmp(buf, "two", 3), "r2 did not get the new socket's datagram\n");
    closesocket(s);
    closesocket(r1);
    closesocket(r2);
}

/* A DuplicateHandle copy reaches the same socket; closing the original
 * handle leaves the copy working. */
static void test_duplicated_handle(void)
{
    struct sockaddr_in dst_addr, src_addr;
    SOCKET src, dst;
    HANDLE dup = NULL;
    char buf[16];
    int ret, ret2;

    dst = udp_bound(&dst_addr);
    src = udp_bound(&src_addr);
    ok(sendto(src, "orig", 4, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr)) == 4, "send failed\n");
    ok(DuplicateHandle(GetCurrentProcess(), (HANDLE)src, GetCurrentProcess(), &dup, 0, FALSE,
                       DUPLICATE_SAME_ACCESS), "DuplicateHandle failed\n");
    ret = sendto((SOCKET)dup, "dup1", 4, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
    closesocket(src);
    ret2 = sendto((SOCKET)dup, "dup2", 4, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
    /* Windows' answer for a DuplicateHandle copy is not known; ws2send must
     * give the same one with and without the fast path, and never send a
     * datagram while reporting failure. */
    set_blocking(dst, FALSE);
    ok(recv(dst, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "orig", 4), "the first datagram is missing\n");
    ok(ret == ret2, "the copy answered %d, then %d after closing the original\n", ret, ret2);
    if (ret == 4)
    {
        ok(recv(dst, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "dup1", 4), "dup1 missing\n");
        ok(recv(dst, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "dup2", 4), "dup2 missing\n");
    }
    else
        ok(recv(dst, buf, sizeof(buf), 0) == SOCKET_ERROR, "a failed send delivered data\n");
    trace("send through a DuplicateHandle copy: %d, error %d\n", ret, WSAGetLastError());
    CloseHandle(dup);
    closesocket(dst);
}

/* Rule: what the fast path remembers of a socket is keyed by its host
 * cookie, never by the handle value alone: WSASendMsg answers a stream
 * socket that reuses a datagram socket's handle with WSAEINVAL (sock.c
 * test_WSASendMsg), not as the datagram socket it remembers. */
static void test_reused_handle_type(void)
{
    struct sockaddr_in dst_addr, local;
    LPFN_WSASENDMSG pWSASendMsg;
    SOCKET dst, s, first;
    WSABUF wsabuf = { 4, (char *)"type" };
    WSAMSG msg;
    DWORD sent;
    int ret;

    dst = udp_bound(&dst_addr);
    first = s = udp_bound(&local);
    pWSASendMsg = wsasendmsg_of(s);
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&dst_addr;
    msg.namelen = sizeof(dst_addr);
    msg.lpBuffers = &wsabuf;
    msg.dwBufferCount = 1;
    for (int i = 0; i < 2; i++)
        ok(!pWSASendMsg(s, &msg, 0, &sent, NULL, NULL) && sent == 4, "datagram WSASendMsg failed, error %d\n",
           WSAGetLastError());
    CloseHandle((HANDLE)s);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s != first) trace("handle %p was not reused (got %p)\n", (void *)first, (void *)s);
    ret = pWSASendMsg(s, &msg, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "stream WSASendMsg: %d, error %d\n", ret,
       WSAGetLastError());
    closesocket(s);
    closesocket(dst);
}

/* Two pages, the second one inaccessible: *edge points 32 bytes before it. */
static char *alloc_edge(char **edge)
{
    char *pages = VirtualAlloc(NULL, 0x2000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    DWORD old;

    ok(pages != NULL, "VirtualAlloc failed\n");
    ok(VirtualProtect(pages + 0x1000, 0x1000, PAGE_NOACCESS, &old), "VirtualProtect failed\n");
    memset(pages, 'x', 0x1000);
    *edge = pages + 0x1000 - 32;
    return pages;
}

/* Rule: a bad buffer answers WSAEFAULT, sends nothing and never crashes.  A
 * datagram the host takes is not probed in advance (the host's EFAULT
 * answers, and a datagram is all or nothing); the fallback to Wine's driver
 * must then still find the bad buffer itself. */
static void test_bad_buffer_datagram(void)
{
    struct ws2send_stats before, after;
    struct sockaddr_in dst_addr, src_addr;
    char *pages, *edge, buf[128];
    WSABUF wsabuf[2];
    SOCKET src, dst;
    DWORD sent;
    int ret;

    pages = alloc_edge(&edge);
    dst = udp_bound(&dst_addr);
    src = udp_bound(&src_addr);
    set_blocking(dst, FALSE);
    ok(!connect(src, (struct sockaddr *)&dst_addr, sizeof(dst_addr)), "connect failed\n");
    ok(send(src, "good", 4, 0) == 4, "send failed\n");
    ok(get_stats(src, &before), "no statistics: not ws2send?\n");

    ret = send(src, edge, 64, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "send across a page edge: %d, error %d\n",
       ret, WSAGetLastError());
    ret = send(src, (char *)16, 64, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "send from address 16: %d, error %d\n",
       ret, WSAGetLastError());
    wsabuf[0].buf = buf;
    wsabuf[0].len = 8;
    wsabuf[1].buf = edge;
    wsabuf[1].len = 33;
    ret = WSASendTo(src, wsabuf, 2, &sent, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr), NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSASendTo: %d, error %d\n",
       ret, WSAGetLastError());
    /* Too large for a datagram and bad as well: the host refuses the size
     * first, and the call goes on to Wine's driver, which must not get it.
     * WSAEFAULT first is ws2send's order before the host answered for bad
     * buffers (the API layer probed them); not verified on Windows. */
    ret = send(src, edge, 70000, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "oversized bad send: %d, error %d\n",
       ret, WSAGetLastError());
    ok(get_stats(src, &after), "no statistics\n");
    if (fastpath_enabled())
        ok(after.calls[WS2SEND_ENTRY_SEND][WS2SEND_PROVIDER_HOST_FAST]
               >= before.calls[WS2SEND_ENTRY_SEND][WS2SEND_PROVIDER_HOST_FAST] + 2,
           "the host did not answer for the bad datagrams\n");

    ok(recv(dst, buf, sizeof(buf), 0) == 4, "the good datagram is missing\n");
    ok(recv(dst, buf, sizeof(buf), 0) == SOCKET_ERROR, "a failed send delivered data\n");
    ok(send(src, edge, 32, 0) == 32, "the readable part alone failed, error %d\n", WSAGetLastError());
    closesocket(src);
    closesocket(dst);
    VirtualFree(pages, 0, MEM_RELEASE);
}

/* Rule: a stream send with a bad buffer sends nothing at all (Windows
 * checks every buffer before the first byte leaves; sdk-api WSASend:
 * WSAEFAULT "the lpBuffers ... parameter is not totally contained in a valid
 * part of the user address space").  Linux would take the good part, a
 * chunk at a time, before it meets the bad one. */
static void test_bad_buffer_stream(void)
{
    static const DWORD good_len = 256 * 1024;
    SOCKET client, server;
    char *pages, *edge, *good, buf[4];
    WSABUF wsabuf[2];
    DWORD sent;
    int ret;

    pages = alloc_edge(&edge);
    good = HeapAlloc(GetProcessHeap(), 0, good_len);
    memset(good, 'g', good_len);
    tcp_pair(&client, &server, 0);
    wsabuf[0].buf = good;
    wsabuf[0].len = good_len;
    wsabuf[1].buf = edge;
    wsabuf[1].len = 64;
    ret = WSASend(client, wsabuf, 2, &sent, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "WSASend: %d, error %d\n", ret, WSAGetLastError());
    ret = send(client, edge, 64, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "send: %d, error %d\n", ret, WSAGetLastError());
    ok(send(client, "end", 3, 0) == 3, "send failed, error %d\n", WSAGetLastError());
    ret = recv_all(server, buf, 3, 2000);
    ok(ret == 3 && !memcmp(buf, "end", 3), "a failed send delivered data first (%d bytes, \"%.3s\")\n", ret, buf);
    closesocket(client);
    closesocket(server);
    HeapFree(GetProcessHeap(), 0, good);
    VirtualFree(pages, 0, MEM_RELEASE);
}

START_TEST(hazards)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_unbound_first_datagram();
    test_fd_write_after_wouldblock();
    test_fd_write_message_after_wouldblock();
    test_blocking_full_sndtimeo();
    test_send_after_shutdown();
    test_tcp_order_threads();
    test_close_and_reuse();
    test_duplicated_handle();
    test_reused_handle_type();
    test_bad_buffer_datagram();
    test_bad_buffer_stream();
    WSACleanup();
}
