/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WSASendTo(): the byte-count rule, implicit bind, address validation,
 * gather into one datagram, and overlapped completion.
 *
 * Sources: facts as numbered in shared/reference/windows-send-facts.md (from
 * Wine's dlls/ws2_32/tests/sock.c, run on Windows by Wine's testbot);
 * "MSDN WSASendTo" is sdk-api-src/content/winsock2/nf-winsock2-wsasendto.md.
 * Checks known only from the documentation (or by analogy with a sibling
 * function) end their message with "[doc]".
 */

#include "sendtest.h"

static void test_basic(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local, from;
    SOCKET s, peer;
    char data[12] = "hello world", out[32];
    DWORD bytes;
    WSABUF buf;
    int ret, len;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    buf.buf = data;
    buf.len = sizeof(data);

    /* Windows: sock.c test_WSASendTo. */
    WSASetLastError(12345);
    ret = WSASendTo(INVALID_SOCKET, &buf, 1, NULL, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u\n", WSAGetLastError());

    len = sizeof(local);
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_WSASendTo (fact X2). */
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, NULL, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_WSASendTo (fact X3). */
    bytes = 0xdeadbeef;
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(!ret, "got %d\n", ret);
    ok(!WSAGetLastError(), "got error %u\n", WSAGetLastError());
    /* MSDN WSASendTo: lpNumberOfBytesSent receives the number of bytes sent
     * when the call completes at once. */
    ok(bytes == sizeof(data), "got %lu bytes [doc]\n", bytes);

    len = sizeof(local);
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(!ret, "getsockname failed: %u\n", WSAGetLastError());
    ok(local.sin_family == AF_INET, "got family %u\n", local.sin_family);
    ok(local.sin_port != 0, "got port 0\n");

    len = sizeof(from);
    ret = st_recvfrom(peer, out, sizeof(out), (struct sockaddr *)&from, &len, ST_WAIT_MS);
    ok(ret == sizeof(data) && !memcmp(out, data, sizeof(data)), "peer got %d, error %u\n", ret, WSAGetLastError());
    ok(from.sin_port == local.sin_port, "from port %u, sender port %u\n", ntohs(from.sin_port), ntohs(local.sin_port));

    closesocket(s);
    closesocket(peer);
}

static void test_address_checks(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in6 addr6;
    SOCKET s, peer;
    DWORD bytes;
    WSABUF buf;
    int ret, err;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    /* Every call below must fail at once; nonblocking, so that an
     * implementation that waits instead fails the check and does not hang. */
    st_set_blocking(s, FALSE);
    buf.buf = (char *)"data";
    buf.len = 4;

    /* MSDN WSASendTo: "WSAEFAULT: ... or the lpTo parameter is too small." */
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in) - 1, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN WSASendTo: "WSAEFAULT: The lpBuffers, lpTo, ... parameters are not
     * part of the user address space". */
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, &bytes, 0, st_bad_pointer(), sizeof(struct sockaddr_in), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    WSASetLastError(12345);
    ret = WSASendTo(s, NULL, 1, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN WSASendTo: "WSAEAFNOSUPPORT: Addresses in the specified family
     * cannot be used with this socket." */
    memset(&addr6, 0, sizeof(addr6));
    addr6.sin6_family = AF_INET6;
    addr6.sin6_addr = in6addr_loopback;
    addr6.sin6_port = ((struct sockaddr_in *)&addr)->sin_port;
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr6, sizeof(addr6), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEAFNOSUPPORT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN WSASendTo: lpTo is optional; with none an unconnected datagram
     * socket has no destination: "WSAEDESTADDRREQ: A destination address is
     * required." or WSAENOTCONN (what send() gives: sock.c
     * test_connect_udp).  Unverified which. */
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, &bytes, 0, NULL, 0, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSAENOTCONN || err == WSAEDESTADDRREQ, "got error %u [doc]\n", err);

    closesocket(s);
    closesocket(peer);
}

