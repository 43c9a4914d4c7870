/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Overlapped sends on the host route (dlls/ws2_32/completion.c): only an
 * overlapped send whose immediate success has nothing to deliver (both skip
 * modes, no event, no routine), on a datagram socket or a stream socket with
 * room for it, on a socket none of whose sends Wine's driver holds, is sent
 * and completed by ws2send; everything else goes to Wine's driver, which
 * completes it.  Each
 * rule has a test that sees the effect Windows gives (packet, event,
 * routine, signalled handle) and the route ws2send's statistics report, so
 * it fails when the rule is removed.  Run with WS2SEND_FASTPATH=1 and =0.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifndef UDP_SEND_MSG_SIZE
#define UDP_SEND_MSG_SIZE 2
#endif

#define SKIP_BOTH (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | FILE_SKIP_SET_EVENT_ON_HANDLE)

struct route
{
    struct ws2send_stats before;
    SOCKET s;
    enum ws2send_entry_id entry;
};

static void route_start(struct route *route, SOCKET s, enum ws2send_entry_id entry)
{
    route->s = s;
    route->entry = entry;
    ok(get_stats(s, &route->before), "no statistics: not ws2send?\n");
}

/* Checks that count sends since route_start went host-fast or through
 * Wine's driver. */
#define route_check(route, host, count) route_check_(__LINE__, route, host, count)
static void route_check_(int line, const struct route *route, BOOL host, unsigned int count)
{
    struct ws2send_stats after;
    unsigned int fast, wine;

    get_stats(route->s, &after);
    fast = after.calls[route->entry][WS2SEND_PROVIDER_HOST_FAST] - route->before.calls[route->entry][WS2SEND_PROVIDER_HOST_FAST];
    wine = after.calls[route->entry][WS2SEND_PROVIDER_WINE_AFD] - route->before.calls[route->entry][WS2SEND_PROVIDER_WINE_AFD];
    ok_(__FILE__, line)(fast == (host ? count : 0) && wine == (host ? 0 : count),
                        "expected %u sends %s, got %u host-fast, %u wine-afd\n", count,
                        host ? "on the host route" : "through Wine's driver", fast, wine);
}

/* A UDP socket with the given completion modes, on a port under key (none
 * for key 0), and a peer for it; routes are counted from here. */
struct fixture
{
    struct sockaddr_in peer_addr;
    SOCKET s, peer;
    HANDLE port;
    struct route route;
};

static SOCKET udp_with_modes(UCHAR modes, ULONG_PTR key, HANDLE *port)
{
    struct sockaddr_in addr;
    SOCKET s = udp_bound(&addr);

    *port = key ? CreateIoCompletionPort((HANDLE)s, NULL, key, 0) : NULL;
    if (modes) ok(SetFileCompletionNotificationModes((HANDLE)s, modes), "error %lu\n", GetLastError());
    return s;
}

static void fixture_open(struct fixture *f, UCHAR modes, ULONG_PTR key)
{
    f->peer = udp_bound(&f->peer_addr);
    f->s = udp_with_modes(modes, key, &f->port);
    route_start(&f->route, f->s, WS2SEND_ENTRY_WSASENDTO);
}

static void fixture_close(struct fixture *f)
{
    closesocket(f->s);
    closesocket(f->peer);
    if (f->port) CloseHandle(f->port);
}

static int send_to(struct fixture *f, const char *data, WSAOVERLAPPED *ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, DWORD *bytes)
{
    WSABUF buf = { (ULONG)strlen(data), (char *)data };

    memset(ov, 0, offsetof(WSAOVERLAPPED, hEvent));
    ov->Internal = ov->InternalHigh = 0xdeadbeef;
    return WSASendTo(f->s, &buf, 1, bytes, 0, (const struct sockaddr *)&f->peer_addr, sizeof(f->peer_addr),
                     ov, routine);
}

/* The size of the next datagram at the peer. */
static int peer_got(struct fixture *f)
{
    char buf[64];

    return recv(f->peer, buf, sizeof(buf), 0);
}

