/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * send(): the plain Winsock 1 send path on TCP and UDP.
 *
 * Sources: facts are numbered as in shared/reference/windows-send-facts.md
 * (they come from checks in Wine's dlls/ws2_32/tests/sock.c that Wine's
 * testbot runs on Windows); "MSDN send" is
 * sdk-api-src/content/winsock2/nf-winsock2-send.md.  Checks known only from
 * the documentation end their message with "[doc]".
 */

#include "sendtest.h"

static void test_tcp_basic(void)
{
    SOCKET client, server;
    char buf[16];
    int ret;

    if (!st_tcp_pair(&client, &server)) return;

    /* Windows: sock.c test_WithWSAStartup (fact S1); test_WSARecv checks that
     * the successful send leaves GetLastError() == 0. */
    SetLastError(0xdeadbeef);
    ret = send(client, "data", 4, 0);
    ok(ret == 4, "got %d\n", ret);
    ok(GetLastError() == 0, "got error %lu\n", GetLastError());

    memset(buf, 0, sizeof(buf));
    ret = st_recv_all(server, buf, 4, ST_WAIT_MS);
    ok(ret == 4 && !memcmp(buf, "data", 4), "peer got %d bytes %s\n", ret, wine_dbgstr_an(buf, ret));

    /* Windows: sock.c test_shutdown sends from the accepted end (fact S16). */
    SetLastError(0xdeadbeef);
    ret = send(server, "reply", 5, 0);
    ok(ret == 5, "got %d\n", ret);
    ok(GetLastError() == 0, "got error %lu\n", GetLastError());
    ret = st_recv_all(client, buf, 5, ST_WAIT_MS);
    ok(ret == 5 && !memcmp(buf, "reply", 5), "peer got %d bytes %s\n", ret, wine_dbgstr_an(buf, ret));

    closesocket(client);
    closesocket(server);
}

