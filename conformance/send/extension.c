/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) for WSAID_WSASENDMSG: the
 * argument rules and how the call completes when given an overlapped.
 *
 * Sources: facts as numbered in shared/reference/windows-send-facts.md (E1-E11
 * come from Wine's dlls/ws2_32/tests/sock.c test_get_extension_func and the
 * other WSAIoctl tests, run on Windows by Wine's testbot, mostly with the
 * AcceptEx GUID); "MSDN WSAIoctl" is
 * sdk-api-src/content/winsock2/nf-winsock2-wsaioctl.md.  Checks that apply a
 * rule pinned for another GUID or code to WSAID_WSASENDMSG, or that are known
 * only from the documentation, end their message with "[doc]".
 */

#include "sendtest.h"

static GUID sendmsg_guid = WSAID_WSASENDMSG;

static void test_basic(void)
{
    GUID recvmsg_guid = WSAID_WSARECVMSG;
    WSAOVERLAPPED ov;
    void *func;
    DWORD size;
    SOCKET s;
    int ret;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&ov, 0, sizeof(ov));

    /* Windows: WSAIoctl refuses a NULL lpcbBytesReturned for every code, with
     * or without an overlapped or a completion routine (facts E1, E5, E9). */
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), NULL, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());

    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), NULL, &ov, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());

    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), NULL, &ov, st_completion_routine);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_WSASendMsg (fact M1) gets a pointer; the call
     * succeeds with the last error cleared and the size of a pointer
     * returned, as for AcceptEx and ConnectEx (facts E2, E7). */
    func = NULL;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), &size, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(func != NULL, "got NULL\n");
    ok(!WSAGetLastError(), "got error %u [doc]\n", WSAGetLastError());
    ok(size == sizeof(func), "got size %lu [doc]\n", size);

    /* Windows: the WSARecvMsg GUID works on a UDP socket (fact E8). */
    func = NULL;
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &recvmsg_guid, sizeof(GUID),
                   &func, sizeof(func), &size, NULL, NULL);
    ok(!ret && func != NULL, "got %d, error %u\n", ret, WSAGetLastError());

    closesocket(s);
}

static void test_bad_args(void)
{
    GUID bogus = {0xdeadbeef};
    WSAOVERLAPPED ov, *pov;
    ULONG_PTR key;
    HANDLE port;
    void *func;
    char small[2 * sizeof(void *)];
    DWORD size;
    SOCKET s;
    int ret;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* Windows: sock.c test_get_extension_func: an unknown GUID fails with
     * WSAEINVAL, with an overlapped too, which is then left alone and gets no
     * completion packet; the size is not written. */
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(GUID),
                   &func, sizeof(func), &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());

    port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &bogus, sizeof(GUID),
                   &func, sizeof(func), &size, &ov, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());
    ok(size == 0xdeadbeef, "got size %lu\n", size);
    ok(ov.Internal == 0xdeadbeef && ov.InternalHigh == 0xdeadbeef, "got status %#lx, size %lu\n",
       (unsigned long)ov.Internal, (unsigned long)ov.InternalHigh);
    ret = GetQueuedCompletionStatus(port, &size, &key, &pov, 0);
    ok(!ret && GetLastError() == WAIT_TIMEOUT, "got a packet, error %lu\n", GetLastError());
    CloseHandle(port);
    closesocket(s);

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* MSDN WSAIoctl: "WSAEFAULT: ... or the cbInBuffer or cbOutBuffer
     * parameter is too small." */
    memset(small, 0, sizeof(small));
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   small, sizeof(void *) - 1, &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID) - 1,
                   &func, sizeof(func), &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN WSAIoctl: "WSAENOTSOCK: The descriptor s is not a socket." */
    func = NULL;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(INVALID_SOCKET, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u [doc]\n", WSAGetLastError());

    closesocket(s);
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u [doc]\n", WSAGetLastError());
}

/* Runs in a child process: an implementation that uses the NULL buffer
 * crashes the child only. */
static void test_null_buffer(BOOL in)
{
    void *func = NULL;
    DWORD size;
    SOCKET s;
    int ret;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);

    /* MSDN WSAIoctl: "WSAEFAULT: The lpvInBuffer, lpvOutBuffer ... parameter
     * is not totally contained in a valid part of the user address space". */
    WSASetLastError(0xdeadbeef);
    if (in)
        ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, NULL, sizeof(GUID),
                       &func, sizeof(func), &size, NULL, NULL);
    else
        ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                       NULL, sizeof(func), &size, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    closesocket(s);
}