static void test_connected(void)
{
    struct sockaddr_storage addr1, addr2;
    SOCKET s, peer1, peer2;
    char out[16];
    DWORD bytes;
    WSABUF buf;
    int ret;

    peer1 = st_udp_bound(AF_INET, &addr1);
    peer2 = st_udp_bound(AF_INET, &addr2);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = connect(s, (struct sockaddr *)&addr1, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());

    /* MSDN WSASendTo: "Even if the connectionless socket has been previously
     * connected using the connect function to a specific address, lpTo
     * overrides the destination address for that particular datagram only." */
    buf.buf = (char *)"over";
    buf.len = 4;
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr2, sizeof(struct sockaddr_in), NULL, NULL);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ret = st_recvfrom(peer2, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 4 && !memcmp(out, "over", 4), "second peer got %d [doc]\n", ret);

    buf.buf = (char *)"home";
    ret = WSASendTo(s, &buf, 1, &bytes, 0, NULL, 0, NULL, NULL);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ret = st_recvfrom(peer1, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 4 && !memcmp(out, "home", 4), "connected peer got %d [doc]\n", ret);

    closesocket(s);
    closesocket(peer1);
    closesocket(peer2);
}

static void test_gather_and_size(void)
{
    struct sockaddr_storage addr;
    SOCKET s, peer;
    WSABUF bufs[3];
    DWORD bytes;
    char *big, out[64];
    int ret, size = 1 << 18;

    peer = st_udp_bound(AF_INET, &addr);
    setsockopt(peer, SOL_SOCKET, SO_RCVBUF, (char *)&size, sizeof(size));
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    big = malloc(40000);
    memset(big, 'b', 40000);

    /* MSDN WSASendTo: "WSAEMSGSIZE: The socket is message oriented, and the
     * message is larger than the maximum supported by the underlying
     * transport" (two 40000-byte buffers make one 80000-byte datagram), "and
     * no data is transmitted". */
    bufs[0].buf = big;  bufs[0].len = 40000;
    bufs[1].buf = big;  bufs[1].len = 40000;
    WSASetLastError(12345);
    ret = WSASendTo(s, bufs, 2, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEMSGSIZE, "got error %u [doc]\n", WSAGetLastError());

    /* One datagram from several buffers (as WSASendMsg does: fact M7). */
    bufs[0].buf = (char *)"one ";  bufs[0].len = 4;
    bufs[1].buf = (char *)"two ";  bufs[1].len = 4;
    bufs[2].buf = (char *)"three"; bufs[2].len = 5;
    bytes = 0xdeadbeef;
    ret = WSASendTo(s, bufs, 3, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == 13, "got %lu bytes\n", bytes);
    memset(out, 0, sizeof(out));
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 13 && !memcmp(out, "one two three", 13), "peer got %d, %s [doc]\n", ret, wine_dbgstr_an(out, max(ret, 0)));

    free(big);
    closesocket(s);
    closesocket(peer);
}