static void test_bad_socket(void)
{
    SOCKET s;
    HANDLE event;
    int ret;

    /* Windows: ReactOS' apitest ws2_32/send.c (written against Windows):
     * send() on a value that is no socket fails with WSAENOTSOCK. */
    WSASetLastError(0xdeadbeef);
    ret = send(INVALID_SOCKET, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u\n", WSAGetLastError());

    /* Windows: a handle that no longer names a socket gives WSAENOTSOCK
     * (fact S2, handles left over after WSACleanup). */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    closesocket(s);
    WSASetLastError(0xdeadbeef);
    ret = send(s, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u\n", WSAGetLastError());

    /* MSDN send: WSAENOTSOCK for a descriptor that is not a socket (here an
     * event handle). */
    event = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSASetLastError(0xdeadbeef);
    ret = send((SOCKET)event, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u [doc]\n", WSAGetLastError());
    CloseHandle(event);
}

static void test_shutdown(void)
{
    SOCKET client, server;
    char buf[16];
    int ret;

    if (!st_tcp_pair(&client, &server)) return;
    st_set_blocking(client, FALSE);

    /* Windows: sock.c test_shutdown (fact S15; H1: SD_SEND twice succeeds). */
    ret = shutdown(client, SD_SEND);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    ret = shutdown(client, SD_SEND);
    ok(!ret, "second shutdown failed: %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = send(client, "test", 5, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_shutdown: the peer reads end of stream. */
    ret = st_recv_all(server, buf, sizeof(buf), ST_WAIT_MS);
    ok(ret == 0, "peer got %d bytes\n", ret);

    /* Windows: sock.c test_shutdown (fact S16): after SD_RECEIVE the socket
     * still sends. */
    ret = shutdown(server, SD_RECEIVE);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = send(server, "test", 5, 0);
    ok(ret == 5, "got %d, error %u\n", ret, WSAGetLastError());
    ret = st_recv_all(client, buf, 5, ST_WAIT_MS);
    ok(ret == 5 && !strcmp(buf, "test"), "peer got %d bytes\n", ret);

    closesocket(client);
    closesocket(server);

    if (!st_tcp_pair(&client, &server)) return;

    /* Windows: sock.c test_shutdown (fact S17): SD_BOTH, on either end. */
    ret = shutdown(client, SD_BOTH);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = send(client, "test", 5, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u\n", WSAGetLastError());

    ret = shutdown(server, SD_BOTH);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = send(server, "test", 5, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u\n", WSAGetLastError());

    closesocket(client);
    closesocket(server);
}

static void test_not_connected(void)
{
    struct sockaddr_in addr = st_loopback4("127.0.0.1", 0);
    struct sockaddr_storage bound;
    SOCKET s, udp;
    int ret;

    /* A TCP socket that never connected: WSAENOTCONN (ReactOS' apitest
     * ws2_32/send.c, written against Windows; MSDN send). */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSASetLastError(0xdeadbeef);
    ret = send(s, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTCONN, "got error %u\n", WSAGetLastError());

    /* MSDN send: WSAENOTCONN, on a listening socket.  (Nonblocking, so
     * that an implementation that waits for the socket to become writable
     * fails the check instead of hanging.) */
    ret = bind(s, (struct sockaddr *)&addr, sizeof(addr));
    ok(!ret, "bind failed: %u\n", WSAGetLastError());
    ret = listen(s, 1);
    ok(!ret, "listen failed: %u\n", WSAGetLastError());
    st_set_blocking(s, FALSE);
    WSASetLastError(0xdeadbeef);
    ret = send(s, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTCONN, "got error %u [doc]\n", WSAGetLastError());
    closesocket(s);

    /* Windows: sock.c test_connect_udp: send on an unconnected UDP socket,
     * both unbound (nonblocking) and bound, fails with WSAENOTCONN. */
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    st_set_blocking(udp, FALSE);
    SetLastError(0xdeadbeef);
    ret = send(udp, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(GetLastError() == WSAENOTCONN, "got error %lu\n", GetLastError());
    closesocket(udp);

    udp = st_udp_bound(AF_INET, &bound);
    SetLastError(0xdeadbeef);
    ret = send(udp, "data", 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(GetLastError() == WSAENOTCONN, "got error %lu\n", GetLastError());
    closesocket(udp);
}

static void test_connection_reset(void)
{
    SOCKET client, server;
    int ret;

    if (!st_tcp_pair(&client, &server)) return;

    st_close_with_rst(server);
    /* Windows: sock.c test_tcp_reset (fact F12): after the reset the socket
     * selects readable; wait for that rather than sleeping. */
    ok(st_wait_readable(client, ST_WAIT_MS), "reset not seen\n");

    /* Windows: sock.c test_tcp_reset (fact S20). */
    WSASetLastError(0xdeadbeef);
    ret = send(client, "data", 5, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAECONNRESET, "got error %u\n", WSAGetLastError());

    closesocket(client);
}

static void test_nonblocking_full(void)
{
    const int chunk = 1024 * 1024;
    LONGLONG sent = 0, received;
    SOCKET client, server;
    int ret = 0, i, err = 0;
    char *buf;

    if (!st_tcp_pair(&client, &server)) return;
    st_set_blocking(client, FALSE);
    st_set_blocking(server, FALSE);
    buf = malloc(chunk);
    memset(buf, 'x', chunk);

    /* Windows: sock.c test_send_buffering (facts S7, S9): a nonblocking
     * socket whose peer does not read takes whole buffers until send fails
     * with WSAEWOULDBLOCK; it never returns a short count. */
    for (i = 0; i < 256; ++i)
    {
        ret = send(client, buf, chunk, 0);
        if (ret > 0) sent += ret;
        if (ret != chunk) break;
    }
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d after %lu bytes\n", ret, (unsigned long)sent);
    ok(err == WSAEWOULDBLOCK, "got error %u\n", err);
    ok(sent > 0, "nothing was accepted\n");

    /* Windows: sock.c test_send_buffering (fact S8): closing at once still
     * delivers every accepted byte, then end of stream. */
    closesocket(client);
    received = st_drain(server, ST_WAIT_MS);
    ok(received == sent, "peer got %lu of %lu bytes\n", (unsigned long)received, (unsigned long)sent);

    closesocket(server);
    free(buf);
}

struct drain_param
{
    SOCKET s;
    LONGLONG total;
    BOOL pattern_ok;
};

static DWORD WINAPI drain_thread(void *arg)
{
    struct drain_param *p = arg;
    static char buf[65536];
    int ret;

    p->pattern_ok = TRUE;
    for (;;)
    {
        if (!st_wait_readable(p->s, ST_WAIT_MS)) break;
        ret = recv(p->s, buf, sizeof(buf), 0);
        if (ret <= 0) break;
        if (!st_check_pattern(buf, ret, 3, (size_t)p->total)) p->pattern_ok = FALSE;
        p->total += ret;
    }
    return 0;
}

static void test_blocking_large(void)
{
    const int len = 1024 * 1024;
    struct drain_param param = {0};
    SOCKET client, server;
    HANDLE thread;
    DWORD wait;
    char *buf;
    int ret;

    if (!st_tcp_pair(&client, &server)) return;
    buf = malloc(len);
    st_fill_pattern(buf, len, 3);

    param.s = server;
    thread = CreateThread(NULL, 0, drain_thread, &param, 0, NULL);

    /* Windows: sock.c test_send (fact S4): a blocking 1 MiB send with the
     * peer draining returns the full count. */
    SetLastError(0xdeadbeef);
    ret = send(client, buf, len, 0);
    ok(ret == len, "got %d, error %u\n", ret, WSAGetLastError());
    ok(GetLastError() == 0, "got error %lu\n", GetLastError());

    shutdown(client, SD_SEND);
    wait = WaitForSingleObject(thread, 2 * ST_WAIT_MS);
    ok(wait == WAIT_OBJECT_0, "drain thread did not finish\n");
    if (wait != WAIT_OBJECT_0)
    {
        closesocket(server);
        WaitForSingleObject(thread, ST_WAIT_MS);
        server = INVALID_SOCKET;
    }
    CloseHandle(thread);
    ok(param.total == len, "peer got %lu bytes\n", (unsigned long)param.total);
    ok(param.pattern_ok, "peer got the bytes out of order\n");

    closesocket(client);
    if (server != INVALID_SOCKET) closesocket(server);
    free(buf);
}

static void test_oob(void)
{
    struct sockaddr_storage addr;
    struct timeval tv = {ST_WAIT_MS / 1000, 0};
    fd_set readfds, exceptfds;
    SOCKET client, server, udp;
    char c = 0, plain[4];
    int ret;

    if (!st_tcp_pair(&client, &server)) return;

    /* Windows: sock.c oob_client / test_select (fact S11). */
    ret = send(client, "x", 1, MSG_OOB);
    ok(ret == 1, "got %d, error %u\n", ret, WSAGetLastError());

    /* Windows: sock.c test_select (fact S12): the peer sees the byte as
     * urgent: in exceptfds, not in readfds. */
    FD_ZERO(&readfds);
    FD_ZERO(&exceptfds);
    FD_SET(server, &readfds);
    FD_SET(server, &exceptfds);
    ret = select(0, &readfds, NULL, &exceptfds, &tv);
    ok(ret == 1, "select returned %d\n", ret);
    ok(FD_ISSET(server, &exceptfds), "not in exceptfds\n");
    ok(!FD_ISSET(server, &readfds), "in readfds\n");

    /* Windows: sock.c test_fionread_siocatmark (fact S13, first read). */
    ret = recv(server, &c, 1, MSG_OOB);
    ok(ret == 1 && c == 'x', "got %d, %#x\n", ret, c);

    /* RFC 6093 section 3.4: the TCP stacks in use take one byte of urgent
     * data, the last one sent with MSG_OOB; the bytes before it are plain
     * data, in order [doc: not yet run on Windows]. */
    ret = send(client, "abc", 3, MSG_OOB);
    ok(ret == 3, "got %d, error %u\n", ret, WSAGetLastError());
    FD_ZERO(&exceptfds);
    FD_SET(server, &exceptfds);
    ret = select(0, NULL, NULL, &exceptfds, &tv);
    ok(ret == 1, "select returned %d [doc]\n", ret);
    c = 0;
    ret = recv(server, &c, 1, MSG_OOB);
    ok(ret == 1 && c == 'c', "got %d, %#x [doc]\n", ret, c);
    memset(plain, 0, sizeof(plain));
    ret = recv(server, plain, sizeof(plain), 0);
    ok(ret == 2 && !memcmp(plain, "ab", 2), "got %d, \"%.4s\" [doc]\n", ret, plain);

    closesocket(client);
    closesocket(server);

    /* MSDN send: "WSAEOPNOTSUPP: MSG_OOB was specified, but the socket is
     * not stream-style such as type SOCK_STREAM". */
    udp = st_udp_bound(AF_INET, &addr);
    ret = connect(udp, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = send(udp, "x", 1, MSG_OOB);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEOPNOTSUPP, "got error %u [doc]\n", WSAGetLastError());
    closesocket(udp);
}

static void test_flags(void)
{
    SOCKET client, server;
    char buf[16];
    int ret, err;

    if (!st_tcp_pair(&client, &server)) return;

    /* MSDN send: MSG_DONTROUTE "Specifies that the data should not be
     * subject to routing. A Windows Sockets service provider can choose to
     * ignore this flag." */
    ret = send(client, "abc", 3, MSG_DONTROUTE);
    ok(ret == 3, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    if (ret == 3)
    {
        ret = st_recv_all(server, buf, 3, ST_WAIT_MS);
        ok(ret == 3 && !memcmp(buf, "abc", 3), "peer got %d bytes [doc]\n", ret);
    }

    /* MSG_PARTIAL on TCP: a user's send(SocketFlags.Partial) "can run on
     * Windows Server perfectly" (dotnet/corefx#35375); MSDN WSASend says
     * transports without partial messages give WSAEOPNOTSUPP, so either
     * outcome is accepted. */
    WSASetLastError(0xdeadbeef);
    ret = send(client, "abc", 3, MSG_PARTIAL);
    err = WSAGetLastError();
    ok(ret == 3 || (ret == SOCKET_ERROR && err == WSAEOPNOTSUPP), "got %d, error %u\n", ret, err);
    if (ret == 3) st_recv_all(server, buf, 3, ST_WAIT_MS);

    /* MSG_WAITALL, a receive flag: Windows refuses it on send with
     * WSAEOPNOTSUPP and sends nothing (observed on Windows, Kode/Kore#801;
     * Wine's builtin ignores it and sends). */
    WSASetLastError(0xdeadbeef);
    ret = send(client, "abc", 3, MSG_WAITALL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEOPNOTSUPP, "got error %u\n", WSAGetLastError());

    /* MSDN send: "WSAEINVAL: ... an unknown flag was specified"; the
     * WSAEOPNOTSUPP entry covers unsupported flags.  A bit Windows does not
     * know at all is unverified; the MSG_WAITALL case shows Windows checks
     * against the send flags it has, so it is refused too. */
    WSASetLastError(0xdeadbeef);
    ret = send(client, "abc", 3, 0x40000000);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(err == WSAEINVAL || err == WSAEOPNOTSUPP, "got error %u [doc]\n", err);

    /* Neither refused call sent anything: the stream goes on with the next
     * send. */
    ret = send(client, "xyz", 3, 0);
    ok(ret == 3, "got %d\n", ret);
    ret = st_recv_all(server, buf, 3, ST_WAIT_MS);
    ok(ret == 3 && !memcmp(buf, "xyz", 3), "peer got %d bytes %s\n", ret, wine_dbgstr_an(buf, max(ret, 0)));

    closesocket(client);
    closesocket(server);
}

static void test_buffers(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in from;
    SOCKET client, server, udp, peer;
    char buf[16];
    int ret, fromlen;

    if (!st_tcp_pair(&client, &server)) return;
    memset(buf, 'B', sizeof(buf));

    /* MSDN send: "WSAEFAULT: The buf parameter is not completely contained in
     * a valid part of the user address space." */
    WSASetLastError(0xdeadbeef);
    ret = send(client, NULL, 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN send: WSAEFAULT, for a pointer into a released page. */
    WSASetLastError(0xdeadbeef);
    ret = send(client, st_bad_pointer(), 4, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN send: WSAEFAULT: a length of -1 (4 GiB - 1 bytes) cannot be
     * contained in the 16-byte buffer.  (The recv analogue, recv with
     * len -1, fails with WSAEFAULT on Windows 7 and later: sock.c.) */
    WSASetLastError(0xdeadbeef);
    ret = send(client, buf, -1, 0);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* A zero length succeeds and returns 0, with or without a buffer
     * (ReactOS' apitest ws2_32/send.c: send(sock, NULL, 0, 0) == 0 with the
     * last error 0 on a connected socket; MSDN send says the same). */
    SetLastError(0xdeadbeef);
    ret = send(client, buf, 0, 0);
    ok(ret == 0, "got %d, error %u\n", ret, WSAGetLastError());
    ret = send(client, NULL, 0, 0);
    ok(ret == 0, "got %d, error %u\n", ret, WSAGetLastError());

    /* A call that fails reports no bytes sent, so none may have reached the
     * peer: the stream goes on with the next successful send.  (Inferred
     * from the error semantics; not pinned by a test on Windows.) */
    ret = send(client, "tail", 4, 0);
    ok(ret == 4, "got %d\n", ret);
    ret = st_recv_all(server, buf, 4, ST_WAIT_MS);
    ok(ret == 4 && !memcmp(buf, "tail", 4), "peer got %d bytes %s [doc]\n", ret, wine_dbgstr_an(buf, ret));

    closesocket(client);
    closesocket(server);

    /* MSDN send: "For message-oriented sockets, a zero-length transport
     * datagram is sent." */
    peer = st_udp_bound(AF_INET, &addr);
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = connect(udp, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());
    ret = send(udp, buf, 0, 0);
    ok(ret == 0, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    fromlen = sizeof(from);
    ret = st_recvfrom(peer, buf, sizeof(buf), (struct sockaddr *)&from, &fromlen, ST_WAIT_MS);
    ok(ret == 0, "peer got %d, error %u [doc]\n", ret, WSAGetLastError());
    closesocket(udp);
    closesocket(peer);
}

static void test_udp_connected(void)
{
    struct sockaddr_storage addr, dead;
    struct sockaddr_in from, local;
    SOCKET udp, peer, gone;
    int ret, len, i, good;
    char buf[16];

    peer = st_udp_bound(AF_INET, &addr);
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = connect(udp, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());

    /* Windows: sock.c test_connect_udp (fact S25). */
    SetLastError(0xdeadbeef);
    ret = send(udp, "data", 4, 0);
    ok(ret == 4, "got %d, error %u\n", ret, WSAGetLastError());

    len = sizeof(from);
    memset(buf, 0, sizeof(buf));
    ret = st_recvfrom(peer, buf, sizeof(buf), (struct sockaddr *)&from, &len, ST_WAIT_MS);
    ok(ret == 4 && !memcmp(buf, "data", 4), "peer got %d, error %u\n", ret, WSAGetLastError());
    len = sizeof(local);
    getsockname(udp, (struct sockaddr *)&local, &len);
    ok(from.sin_port == local.sin_port, "datagram came from port %u, socket has %u\n",
       ntohs(from.sin_port), ntohs(local.sin_port));
    closesocket(udp);
    closesocket(peer);

    /* Windows: sock.c test_UDP: sends on a UDP socket connected to a port
     * nobody listens on keep succeeding although ICMP port unreachable comes
     * back (10 sends).  The port is one that was just released. */
    gone = st_udp_bound(AF_INET, &dead);
    closesocket(gone);
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = connect(udp, (struct sockaddr *)&dead, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());
    for (i = good = 0; i < 10; ++i)
    {
        ret = send(udp, buf, sizeof(buf), 0);
        if (ret == sizeof(buf)) ++good;
        else trace("send %d: got %d, error %u\n", i, ret, WSAGetLastError());
        Sleep(10);
    }
    ok(good == 10, "only %d of 10 sends succeeded\n", good);
    closesocket(udp);
}

START_TEST(send)
{
    st_startup();
    test_tcp_basic();
    test_bad_socket();
    test_shutdown();
    test_not_connected();
    test_connection_reset();
    test_nonblocking_full();
    test_blocking_large();
    test_oob();
    test_flags();
    test_buffers();
    test_udp_connected();
    st_cleanup();
}