static BOOL no_packet(HANDLE port)
{
    WSAOVERLAPPED *pov;
    ULONG_PTR key;
    DWORD bytes;

    return !GetQueuedCompletionStatus(port, &bytes, &key, &pov, 0) && GetLastError() == WAIT_TIMEOUT;
}

/* The Go/.NET/libuv pattern is served by the host with the fast path on;
 * the completion is Windows' either way. */
static void test_silent_send_on_host(void)
{
    WSAOVERLAPPED ov = {0};
    struct fixture f;
    DWORD bytes;
    int ret;

    fixture_open(&f, SKIP_BOTH, 7);
    for (int i = 0; i < 4; i++)
    {
        bytes = 0;
        ret = send_to(&f, "silent", &ov, NULL, &bytes);
        ok(!ret && bytes == 6, "send %d: got %d, %lu bytes, error %d\n", i, ret, bytes, WSAGetLastError());
        ok(ov.Internal == 0 && ov.InternalHigh == 6, "send %d: status %#lx, size %lu\n", i, (unsigned long)ov.Internal, (unsigned long)ov.InternalHigh);
        ok(peer_got(&f) == 6, "send %d: nothing received\n", i);
    }
    ok(no_packet(f.port), "a packet was posted\n");
    route_check(&f.route, fastpath_enabled(), 4);
    fixture_close(&f);
}

/* Rule: an event must be set, which the host route does not do. */
static void test_event_goes_to_wine(void)
{
    WSAOVERLAPPED ov = {0};
    struct fixture f;
    DWORD bytes;

    fixture_open(&f, SKIP_BOTH, 8);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok(!send_to(&f, "event", &ov, NULL, &bytes), "error %d\n", WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_OBJECT_0, "event not set\n");
    ok(peer_got(&f) == 5, "nothing received\n");
    route_check(&f.route, FALSE, 1);
    CloseHandle(ov.hEvent);
    fixture_close(&f);
}

/* Rule: without FILE_SKIP_COMPLETION_PORT_ON_SUCCESS a packet is due. */
static void test_packet_goes_to_wine(void)
{
    WSAOVERLAPPED ov = {0}, *pov = NULL;
    struct fixture f;
    ULONG_PTR key = 0;
    DWORD bytes;

    fixture_open(&f, FILE_SKIP_SET_EVENT_ON_HANDLE, 9);
    ok(!send_to(&f, "packet", &ov, NULL, &bytes), "error %d\n", WSAGetLastError());
    ok(GetQueuedCompletionStatus(f.port, &bytes, &key, &pov, 5000) && bytes == 6 && key == 9 && pov == &ov,
       "packet: %lu bytes, key %lu, overlapped %p\n", bytes, (unsigned long)key, pov);
    ok(peer_got(&f) == 6, "nothing received\n");
    route_check(&f.route, FALSE, 1);
    fixture_close(&f);
}

/* Rule: without FILE_SKIP_SET_EVENT_ON_HANDLE the socket handle is
 * signalled, which only Wine's server can do (a pending receive has reset
 * it). */
static void test_handle_signal_goes_to_wine(void)
{
    WSAOVERLAPPED ov = {0}, recv_ov = {0};
    struct fixture f;
    WSABUF recv_buf;
    DWORD bytes, flags = 0;
    char in[16];

    fixture_open(&f, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, 10);
    recv_buf.buf = in;
    recv_buf.len = sizeof(in);
    recv_ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSARecv(f.s, &recv_buf, 1, NULL, &flags, &recv_ov, NULL);
    ok(WaitForSingleObject((HANDLE)f.s, 0) == WAIT_TIMEOUT, "handle signalled\n");
    ok(!send_to(&f, "signal", &ov, NULL, &bytes), "error %d\n", WSAGetLastError());
    ok(WaitForSingleObject((HANDLE)f.s, 0) == WAIT_OBJECT_0, "handle not signalled\n");
    ok(peer_got(&f) == 6, "nothing received\n");
    route_check(&f.route, FALSE, 1);
    CancelIo((HANDLE)f.s);
    WaitForSingleObject(recv_ov.hEvent, 5000);
    CloseHandle(recv_ov.hEvent);
    fixture_close(&f);
}

