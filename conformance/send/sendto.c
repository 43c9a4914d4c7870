/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sendto(): datagrams to an explicit address, implicit bind, address
 * validation, message size, and sendto on connected sockets.
 *
 * Sources: facts as numbered in shared/reference/windows-send-facts.md (from
 * Wine's dlls/ws2_32/tests/sock.c, run on Windows by Wine's testbot);
 * "MSDN sendto" is sdk-api-src/content/winsock/nf-winsock-sendto.md.  Checks
 * known only from the documentation end their message with "[doc]".
 */

#include "sendtest.h"

static void test_implicit_bind(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local, from;
    SOCKET s, peer;
    char buf[16];
    int ret, len;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* Windows: sock.c test_WSASendTo: a new UDP socket is not bound. */
    len = sizeof(local);
    WSASetLastError(0xdeadbeef);
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_getpeername (fact T2): sendto on an unbound UDP
     * socket succeeds. */
    SetLastError(0xdeadbeef);
    ret = sendto(s, "hello", 5, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == 5, "got %d, error %u\n", ret, WSAGetLastError());
    /* The success clears the last error (ReactOS' apitest ws2_32/send.c
     * test_sendto; also send, sock.c test_WSARecv, and WSASendTo, fact X3). */
    ok(GetLastError() == 0, "got error %lu\n", GetLastError());

    /* MSDN sendto: "If the socket is unbound, unique values are assigned to
     * the local association by the system, and the socket is then marked as
     * bound", with the wildcard address when not connected (the same shape
     * as WSASendMsg, fact M6, and WSASendTo, fact X3). */
    len = sizeof(local);
    memset(&local, 0xcc, sizeof(local));
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(!ret, "getsockname failed: %u\n", WSAGetLastError());
    ok(local.sin_family == AF_INET, "got family %u\n", local.sin_family);
    ok(local.sin_port != 0, "got port 0 [doc]\n");
    ok(local.sin_addr.s_addr == htonl(INADDR_ANY), "got address %#lx [doc]\n", (unsigned long)ntohl(local.sin_addr.s_addr));

    /* Windows: sock.c test_getpeername (fact T2): sendto does not connect. */
    len = sizeof(from);
    WSASetLastError(0xdeadbeef);
    ret = getpeername(s, (struct sockaddr *)&from, &len);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTCONN, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_UDP: the receiver sees the datagram from the
     * sender's port. */
    len = sizeof(from);
    ret = st_recvfrom(peer, buf, sizeof(buf), (struct sockaddr *)&from, &len, ST_WAIT_MS);
    ok(ret == 5 && !memcmp(buf, "hello", 5), "peer got %d, error %u\n", ret, WSAGetLastError());
    ok(from.sin_port == local.sin_port, "from port %u, sender port %u\n", ntohs(from.sin_port), ntohs(local.sin_port));
    ok(from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "from address %#lx\n", (unsigned long)ntohl(from.sin_addr.s_addr));

    closesocket(s);
    closesocket(peer);
}