static void test_overlapped(void)
{
    struct sockaddr_storage addr;
    WSAOVERLAPPED ov, *pov;
    SOCKET s, peer;
    ULONG_PTR key;
    HANDLE port;
    DWORD bytes, flags, wait;
    char out[16];
    WSABUF buf;
    BOOL bret;
    int ret, err;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    buf.buf = (char *)"overlap";
    buf.len = 7;

    /* MSDN WSASendTo: an overlapped send completes through the event and
     * WSAGetOverlappedResult. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    ret = WSASendTo(s, &buf, 1, NULL, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), &ov, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSA_IO_PENDING), "got %d, error %u\n", ret, err);
    ok(WaitForSingleObject(ov.hEvent, ST_WAIT_MS) == WAIT_OBJECT_0, "event not signalled [doc]\n");
    bytes = 0xdeadbeef;
    flags = 0;
    bret = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
    ok(bret, "WSAGetOverlappedResult failed: %u [doc]\n", WSAGetLastError());
    ok(bytes == 7, "got %lu bytes [doc]\n", bytes);
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 7, "peer got %d\n", ret);
    CloseHandle(ov.hEvent);

    /* MSDN WSASendTo: an immediate success "returns zero. In this case, the
     * completion routine will have already been scheduled"; cbTransferred is
     * the byte count. */
    memset(&ov, 0, sizeof(ov));
    st_apc_reset();
    bytes = 0xdeadbeef;
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), &ov, st_completion_routine);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    wait = SleepEx(ST_WAIT_MS, TRUE);
    ok(wait == WAIT_IO_COMPLETION, "SleepEx returned %lu [doc]\n", wait);
    ok(st_apc.count == 1, "routine ran %u times [doc]\n", st_apc.count);
    ok(st_apc.error == 0 && st_apc.transferred == 7 && st_apc.overlapped == &ov,
       "got error %lu, %lu bytes, overlapped %p [doc]\n", st_apc.error, st_apc.transferred, st_apc.overlapped);
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 7, "peer got %d\n", ret);

    /* MSDN SetFileCompletionNotificationModes: an immediate success queues a
     * completion entry "ordinarily" (see wsasend.c). */
    port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
    memset(&ov, 0, sizeof(ov));
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), &ov, NULL);
    ok(!ret || WSAGetLastError() == WSA_IO_PENDING, "got %d, error %u\n", ret, WSAGetLastError());
    key = 0;
    pov = NULL;
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, ST_WAIT_MS);
    ok(bret && bytes == 7 && key == 77 && pov == &ov, "got %d, %lu bytes, key %lu, overlapped %p [doc]\n",
       bret, bytes, (unsigned long)key, pov);
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 7, "peer got %d\n", ret);

    closesocket(s);
    CloseHandle(port);
    closesocket(peer);
}

static void test_shutdown_and_tcp(void)
{
    struct sockaddr_storage addr;
    struct sockaddr_in garbage;
    SOCKET s, peer, client, server;
    char out[16];
    DWORD bytes;
    WSABUF buf;
    int ret;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    buf.buf = (char *)"data";
    buf.len = 4;

    /* MSDN WSASendTo: WSAESHUTDOWN after shutdown(SD_SEND) (sendto fails so:
     * fact T8). */
    ret = shutdown(s, SD_SEND);
    ok(!ret, "shutdown failed: %u\n", WSAGetLastError());
    WSASetLastError(12345);
    ret = WSASendTo(s, &buf, 1, &bytes, 0, (struct sockaddr *)&addr, sizeof(struct sockaddr_in), NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u [doc]\n", WSAGetLastError());
    closesocket(s);
    closesocket(peer);

    /* MSDN WSASendTo: "On a connection-oriented socket, the lpTo and iToLen
     * parameters are ignored" (sendto ignores even a garbage address: sock.c
     * test_tcp_sendto_recvfrom). */
    if (!st_tcp_pair(&client, &server)) return;
    memset(&garbage, 0xfe, sizeof(garbage));
    bytes = 0xdeadbeef;
    ret = WSASendTo(client, &buf, 1, &bytes, 0, (struct sockaddr *)&garbage, sizeof(garbage), NULL, NULL);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(bytes == 4, "got %lu bytes [doc]\n", bytes);
    if (!ret)
    {
        ret = st_recv_all(server, out, 4, ST_WAIT_MS);
        ok(ret == 4 && !memcmp(out, "data", 4), "peer got %d bytes [doc]\n", ret);
    }
    closesocket(client);
    closesocket(server);
}

START_TEST(wsasendto)
{
    st_startup();
    test_basic();
    test_address_checks();
    test_connected();
    test_gather_and_size();
    test_overlapped();
    test_shutdown_and_tcp();
    st_cleanup();
}