static unsigned int routine_calls;
static DWORD routine_bytes;

static void CALLBACK routine(DWORD error, DWORD transferred, WSAOVERLAPPED *ov, DWORD flags)
{
    routine_calls++;
    routine_bytes = transferred;
}

/* Rule: a completion routine is queued to the thread by Wine's server. */
static void test_routine_goes_to_wine(void)
{
    WSAOVERLAPPED ov = {0};
    struct fixture f;
    DWORD bytes;

    fixture_open(&f, SKIP_BOTH, 0);
    routine_calls = 0;
    ok(!send_to(&f, "routine", &ov, routine, &bytes), "error %d\n", WSAGetLastError());
    SleepEx(0, TRUE);
    ok(routine_calls == 1 && routine_bytes == 7, "routine ran %u times, %lu bytes\n", routine_calls, routine_bytes);
    ok(peer_got(&f) == 7, "nothing received\n");
    route_check(&f.route, FALSE, 1);
    fixture_close(&f);
}

/* A stream send with room in the host's send buffer completes on the host,
 * as a datagram does. */
static void test_stream_silent_on_host(void)
{
    WSABUF buf = { 6, (char *)"stream" };
    WSAOVERLAPPED ov;
    struct route route;
    SOCKET client, server;
    HANDLE port;
    DWORD bytes;
    char in[16];

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 11, 0);
    ok(SetFileCompletionNotificationModes((HANDLE)client, SKIP_BOTH), "error %lu\n", GetLastError());
    route_start(&route, client, WS2SEND_ENTRY_WSASEND);
    memset(&ov, 0, sizeof(ov));
    ov.Internal = ov.InternalHigh = 0xdeadbeef;
    ok(!WSASend(client, &buf, 1, &bytes, 0, &ov, NULL) && bytes == 6, "error %d\n", WSAGetLastError());
    ok(ov.Internal == 0 && ov.InternalHigh == 6, "status %#lx, size %lu\n", (unsigned long)ov.Internal, (unsigned long)ov.InternalHigh);
    ok(recv_all(server, in, 6, 5000) == 6 && !memcmp(in, "stream", 6), "nothing received\n");
    ok(no_packet(port), "a packet was posted\n");
    route_check(&route, fastpath_enabled(), 1);
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
}

/* The byte at stream position pos, so that any reordering shows. */
static char stream_byte(ULONGLONG pos)
{
    return (char)(pos ^ (pos >> 8) ^ (pos >> 16));
}

static void fill_stream(char *buf, ULONG len, ULONGLONG *pos)
{
    for (ULONG i = 0; i < len; i++) buf[i] = stream_byte((*pos)++);
}

#define FILL_CHUNK (256 * 1024)
#define FILL_MAX 64

/* Rule: no send takes the host route while an overlapped send of the socket
 * is pending in Wine's driver (it would overtake it), and once that one is
 * done the host route is open again.  The peer reads nothing until Wine's
 * driver holds a send; every byte's position is then checked. */