static void test_bad_args(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in6 addr6;
    SOCKET s, peer;
    int ret, err;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    /* Every call below must fail at once; nonblocking, so that an
     * implementation that waits instead fails the check and does not hang. */
    st_set_blocking(s, FALSE);

    /* A value that is no socket: WSAENOTSOCK (ReactOS' apitest
     * ws2_32/send.c test_sendto). */
    WSASetLastError(0xdeadbeef);
    ret = sendto(INVALID_SOCKET, "data", 4, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u\n", WSAGetLastError());

    /* MSDN sendto: "WSAEFAULT: ... the tolen parameter is too small." */
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "data", 4, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in) - 1);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN sendto: "WSAEFAULT: The buf or to parameters are not part of the
     * user address space". */
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "data", 4, 0, st_bad_pointer(), sizeof(struct sockaddr_in));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    WSASetLastError(0xdeadbeef);
    ret = sendto(s, NULL, 4, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN sendto: "WSAEDESTADDRREQ: A destination address is required." and
     * "WSAENOTCONN"; an unconnected datagram socket given no address fails
     * with one of them (send() in the same state gives WSAENOTCONN: sock.c
     * test_connect_udp). */
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "data", 4, 0, NULL, 0);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSAENOTCONN || err == WSAEDESTADDRREQ, "got error %u [doc]\n", err);

    /* The same with a NULL address but a nonzero length: WSAEFAULT by MSDN's
     * wording for to, or the no-address errors above.  Unverified. */
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "data", 4, 0, NULL, sizeof(struct sockaddr_in));
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSAEFAULT || err == WSAENOTCONN || err == WSAEDESTADDRREQ, "got error %u [doc]\n", err);

    /* MSDN sendto: "WSAEAFNOSUPPORT: Addresses in the specified family
     * cannot be used with this socket." (an IPv6 address to an IPv4
     * socket). */
    memset(&addr6, 0, sizeof(addr6));
    addr6.sin6_family = AF_INET6;
    addr6.sin6_addr = in6addr_loopback;
    addr6.sin6_port = ((struct sockaddr_in *)&addr)->sin_port;
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "data", 4, 0, (struct sockaddr *)&addr6, sizeof(addr6));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEAFNOSUPPORT, "got error %u [doc]\n", WSAGetLastError());

    closesocket(s);
    closesocket(peer);
}

static void test_connected_udp(void)
{
    struct sockaddr_storage addr1, addr2;
    SOCKET s, peer1, peer2;
    char buf[16];
    int ret;

    peer1 = st_udp_bound(AF_INET, &addr1);
    peer2 = st_udp_bound(AF_INET, &addr2);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = connect(s, (struct sockaddr *)&addr1, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());

    /* MSDN sendto: "Even if the connectionless socket has been previously
     * connected to a specific address, the to parameter overrides the
     * destination address for that particular datagram only." */
    ret = sendto(s, "one", 3, 0, (struct sockaddr *)&addr2, sizeof(struct sockaddr_in));
    ok(ret == 3, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ret = st_recvfrom(peer2, buf, sizeof(buf), NULL, NULL, ST_WAIT_MS);
    ok(ret == 3 && !memcmp(buf, "one", 3), "second peer got %d, error %u [doc]\n", ret, WSAGetLastError());

    /* MSDN sendto: to is "An optional pointer"; without it the datagram goes
     * to the connected peer, and the override above did not change it. */
    ret = sendto(s, "two", 3, 0, NULL, 0);
    ok(ret == 3, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ret = send(s, "three", 5, 0);
    ok(ret == 5, "got %d, error %u\n", ret, WSAGetLastError());
    ret = st_recvfrom(peer1, buf, sizeof(buf), NULL, NULL, ST_WAIT_MS);
    ok(ret == 3 && !memcmp(buf, "two", 3), "connected peer got %d, error %u [doc]\n", ret, WSAGetLastError());
    ret = st_recvfrom(peer1, buf, sizeof(buf), NULL, NULL, ST_WAIT_MS);
    ok(ret == 5 && !memcmp(buf, "three", 5), "connected peer got %d, error %u [doc]\n", ret, WSAGetLastError());

    closesocket(s);
    closesocket(peer1);
    closesocket(peer2);
}

static void test_ipv6(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in6 local, from;
    SOCKET s, peer;
    char buf[16];
    int ret, len;

    peer = st_udp_bound(AF_INET6, &addr);
    if (peer == INVALID_SOCKET)
    {
        skip("IPv6 loopback is not available\n");
        return;
    }
    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);

    /* Windows: sock.c test_UDP sends from an unbound AF_INET6 socket to ::1. */
    ret = sendto(s, "six", 3, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in6));
    ok(ret == 3, "got %d, error %u\n", ret, WSAGetLastError());

    len = sizeof(from);
    ret = st_recvfrom(peer, buf, sizeof(buf), (struct sockaddr *)&from, &len, ST_WAIT_MS);
    ok(ret == 3 && !memcmp(buf, "six", 3), "peer got %d, error %u\n", ret, WSAGetLastError());
    ok(ret == 3 && IN6_IS_ADDR_LOOPBACK(&from.sin6_addr), "datagram not from ::1\n");

    /* MSDN sendto: the implicit bind uses the wildcard address ("::" for
     * IPv6) and a port chosen by the system. */
    len = sizeof(local);
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(!ret, "getsockname failed: %u\n", WSAGetLastError());
    ok(local.sin6_family == AF_INET6, "got family %u\n", local.sin6_family);
    ok(local.sin6_port != 0 && local.sin6_port == from.sin6_port, "local port %u, seen as %u\n",
       ntohs(local.sin6_port), ntohs(from.sin6_port));
    ok(IN6_IS_ADDR_UNSPECIFIED(&local.sin6_addr), "not bound to :: [doc]\n");

    closesocket(s);
    closesocket(peer);
}