static void test_overlapped(void)
{
    WSAOVERLAPPED ov, *pov;
    ULONG_PTR key;
    HANDLE port;
    void *func;
    DWORD size, wait;
    SOCKET s;
    BOOL bret;
    int ret;

    /* Windows: with an overlapped on a port-associated socket the call
     * returns 0 at once, clears the last error and still posts a packet of
     * 0 bytes, leaving Internal and InternalHigh 0 (AcceptEx GUID: fact E3;
     * any synchronously completing WSAIoctl: fact E10). */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    port = CreateIoCompletionPort((HANDLE)s, NULL, 123, 0);
    memset(&ov, 0, sizeof(ov));
    ov.Internal = 0xdeadbeef;
    ov.InternalHigh = 0xdeadbeef;
    func = NULL;
    size = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), &size, &ov, NULL);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(!WSAGetLastError(), "got error %u [doc]\n", WSAGetLastError());
    ok(size == sizeof(func), "got size %lu [doc]\n", size);
    ok(func != NULL, "got NULL [doc]\n");

    key = 0;
    pov = NULL;
    size = 0xdeadbeef;
    bret = GetQueuedCompletionStatus(port, &size, &key, &pov, ST_WAIT_MS);
    ok(bret, "no packet: %lu [doc]\n", GetLastError());
    ok(!size, "got size %lu [doc]\n", size);
    ok(key == 123, "got key %lu [doc]\n", (unsigned long)key);
    ok(pov == &ov, "got overlapped %p [doc]\n", pov);
    ok(!ov.Internal, "got status %#lx [doc]\n", (unsigned long)ov.Internal);
    ok(!ov.InternalHigh, "got size %lu [doc]\n", (unsigned long)ov.InternalHigh);
    CloseHandle(port);
    closesocket(s);

    /* Windows: with a completion routine the call returns 0 and the routine
     * runs once at the next alertable wait with error 0, 0 bytes, the
     * overlapped and flags 0 (AcceptEx GUID: fact E6). */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&ov, 0, sizeof(ov));
    st_apc_reset();
    size = 0xdeadbeef;
    ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &sendmsg_guid, sizeof(GUID),
                   &func, sizeof(func), &size, &ov, st_completion_routine);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(size == sizeof(func), "got size %lu [doc]\n", size);
    wait = SleepEx(0, TRUE);
    ok(wait == WAIT_IO_COMPLETION, "SleepEx returned %lu [doc]\n", wait);
    ok(st_apc.count == 1, "routine ran %u times [doc]\n", st_apc.count);
    ok(!st_apc.error, "got error %lu [doc]\n", st_apc.error);
    ok(!st_apc.transferred, "got %lu bytes [doc]\n", st_apc.transferred);
    ok(st_apc.overlapped == &ov, "got overlapped %p [doc]\n", st_apc.overlapped);
    ok(!st_apc.flags, "got flags %#lx [doc]\n", st_apc.flags);
    closesocket(s);
}

static void test_pointer_works(void)
{
    struct sockaddr_storage addr;
    LPFN_WSASENDMSG pWSASendMsg;
    SOCKET s, peer;
    WSABUF buf;
    WSAMSG msg;
    DWORD bytes;
    char out[16];
    int ret;

    /* Windows: sock.c test_WSASendMsg (fact M5): the pointer obtained from
     * one socket sends on another. */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    pWSASendMsg = st_sendmsg_from_ioctl(s);
    closesocket(s);
    if (!pWSASendMsg) return;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&msg, 0, sizeof(msg));
    buf.buf = (char *)"ext";
    buf.len = 3;
    msg.name = (struct sockaddr *)&addr;
    msg.namelen = sizeof(struct sockaddr_in);
    msg.lpBuffers = &buf;
    msg.dwBufferCount = 1;
    bytes = 0;
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret && bytes == 3, "got %d, %lu bytes, error %u\n", ret, bytes, WSAGetLastError());
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 3 && !memcmp(out, "ext", 3), "peer got %d\n", ret);
    closesocket(s);
    closesocket(peer);
}

START_TEST(extension)
{
    const char *child = st_child_arg();

    st_startup();
    if (child)
    {
        test_null_buffer(!strcmp(child, "null-in"));
        st_cleanup();
        return;
    }

    test_basic();
    test_bad_args();
    st_run_child("extension", "null-in");
    st_run_child("extension", "null-out");
    test_overlapped();
    test_pointer_works();
    st_cleanup();
}