static void test_stream_pending_not_overtaken(void)
{
    static char chunks[FILL_MAX][FILL_CHUNK];
    WSAOVERLAPPED *ovs, after = {0};
    char tail[2][16], *in;
    ULONGLONG sent_pos = 0, got_pos = 0, total;
    SOCKET client, server;
    struct route route;
    WSABUF buf;
    HANDLE port;
    DWORD bytes;
    int sends = 0, pending = -1, ret, bad = -1;

    /* Freed once they are done, before the last send: what ws2send noted
     * of them must then read as done, not crash. */
    ovs = VirtualAlloc(NULL, (FILL_MAX + 1) * sizeof(*ovs), MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    port = CreateIoCompletionPort((HANDLE)client, NULL, 13, 0);
    ok(SetFileCompletionNotificationModes((HANDLE)client, SKIP_BOTH), "error %lu\n", GetLastError());

    /* Fill the host buffer until a send stays pending in Wine's driver. */
    while (sends < FILL_MAX && pending < 0)
    {
        fill_stream(chunks[sends], FILL_CHUNK, &sent_pos);
        buf.len = FILL_CHUNK;
        buf.buf = chunks[sends];
        ret = WSASend(client, &buf, 1, &bytes, 0, &ovs[sends], NULL);
        if (ret && WSAGetLastError() == WSA_IO_PENDING) pending = sends;
        else ok(!ret, "fill send %d: error %d\n", sends, WSAGetLastError());
        sends++;
    }
    ok(pending >= 0, "no send went pending after %d sends\n", sends);
    if (pending < 0) goto done;

    /* While it is pending: the next send goes behind it, through Wine. */
    route_start(&route, client, WS2SEND_ENTRY_WSASEND);
    ok(!HasOverlappedIoCompleted(&ovs[pending]), "the pending send is done already\n");
    fill_stream(tail[0], sizeof(tail[0]), &sent_pos);
    buf.len = sizeof(tail[0]);
    buf.buf = tail[0];
    ret = WSASend(client, &buf, 1, &bytes, 0, &ovs[sends], NULL);
    ok(!ret || WSAGetLastError() == WSA_IO_PENDING, "send behind: error %d\n", WSAGetLastError());
    route_check(&route, FALSE, 1);

    /* The peer reads all of it, in order. */
    total = sent_pos;
    in = malloc(FILL_CHUNK);
    while (got_pos < total && bad < 0)
    {
        int len = recv_all(server, in, (int)min(FILL_CHUNK, total - got_pos), 10000);

        if (len <= 0) break;
        for (int i = 0; i < len && bad < 0; i++)
            if (in[i] != stream_byte(got_pos + i)) bad = (int)i;
        got_pos += len;
    }
    free(in);
    ok(got_pos == total && bad < 0, "received %llu of %llu bytes, first wrong byte %d\n", got_pos, total, bad);

    /* Done in Wine's driver: the host route is open again. */
    for (int i = pending; i <= sends; i++)
    {
        ok(WSAGetOverlappedResult(client, &ovs[i], &bytes, TRUE, &(DWORD){0}), "send %d not completed\n", i);
        ok(bytes == (i < sends ? FILL_CHUNK : sizeof(tail[0])), "send %d: %lu bytes\n", i, bytes);
    }
    VirtualFree(ovs, 0, MEM_RELEASE);
    ovs = NULL;
    route_start(&route, client, WS2SEND_ENTRY_WSASEND);
    fill_stream(tail[1], sizeof(tail[1]), &sent_pos);
    buf.buf = tail[1];
    ret = WSASend(client, &buf, 1, &bytes, 0, &after, NULL);
    ok(!ret && bytes == sizeof(tail[1]), "send after: got %d, error %d\n", ret, WSAGetLastError());
    route_check(&route, fastpath_enabled(), 1);
    in = malloc(sizeof(tail[1]));
    ok(recv_all(server, in, sizeof(tail[1]), 5000) == sizeof(tail[1]) && !memcmp(in, tail[1], sizeof(tail[1])),
       "the last send was not received after the others\n");
    free(in);
done:
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    if (ovs) VirtualFree(ovs, 0, MEM_RELEASE);
}

/* A send Wine's driver completed at once holds nothing: the next one may
 * take the host route, and arrives after it. */
static void test_done_in_wine_then_host(void)
{
    WSAOVERLAPPED ov = {0};
    struct fixture f;
    DWORD bytes;

    fixture_open(&f, SKIP_BOTH, 12);
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ok(!send_to(&f, "first", &ov, NULL, &bytes), "error %d\n", WSAGetLastError());
    CloseHandle(ov.hEvent);
    route_start(&f.route, f.s, WS2SEND_ENTRY_WSASENDTO);
    ov.hEvent = NULL;
    ok(!send_to(&f, "second", &ov, NULL, &bytes), "error %d\n", WSAGetLastError());
    ok(peer_got(&f) == 5, "first not received first\n");
    ok(peer_got(&f) == 6, "second not received\n");
    route_check(&f.route, fastpath_enabled(), 1);
    fixture_close(&f);
}

/* Counts datagrams waiting at peer (nonblocking), their sizes in sizes[]. */
static int receive_all(SOCKET peer, int *sizes, int max)
{
    static char buf[4000];
    int count = 0, ret;

    set_blocking(peer, FALSE);
    Sleep(50);
    while (count < max && (ret = recv(peer, buf, sizeof(buf), 0)) > 0) sizes[count++] = ret;
    return count;
}

/* Overlapped WSASendMsg keeps its control data on the host route (a
 * UDP_SEND_MSG_SIZE batch leaves as segments); where the host route cannot
 * complete it, the batch fails with WSAENOBUFS rather than leave as one
 * datagram. */
static void test_sendmsg_segments(void)
{
    union
    {
        char buf[WSA_CMSG_SPACE(sizeof(DWORD))];
        WSACMSGHDR align;
    } control;
    static char payload[3000];
    struct sockaddr_in peer_addr;
    WSABUF wsabuf = { sizeof(payload), payload };
    LPFN_WSASENDMSG pWSASendMsg;
    WSAOVERLAPPED ov;
    SOCKET s, peer;
    HANDLE port;
    WSAMSG msg;
    DWORD bytes;
    int ret, sizes[4] = {0}, count;

    peer = udp_bound(&peer_addr);
    s = udp_with_modes(SKIP_BOTH, 13, &port);
    pWSASendMsg = wsasendmsg_of(s);
    memset(&control, 0, sizeof(control));
    control.align.cmsg_len = WSA_CMSG_LEN(sizeof(DWORD));
    control.align.cmsg_level = IPPROTO_UDP;
    control.align.cmsg_type = UDP_SEND_MSG_SIZE;
    *(DWORD *)WSA_CMSG_DATA(&control.align) = 1000;
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&peer_addr;
    msg.namelen = sizeof(peer_addr);
    msg.lpBuffers = &wsabuf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control.buf;
    msg.Control.len = sizeof(control.buf);

    memset(&ov, 0, sizeof(ov));
    bytes = 0;
    ret = pWSASendMsg(s, &msg, 0, &bytes, &ov, NULL);
    ok(!ret && bytes == sizeof(payload) && ov.InternalHigh == sizeof(payload),
       "got %d, %lu bytes, size %lu, error %d\n", ret, bytes, (unsigned long)ov.InternalHigh, WSAGetLastError());
    ok(no_packet(port), "a packet was posted\n");
    count = receive_all(peer, sizes, 4);
    ok(count == 3 && sizes[0] == 1000 && sizes[1] == 1000 && sizes[2] == 1000,
       "got %d datagrams: %d %d %d\n", count, sizes[0], sizes[1], sizes[2]);
    closesocket(s);
    CloseHandle(port);

    /* A packet is due: Wine's driver would send the batch as one datagram. */
    s = udp_with_modes(0, 14, &port);
    memset(&ov, 0, sizeof(ov));
    WSASetLastError(0);
    ret = pWSASendMsg(s, &msg, 0, &bytes, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS, "got %d, error %d\n", ret, WSAGetLastError());
    ok(no_packet(port), "a packet was posted\n");
    count = receive_all(peer, sizes, 4);
    ok(!count, "got %d datagrams, the first of %d bytes\n", count, sizes[0]);
    closesocket(s);
    closesocket(peer);
    CloseHandle(port);
}

START_TEST(completion)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_silent_send_on_host();
    test_event_goes_to_wine();
    test_packet_goes_to_wine();
    test_handle_signal_goes_to_wine();
    test_routine_goes_to_wine();
    test_stream_silent_on_host();
    test_stream_pending_not_overtaken();
    test_done_in_wine_then_host();
    test_sendmsg_segments();
    WSACleanup();
}