static void test_port_zero(void)
{
    struct sockaddr_in6 addr6;
    struct sockaddr_in addr;
    char buf[16] = {0};
    SOCKET s;
    int ret;

    /* Windows: sock.c test_UDP: a datagram to port 0 is accepted. */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    addr = st_loopback4("127.0.0.1", 0);
    ret = sendto(s, buf, sizeof(buf), 0, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == sizeof(buf), "got %d, error %u\n", ret, WSAGetLastError());
    closesocket(s);

    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET)
    {
        skip("no IPv6\n");
        return;
    }
    memset(&addr6, 0, sizeof(addr6));
    addr6.sin6_family = AF_INET6;
    addr6.sin6_addr = in6addr_loopback;
    ret = sendto(s, buf, sizeof(buf), 0, (struct sockaddr *)&addr6, sizeof(addr6));
    ok(ret == sizeof(buf), "got %d, error %u\n", ret, WSAGetLastError());
    closesocket(s);
}

static void test_message_size(void)
{
    struct sockaddr_storage addr, local;
    SOCKET s, peer;
    int ret, len, size = 1 << 18;
    DWORD max_size = 0;
    char *buf;

    peer = st_udp_bound(AF_INET, &addr);
    setsockopt(peer, SOL_SOCKET, SO_RCVBUF, (char *)&size, sizeof(size));
    s = st_udp_bound(AF_INET, &local);
    buf = malloc(70000);
    st_fill_pattern(buf, 70000, 5);

    /* Windows: sock.c test_extendedSocketOptions (fact O5). */
    len = sizeof(max_size);
    ret = getsockopt(s, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max_size, &len);
    ok(!ret, "getsockopt failed: %u\n", WSAGetLastError());
    ok(max_size == 65507 || max_size == 65527, "got SO_MAX_MSG_SIZE %lu\n", max_size);

    /* A datagram larger than SO_MAX_MSG_SIZE fails at the call with
     * WSAEMSGSIZE: seen on Windows in googleprojectzero/winafl#375 (sendto()
     * of more than 65507 bytes: 10040); MSDN sendto adds that "no data is
     * transmitted". */
    if (max_size >= 65507 && max_size < 65536)
    {
        WSASetLastError(0xdeadbeef);
        ret = sendto(s, buf, max_size + 1, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
        ok(ret == SOCKET_ERROR, "got %d\n", ret);
        ok(WSAGetLastError() == WSAEMSGSIZE, "got error %u\n", WSAGetLastError());
    }
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, buf, 65536, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEMSGSIZE, "got error %u\n", WSAGetLastError());

    /* MSDN sendto: a datagram within SO_MAX_MSG_SIZE goes out whole; the
     * failed sends above put nothing on the wire, so it is the first one the
     * peer sees. */
    ret = sendto(s, buf, 65507, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == 65507, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    memset(buf, 0, 70000);
    ret = st_recvfrom(peer, buf, 70000, NULL, NULL, ST_WAIT_MS);
    ok(ret == 65507, "peer got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(ret > 0 && st_check_pattern(buf, ret, 5, 0), "datagram content differs [doc]\n");

    free(buf);
    closesocket(s);
    closesocket(peer);
}

static void test_shutdown(void)
{
    struct sockaddr_storage addr;
    SOCKET s, peer;
    int ret;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* Windows: sock.c test_shutdown: a UDP socket that shut down receiving
     * still gets datagrams sent to it accepted by the sender. */
    ret = shutdown(peer, SD_RECEIVE);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    ret = sendto(s, "test", 5, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == 5, "got %d, error %u\n", ret, WSAGetLastError());

    /* Windows: sock.c test_shutdown (fact T8): SD_SEND on an unconnected UDP
     * socket succeeds (twice), then sendto fails with WSAESHUTDOWN. */
    ret = shutdown(s, SD_SEND);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    ret = shutdown(s, SD_SEND);
    ok(!ret, "second shutdown failed: %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "test", 5, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u\n", WSAGetLastError());

    closesocket(s);
    closesocket(peer);
}

static void test_broadcast(void)
{
    struct sockaddr_in bcast = st_loopback4("255.255.255.255", 9);
    SOCKET s;
    int ret, val;

    if (winetest_platform_is_wine)
    {
        skip("needs a non-loopback address; Windows CI only\n");
        return;
    }

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* Windows: sock.c test_broadcast (fact T5): without SO_BROADCAST a
     * datagram to 255.255.255.255 fails; MSDN sendto names the error:
     * "WSAEACCES: The requested address is a broadcast address, but the
     * appropriate flag was not set." (open question 19). */
    WSASetLastError(0xdeadbeef);
    ret = sendto(s, "test", 4, 0, (struct sockaddr *)&bcast, sizeof(bcast));
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEACCES, "got error %u [doc]\n", WSAGetLastError());

    /* Windows: sock.c test_broadcast (fact T5): with SO_BROADCAST it goes. */
    val = 1;
    ret = setsockopt(s, SOL_SOCKET, SO_BROADCAST, (char *)&val, sizeof(val));
    ok(!ret, "setsockopt failed: %u\n", WSAGetLastError());
    ret = sendto(s, "test", 4, 0, (struct sockaddr *)&bcast, sizeof(bcast));
    ok(ret == 4, "got %d, error %u\n", ret, WSAGetLastError());

    closesocket(s);
}

static void test_tcp(void)
{
    struct sockaddr_in bad, bad_copy;
    SOCKET client, server;
    char buf[32];
    int ret;

    if (!st_tcp_pair(&client, &server)) return;

    /* Windows: sock.c test_tcp_sendto_recvfrom: on a connected TCP socket
     * the address is ignored (even a garbage one) and left unmodified. */
    memset(&bad, 0xfe, sizeof(bad));
    memcpy(&bad_copy, &bad, sizeof(bad));
    ret = sendto(server, "tcp sendto", 11, 0, (struct sockaddr *)&bad, sizeof(bad));
    ok(ret == 11, "got %d, error %u\n", ret, WSAGetLastError());
    ok(!memcmp(&bad, &bad_copy, sizeof(bad)), "address was modified\n");
    if (ret == 11)
    {
        ret = st_recv_all(client, buf, 11, ST_WAIT_MS);
        ok(ret == 11 && !strcmp(buf, "tcp sendto"), "peer got %d bytes\n", ret);
    }

    /* MSDN sendto: "On a connection-oriented socket, the to and tolen
     * parameters are ignored, making sendto equivalent to send." */
    ret = sendto(server, "null", 5, 0, NULL, 0);
    ok(ret == 5, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ret = st_recv_all(client, buf, 5, ST_WAIT_MS);
    ok(ret == 5 && !strcmp(buf, "null"), "peer got %d bytes [doc]\n", ret);

    closesocket(client);
    closesocket(server);
}

START_TEST(sendto)
{
    st_startup();
    test_implicit_bind();
    test_bad_args();
    test_connected_udp();
    test_ipv6();
    test_port_zero();
    test_message_size();
    test_shutdown();
    test_broadcast();
    test_tcp();
    st_cleanup();
}
