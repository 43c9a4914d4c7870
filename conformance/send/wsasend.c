/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WSASend(): argument checks, gather, and the four ways an overlapped send
 * reports completion (event, completion routine, completion port, nothing
 * when FILE_SKIP_COMPLETION_PORT_ON_SUCCESS or the low bit of hEvent says
 * so).
 *
 * Sources: facts as numbered in shared/reference/windows-send-facts.md (from
 * Wine's dlls/ws2_32/tests/sock.c, run on Windows by Wine's testbot);
 * "MSDN WSASend" is sdk-api-src/content/winsock2/nf-winsock2-wsasend.md.
 * Checks known only from the documentation (or by analogy with a sibling
 * function) end their message with "[doc]".
 */

#include "sendtest.h"

static void test_invalid_args(void)
{
    SOCKET client, server;
    WSAOVERLAPPED ov;
    DWORD bytes;
    WSABUF buf, bad;
    int ret, err;

    memset(&ov, 0, sizeof(ov));
    buf.buf = (char *)"data";
    buf.len = 4;

    /* Windows: sock.c test_send (fact W1). */
    WSASetLastError(12345);
    ret = WSASend(INVALID_SOCKET, &buf, 1, NULL, 0, &ov, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u\n", WSAGetLastError());

    if (!st_tcp_pair(&client, &server)) return;

    /* MSDN WSASend: lpNumberOfBytesSent "can be NULL only if the lpOverlapped
     * parameter is not NULL"; WSAEFAULT (WSASendTo and WSASendMsg fail so:
     * facts X2, M4). */
    WSASetLastError(12345);
    ret = WSASend(client, &buf, 1, NULL, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN WSASend: "WSAEFAULT: The lpBuffers ... parameter is not totally
     * contained in a valid part of the user address space." */
    WSASetLastError(12345);
    ret = WSASend(client, NULL, 1, &bytes, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    WSASetLastError(12345);
    ret = WSASend(client, st_bad_pointer(), 1, &bytes, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    bad.buf = NULL;
    bad.len = 4;
    WSASetLastError(12345);
    ret = WSASend(client, &bad, 1, &bytes, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* Not pinned on Windows (open question 1).  The receive analogue,
     * WSARecv with no buffers, fails with WSAEINVAL (sock.c test_empty_recv);
     * sending nothing successfully would be the other plausible outcome. */
    bytes = 0xdeadbeef;
    WSASetLastError(12345);
    ret = WSASend(client, &buf, 0, &bytes, 0, NULL, NULL);
    err = WSAGetLastError();
    ok((ret == SOCKET_ERROR && err == WSAEINVAL) || (!ret && !bytes),
       "got %d, error %u, bytes %lu [doc]\n", ret, err, bytes);

    bytes = 0xdeadbeef;
    WSASetLastError(12345);
    ret = WSASend(client, NULL, 0, &bytes, 0, NULL, NULL);
    err = WSAGetLastError();
    ok((ret == SOCKET_ERROR && err == WSAEINVAL) || (!ret && !bytes),
       "got %d, error %u, bytes %lu [doc]\n", ret, err, bytes);

    /* MSDN WSASend: WSAESHUTDOWN after shutdown(SD_SEND), also for an
     * overlapped call, which then fails at once: "Any other error code
     * indicates that the overlapped operation was not successfully initiated
     * and no completion indication will occur."  (send fails so: fact S15.) */
    shutdown(client, SD_SEND);
    WSASetLastError(12345);
    ret = WSASend(client, &buf, 1, &bytes, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u [doc]\n", WSAGetLastError());
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSASetLastError(12345);
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAESHUTDOWN, "got error %u [doc]\n", WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "event was signalled [doc]\n");
    CloseHandle(ov.hEvent);

    closesocket(client);
    closesocket(server);
}

static void test_gather(void)
{
    struct sockaddr_storage addr;
    SOCKET client, server, udp, peer;
    char empty[1], out[32];
    DWORD bytes;
    WSABUF bufs[4];
    int ret;

    if (!st_tcp_pair(&client, &server)) return;

    bufs[0].buf = (char *)"gat";   bufs[0].len = 3;
    bufs[1].buf = empty;           bufs[1].len = 0;
    bufs[2].buf = (char *)"her";   bufs[2].len = 3;
    bufs[3].buf = (char *)"ed!";   bufs[3].len = 3;

    /* Gather: the buffers go out in order and the count is their sum (Go's
     * TestBuffers_WriteTo, one WSASend of many buffers on TCP, passes on
     * Windows); a zero-length one contributes nothing.  The success also
     * clears the last error (as for WSASendTo: fact X3; unverified here). */
    bytes = 0xdeadbeef;
    WSASetLastError(12345);
    ret = WSASend(client, bufs, 4, &bytes, 0, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(!WSAGetLastError(), "got error %u [doc]\n", WSAGetLastError());
    ok(bytes == 9, "got %lu bytes\n", bytes);
    memset(out, 0, sizeof(out));
    ret = st_recv_all(server, out, 9, ST_WAIT_MS);
    ok(ret == 9 && !memcmp(out, "gathered!", 9), "peer got %d bytes %s\n", ret, wine_dbgstr_an(out, ret));

    closesocket(client);
    closesocket(server);

    /* On a connected datagram socket the buffers make one datagram (as for
     * WSASendMsg: fact M7). */
    peer = st_udp_bound(AF_INET, &addr);
    udp = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ret = connect(udp, (struct sockaddr *)&addr, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());
    bytes = 0xdeadbeef;
    ret = WSASend(udp, bufs, 4, &bytes, 0, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == 9, "got %lu bytes\n", bytes);
    memset(out, 0, sizeof(out));
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 9 && !memcmp(out, "gathered!", 9), "peer got %d, %s [doc]\n", ret, wine_dbgstr_an(out, max(ret, 0)));

    /* MSDN WSASend: "WSAEOPNOTSUPP: MSG_OOB was specified, but the socket is
     * not stream-style". */
    WSASetLastError(12345);
    ret = WSASend(udp, bufs, 1, &bytes, MSG_OOB, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEOPNOTSUPP, "got error %u [doc]\n", WSAGetLastError());

    closesocket(udp);
    closesocket(peer);
}

static void test_overlapped_event(void)
{
    SOCKET client, server;
    WSAOVERLAPPED ov;
    DWORD bytes, flags;
    char data[1024], out[1024];
    WSABUF buf;
    BOOL bret;
    int ret, err;

    if (!st_tcp_pair(&client, &server)) return;
    st_fill_pattern(data, sizeof(data), 1);
    buf.buf = data;
    buf.len = sizeof(data);

    /* Windows: sock.c test_completion_port (fact W5): an overlapped send that
     * can complete at once, hEvent NULL, socket not on a port: returns 0 and
     * writes the byte count. */
    memset(&ov, 0, sizeof(ov));
    bytes = 0xdeadbeef;
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(data), "got %lu bytes\n", bytes);
    ret = st_recv_all(server, out, sizeof(out), ST_WAIT_MS);
    ok(ret == sizeof(out) && st_check_pattern(out, ret, 1, 0), "peer got %d bytes\n", ret);

    /* MSDN WSASend: with an event "A completion indication will occur, ...
     * setting of an event object, when the buffer(s) have been consumed by
     * the transport"; MSDN WSAGetOverlappedResult then reports the count. */
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    bytes = 0xdeadbeef;
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSA_IO_PENDING), "got %d, error %u\n", ret, err);
    if (!ret) ok(bytes == sizeof(data), "got %lu bytes\n", bytes);
    ok(WaitForSingleObject(ov.hEvent, ST_WAIT_MS) == WAIT_OBJECT_0, "event not signalled [doc]\n");
    bytes = 0xdeadbeef;
    flags = 0;
    bret = WSAGetOverlappedResult(client, &ov, &bytes, FALSE, &flags);
    ok(bret, "WSAGetOverlappedResult failed: %u\n", WSAGetLastError());
    ok(bytes == sizeof(data), "got %lu bytes\n", bytes);
    ret = st_recv_all(server, out, sizeof(out), ST_WAIT_MS);
    ok(ret == sizeof(out) && st_check_pattern(out, ret, 1, 0), "peer got %d bytes\n", ret);

    /* Windows: sock.c test_send (fact W4): no byte count with an overlapped
     * is accepted; the count comes from the overlapped result. */
    ResetEvent(ov.hEvent);
    WSASetLastError(12345);
    ret = WSASend(client, &buf, 1, NULL, 0, &ov, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSA_IO_PENDING), "got %d, error %u\n", ret, err);
    ok(WaitForSingleObject(ov.hEvent, ST_WAIT_MS) == WAIT_OBJECT_0, "event not signalled [doc]\n");
    bytes = 0xdeadbeef;
    bret = GetOverlappedResult((HANDLE)client, &ov, &bytes, FALSE);
    ok(bret, "GetOverlappedResult failed: %lu\n", GetLastError());
    ok(bytes == sizeof(data), "got %lu bytes\n", bytes);
    ret = st_recv_all(server, out, sizeof(out), ST_WAIT_MS);
    ok(ret == sizeof(out), "peer got %d bytes\n", ret);

    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

static void test_completion_routine(void)
{
    SOCKET client, server;
    WSAOVERLAPPED ov;
    char out[16];
    DWORD bytes, wait;
    WSABUF buf;
    int ret;

    if (!st_tcp_pair(&client, &server)) return;
    buf.buf = (char *)"routine";
    buf.len = 7;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    st_apc_reset();

    /* MSDN WSASend: "If no error occurs and the send operation has completed
     * immediately, WSASend returns zero. In this case, the completion routine
     * will have already been scheduled to be called once the calling thread
     * is in the alertable state."  cbTransferred is the byte count, dwFlags
     * is zero, and hEvent "is ignored" (so not signalled; the WSARecv
     * analogue, fact C7, leaves it unsignalled on Windows). */
    bytes = 0xdeadbeef;
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, st_completion_routine);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(bytes == 7, "got %lu bytes [doc]\n", bytes);
    ok(!st_apc.count, "routine ran before an alertable wait\n");

    wait = SleepEx(ST_WAIT_MS, TRUE);
    ok(wait == WAIT_IO_COMPLETION, "SleepEx returned %lu [doc]\n", wait);
    ok(st_apc.count == 1, "routine ran %u times [doc]\n", st_apc.count);
    ok(st_apc.error == 0, "got error %lu [doc]\n", st_apc.error);
    ok(st_apc.transferred == 7, "got %lu bytes [doc]\n", st_apc.transferred);
    ok(st_apc.overlapped == &ov, "got overlapped %p [doc]\n", st_apc.overlapped);
    ok(st_apc.flags == 0, "got flags %#lx [doc]\n", st_apc.flags);
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "event was signalled [doc]\n");

    ret = st_recv_all(server, out, 7, ST_WAIT_MS);
    ok(ret == 7 && !memcmp(out, "routine", 7), "peer got %d bytes\n", ret);

    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

static void test_completion_port(void)
{
    SOCKET client, server;
    WSAOVERLAPPED ov, *pov;
    ULONG_PTR key;
    HANDLE port, event;
    char data[64], out[256];
    DWORD bytes;
    WSABUF buf;
    BOOL bret;
    int ret;

    if (!st_tcp_pair(&client, &server)) return;
    buf.buf = data;
    buf.len = sizeof(data);
    memset(data, 'p', sizeof(data));
    port = CreateIoCompletionPort((HANDLE)client, NULL, 0x1234, 0);
    ok(port != NULL, "CreateIoCompletionPort failed: %lu\n", GetLastError());
    event = CreateEventA(NULL, TRUE, FALSE, NULL);

    /* MSDN SetFileCompletionNotificationModes: without
     * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS the I/O manager "ordinarily"
     * queues a completion entry also for a request that "returns success
     * immediately" (the WSARecv analogue posts one on Windows: fact C6). */
    memset(&ov, 0, sizeof(ov));
    bytes = 0xdeadbeef;
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(data), "got %lu bytes\n", bytes);
    key = 0xdeadbeef;
    pov = NULL;
    bytes = 0xdeadbeef;
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, ST_WAIT_MS);
    ok(bret, "no packet: %lu [doc]\n", GetLastError());
    ok(bytes == sizeof(data), "got %lu bytes [doc]\n", bytes);
    ok(key == 0x1234, "got key %#lx [doc]\n", (unsigned long)key);
    ok(pov == &ov, "got overlapped %p [doc]\n", pov);
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, 0);
    ok(!bret && GetLastError() == WAIT_TIMEOUT, "got a second packet\n");

    /* MSDN GetQueuedCompletionStatus: "A valid event handle whose low-order
     * bit is set keeps I/O completion from being queued to the completion
     * port."  (ConnectEx and DisconnectEx honour it on Windows: fact C2.) */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, 200);
    ok(!bret && GetLastError() == WAIT_TIMEOUT, "got a packet, error %lu [doc]\n", GetLastError());

    /* MSDN SetFileCompletionNotificationModes: with
     * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS a request that "returns success
     * immediately" queues no entry. */
    bret = SetFileCompletionNotificationModes((HANDLE)client, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    ok(bret, "SetFileCompletionNotificationModes failed: %lu\n", GetLastError());
    memset(&ov, 0, sizeof(ov));
    bytes = 0xdeadbeef;
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(data), "got %lu bytes\n", bytes);
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, 200);
    ok(!bret && GetLastError() == WAIT_TIMEOUT, "got a packet, error %lu [doc]\n", GetLastError());

    ret = st_recv_all(server, out, 3 * sizeof(data), ST_WAIT_MS);
    ok(ret == 3 * sizeof(data), "peer got %d bytes\n", ret);

    closesocket(client);
    closesocket(server);
    CloseHandle(port);

    /* Windows: sock.c test_completion_port (fact W6): on a nonblocking
     * port-associated socket whose peer reset the connection, the overlapped
     * send fails at once with WSAECONNRESET, leaves the count alone and posts
     * no packet. */
    if (!st_tcp_pair(&client, &server)) return;
    port = CreateIoCompletionPort((HANDLE)client, NULL, 125, 0);
    st_set_blocking(client, FALSE);
    st_close_with_rst(server);
    st_wait_readable(client, ST_WAIT_MS);
    memset(&ov, 0, sizeof(ov));
    bytes = 0xdeadbeef;
    SetLastError(0xdeadbeef);
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(GetLastError() == WSAECONNRESET, "got error %lu\n", GetLastError());
    ok(bytes == 0xdeadbeef, "got %lu bytes\n", bytes);
    pov = (WSAOVERLAPPED *)0xdeadbeef;
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, 200);
    ok(!bret && GetLastError() == WAIT_TIMEOUT, "got a packet, error %lu\n", GetLastError());
    ok(!pov, "got overlapped %p\n", pov);
    closesocket(client);
    CloseHandle(port);

    /* A completion routine on a port-associated socket: WSARecv fails so with
     * WSAEINVAL and never calls the routine (fact C7); assumed the same for
     * sends. */
    if (!st_tcp_pair(&client, &server)) return;
    port = CreateIoCompletionPort((HANDLE)client, NULL, 126, 0);
    memset(&ov, 0, sizeof(ov));
    st_apc_reset();
    WSASetLastError(12345);
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, st_completion_routine);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u [doc]\n", WSAGetLastError());
    SleepEx(0, TRUE);
    ok(!st_apc.count, "routine ran %u times [doc]\n", st_apc.count);
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, 200);
    ok(!bret && GetLastError() == WAIT_TIMEOUT, "got a packet, error %lu [doc]\n", GetLastError());
    closesocket(client);
    closesocket(server);
    CloseHandle(port);
    CloseHandle(event);
}

static void test_nonoverlapped_socket(void)
{
    SOCKET client, server;
    WSAOVERLAPPED ov;
    char out[16];
    DWORD bytes;
    WSABUF buf;
    int ret;

    /* A socket created without WSA_FLAG_OVERLAPPED.  MSDN WSASend:
     * lpOverlapped "is ignored for nonoverlapped sockets", and the call
     * "adopts the same blocking semantics as send".  (On such a socket a
     * WSARecv given an overlapped behaves as a blocking call on Windows:
     * sock.c test_nonblocking_async_recv.) */
    if (!st_tcp_pair_flags(&client, &server, 0)) return;
    buf.buf = (char *)"plain";
    buf.len = 5;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    bytes = 0xdeadbeef;
    ret = WSASend(client, &buf, 1, &bytes, 0, &ov, NULL);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(bytes == 5, "got %lu bytes [doc]\n", bytes);
    ret = st_recv_all(server, out, 5, ST_WAIT_MS);
    ok(ret == 5 && !memcmp(out, "plain", 5), "peer got %d bytes\n", ret);

    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
}

#define PENDING_LEN (1024 * 1024)

/* Starts the send from a WSABUF array on this function's stack frame, which
 * is gone (and overwritten) before the send completes. */
static int __attribute__((noinline)) start_send_from_stack(SOCKET s, char *data, WSAOVERLAPPED *ov, int *err)
{
    WSABUF bufs[4];
    unsigned int i;
    int ret;

    for (i = 0; i < ARRAY_SIZE(bufs); ++i)
    {
        bufs[i].buf = data + i * (PENDING_LEN / 4);
        bufs[i].len = PENDING_LEN / 4;
    }
    WSASetLastError(12345);
    ret = WSASend(s, bufs, ARRAY_SIZE(bufs), NULL, 0, ov, NULL);
    *err = WSAGetLastError();
    return ret;
}

static void __attribute__((noinline)) scribble_stack(void)
{
    volatile char junk[8192];
    unsigned int i;

    for (i = 0; i < sizeof(junk); ++i) junk[i] = (char)0xcc;
}

static void test_pending_stack_wsabuf(void)
{
    SOCKET client, server;
    WSAOVERLAPPED ov;
    char *data, *out;
    LONGLONG received;
    DWORD bytes, flags;
    BOOL bret;
    int ret, err;

    if (!st_tcp_pair(&client, &server)) return;
    data = malloc(PENDING_LEN);
    out = malloc(PENDING_LEN);
    st_fill_pattern(data, PENDING_LEN, 9);
    st_prepare_pending_send(client);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);

    /* Windows: sock.c test_send: in this setup the 1 MiB overlapped send
     * is pending. */
    ret = start_send_from_stack(client, data, &ov, &err);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSA_IO_PENDING, "got error %u\n", err);
    scribble_stack();

    /* MSDN WSASend: "it is the Winsock service provider's responsibility to
     * capture the WSABUF structures before returning from this call. This
     * enables applications to build stack-based WSABUF arrays". */
    memset(out, 0, PENDING_LEN);
    received = st_drain_until(server, ov.hEvent, PENDING_LEN, out, PENDING_LEN);
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_OBJECT_0, "send did not complete\n");
    bytes = 0xdeadbeef;
    flags = 0;
    bret = WSAGetOverlappedResult(client, &ov, &bytes, FALSE, &flags);
    ok(bret, "WSAGetOverlappedResult failed: %u\n", WSAGetLastError());
    /* Windows: sock.c test_send: the pending send completes with the full
     * count. */
    ok(bytes == PENDING_LEN, "got %lu bytes\n", bytes);
    ok(received == PENDING_LEN, "peer got %lu bytes [doc]\n", (unsigned long)received);
    ok(received == PENDING_LEN && st_check_pattern(out, PENDING_LEN, 9, 0), "peer got other data [doc]\n");

    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(server);
    free(data);
    free(out);
}

START_TEST(wsasend)
{
    st_startup();
    test_invalid_args();
    test_gather();
    test_overlapped_event();
    test_completion_routine();
    test_completion_port();
    test_nonoverlapped_socket();
    test_pending_stack_wsabuf();
    st_cleanup();
}
