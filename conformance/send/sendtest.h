/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Helpers shared by the send-path subtests (the .c files of conformance/send).
 *
 * Everything here is static inline so that each subtest pulls in only what it
 * uses.  Helpers that can fail report through ok_() at the caller's line.
 *
 * Network rules of the suite: only 127.0.0.0/8 and ::1, sockets bound to port
 * 0 (the address is read back with getsockname), bounded waits (<= 5 s).
 */
#ifndef WS2SEND_CONFORMANCE_SENDTEST_H
#define WS2SEND_CONFORMANCE_SENDTEST_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "wstest.h"

#if defined(__GNUC__) || defined(__clang__)
#define ST_UNUSED __attribute__((unused))
#else
#define ST_UNUSED
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* NT status values the checks compare overlapped.Internal against. */
#define ST_STATUS_SUCCESS   ((ULONG_PTR)0x00000000)
#define ST_STATUS_PENDING   ((ULONG_PTR)0x00000103)
#define ST_STATUS_CANCELLED ((ULONG_PTR)0xc0000120)

/* The longest any helper waits for one event, in milliseconds. */
#define ST_WAIT_MS 5000

static inline void st_startup(void)
{
    WSADATA data;
    int ret = WSAStartup(MAKEWORD(2, 2), &data);
    ok(!ret, "WSAStartup failed: %d\n", ret);
}

static inline void st_cleanup(void)
{
    WSACleanup();
}

static inline void st_set_blocking(SOCKET s, BOOL blocking)
{
    u_long nonblocking = !blocking;
    ioctlsocket(s, FIONBIO, &nonblocking);
}

static inline struct sockaddr_in st_loopback4(const char *dotted, USHORT port)
{
    struct sockaddr_in addr;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    inet_pton(AF_INET, dotted, &addr.sin_addr);
    return addr;
}

/* A UDP socket (WSASocket with the given flags) bound to 127.0.0.1:0 or
 * [::1]:0; *addr receives the bound address.  INVALID_SOCKET if the family
 * is unavailable (reported as a skip by the caller, not a failure). */
static inline SOCKET st_udp_bound_(int line, int family, DWORD flags, struct sockaddr_storage *addr)
{
    SOCKET s;
    int len, ret;

    s = WSASocketW(family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, flags);
    if (s == INVALID_SOCKET) return INVALID_SOCKET;

    memset(addr, 0, sizeof(*addr));
    if (family == AF_INET6)
    {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
        a6->sin6_family = AF_INET6;
        a6->sin6_addr = in6addr_loopback;
        len = sizeof(*a6);
    }
    else
    {
        *(struct sockaddr_in *)addr = st_loopback4("127.0.0.1", 0);
        len = sizeof(struct sockaddr_in);
    }
    ret = bind(s, (struct sockaddr *)addr, len);
    if (ret && family == AF_INET6)
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    ok_(__FILE__, line)(!ret, "bind failed: %u\n", WSAGetLastError());
    len = sizeof(*addr);
    ret = getsockname(s, (struct sockaddr *)addr, &len);
    ok_(__FILE__, line)(!ret, "getsockname failed: %u\n", WSAGetLastError());
    return s;
}
#define st_udp_bound(family, addr) st_udp_bound_(__LINE__, family, WSA_FLAG_OVERLAPPED, addr)
#define st_udp_bound_flags(family, flags, addr) st_udp_bound_(__LINE__, family, flags, addr)

/* A connected TCP pair over 127.0.0.1.  The client is created with
 * WSASocket(client_flags); the server end comes from accept().  FALSE (and
 * both INVALID_SOCKET) if the pair could not be made. */
static inline BOOL st_tcp_pair_(int line, SOCKET *client, SOCKET *server, DWORD client_flags)
{
    struct sockaddr_in addr = st_loopback4("127.0.0.1", 0);
    SOCKET listener;
    int len, ret;

    *client = *server = INVALID_SOCKET;
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok_(__FILE__, line)(listener != INVALID_SOCKET, "socket failed: %u\n", WSAGetLastError());
    if (listener == INVALID_SOCKET) return FALSE;
    ret = bind(listener, (struct sockaddr *)&addr, sizeof(addr));
    ok_(__FILE__, line)(!ret, "bind failed: %u\n", WSAGetLastError());
    len = sizeof(addr);
    ret = getsockname(listener, (struct sockaddr *)&addr, &len);
    ok_(__FILE__, line)(!ret, "getsockname failed: %u\n", WSAGetLastError());
    ret = listen(listener, 1);
    ok_(__FILE__, line)(!ret, "listen failed: %u\n", WSAGetLastError());

    *client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, client_flags);
    ok_(__FILE__, line)(*client != INVALID_SOCKET, "WSASocket failed: %u\n", WSAGetLastError());
    if (*client != INVALID_SOCKET)
    {
        ret = connect(*client, (struct sockaddr *)&addr, sizeof(addr));
        ok_(__FILE__, line)(!ret, "connect failed: %u\n", WSAGetLastError());
        if (!ret)
        {
            *server = accept(listener, NULL, NULL);
            ok_(__FILE__, line)(*server != INVALID_SOCKET, "accept failed: %u\n", WSAGetLastError());
        }
    }
    closesocket(listener);
    if (*server == INVALID_SOCKET)
    {
        if (*client != INVALID_SOCKET) closesocket(*client);
        *client = INVALID_SOCKET;
        return FALSE;
    }
    return TRUE;
}
#define st_tcp_pair(client, server) st_tcp_pair_(__LINE__, client, server, WSA_FLAG_OVERLAPPED)
#define st_tcp_pair_flags(client, server, flags) st_tcp_pair_(__LINE__, client, server, flags)

/* TRUE once s is readable, FALSE after timeout_ms. */
static inline BOOL st_wait_readable(SOCKET s, DWORD timeout_ms)
{
    struct timeval tv;
    fd_set readfds;

    FD_ZERO(&readfds);
    FD_SET(s, &readfds);
    tv.tv_sec = timeout_ms / 1000;
    tv.tv_usec = (timeout_ms % 1000) * 1000;
    return select(0, &readfds, NULL, NULL, &tv) == 1;
}

/* One datagram (or one recv on a stream) after waiting at most timeout_ms;
 * -1 with WSAGetLastError() == WSAETIMEDOUT if nothing came. */
static inline int st_recvfrom(SOCKET s, char *buf, int len, struct sockaddr *from, int *fromlen, DWORD timeout_ms)
{
    if (!st_wait_readable(s, timeout_ms))
    {
        WSASetLastError(WSAETIMEDOUT);
        return -1;
    }
    return recvfrom(s, buf, len, 0, from, fromlen);
}

/* Reads a stream until len bytes arrived, the peer closed, an error, or
 * timeout_ms without progress; returns the number of bytes read. */
static inline int st_recv_all(SOCKET s, char *buf, int len, DWORD timeout_ms)
{
    int total = 0, ret;

    while (total < len)
    {
        if (!st_wait_readable(s, timeout_ms)) break;
        ret = recv(s, buf + total, len - total, 0);
        if (ret <= 0) break;
        total += ret;
    }
    return total;
}

/* Reads and discards what arrives on s until the peer closes, an error, or
 * idle_ms pass without data; returns the byte count. */
static inline LONGLONG st_drain(SOCKET s, DWORD idle_ms)
{
    static char sink[65536];
    LONGLONG total = 0;
    int ret;

    for (;;)
    {
        if (!st_wait_readable(s, idle_ms)) break;
        ret = recv(s, sink, sizeof(sink), 0);
        if (ret <= 0) break;
        total += ret;
    }
    return total;
}

/* Reads what arrives on s into out (at most cap bytes; the rest is
 * discarded) until event is signalled and expected bytes have come, or
 * ST_WAIT_MS pass without progress.  (The bytes of a completed send can
 * reach the peer later: under CPU load the kernel delivers loopback traffic
 * from a thread of its own.)  Returns the number of bytes read. */
static inline LONGLONG st_drain_until(SOCKET s, HANDLE event, LONGLONG expected, char *out, size_t cap)
{
    static char sink[65536];
    LONGLONG total = 0;
    DWORD idle = 0;
    int ret;

    while (idle < ST_WAIT_MS)
    {
        if (total >= expected && WaitForSingleObject(event, 0) == WAIT_OBJECT_0) break;
        if (!st_wait_readable(s, 50))
        {
            idle += 50;
            continue;
        }
        ret = recv(s, sink, sizeof(sink), 0);
        if (ret <= 0) break;
        if (out && (size_t)total < cap)
            memcpy(out + total, sink, min((size_t)ret, cap - (size_t)total));
        total += ret;
        idle = 0;
    }
    return total;
}

/* The setup of sock.c test_send, in which an overlapped WSASend of 1 MiB
 * returns WSA_IO_PENDING on Windows: the sender is nonblocking with
 * SO_SNDBUF 0, and its peer does not read. */
static inline void st_prepare_pending_send(SOCKET s)
{
    int zero = 0;

    st_set_blocking(s, FALSE);
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&zero, sizeof(zero));
}

/* Abortive close: the peer's next operations see a reset. */
static inline void st_close_with_rst(SOCKET s)
{
    struct linger linger = {1, 0};
    setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&linger, sizeof(linger));
    closesocket(s);
}

/* A pointer into a page that has been reserved, committed and released
 * again: nothing is mapped there, so it is "not contained in a valid part of
 * the user address space" (MSDN's wording for WSAEFAULT). */
static inline void *st_bad_pointer(void)
{
    void *page = VirtualAlloc(NULL, 0x10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    ok(page != NULL, "VirtualAlloc failed: %lu\n", GetLastError());
    if (page) VirtualFree(page, 0, MEM_RELEASE);
    return (char *)page + 0x100;
}

/* The WSASendMsg pointer handed out by WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER). */
static inline LPFN_WSASENDMSG st_sendmsg_from_ioctl(SOCKET s)
{
    GUID guid = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG func = NULL;
    DWORD size = 0;

    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                 &func, sizeof(func), &size, NULL, NULL))
        return NULL;
    return func;
}

/* The WSASendMsg export of the DLL that provides this program's send()
 * (ws2_32.dll, or the DLL under test when the program imports it under
 * another name). */
static inline LPFN_WSASENDMSG st_sendmsg_from_export(void)
{
    HMODULE module = NULL;

    if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (const char *)(void *)send, &module))
        module = GetModuleHandleA("ws2_32.dll");
    return module ? (LPFN_WSASENDMSG)(void *)GetProcAddress(module, "WSASendMsg") : NULL;
}

static inline LPFN_WSARECVMSG st_recvmsg_from_ioctl(SOCKET s)
{
    GUID guid = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG func = NULL;
    DWORD size = 0;

    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                 &func, sizeof(func), &size, NULL, NULL))
        return NULL;
    return func;
}

/* Runs "<this exe> <subtest> <args>" and waits for it (up to 30 s, in the
 * harness); the child's failures, or its crash, count as one of ours.  For
 * checks that may crash an implementation that dereferences a bad pointer,
 * so that the crash does not take the rest of the subtest with it. */
static inline void st_run_child(const char *subtest, const char *args)
{
    char exe[MAX_PATH], cmdline[MAX_PATH + 128];
    PROCESS_INFORMATION pi;
    STARTUPINFOA si;
    BOOL bret;

    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmdline, sizeof(cmdline), "\"%s\" %s %s", exe, subtest, args);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    bret = CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    ok(bret, "CreateProcess failed: %lu\n", GetLastError());
    if (!bret) return;
    wait_child_process(pi.hProcess);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

/* The extra argument a child started by st_run_child() got, or NULL in the
 * parent. */
static inline const char *st_child_arg(void)
{
    char **argv;
    int argc = winetest_get_mainargs(&argv);
    return argc >= 3 ? argv[2] : NULL;
}

/* What the completion routine below saw. */
struct st_apc_record
{
    unsigned int count;
    DWORD error;
    DWORD transferred;
    WSAOVERLAPPED *overlapped;
    DWORD flags;
};

static ST_UNUSED struct st_apc_record st_apc;

static inline void st_apc_reset(void)
{
    memset(&st_apc, 0, sizeof(st_apc));
    st_apc.error = st_apc.transferred = st_apc.flags = 0xdeadbeef;
}

static inline void CALLBACK st_completion_routine(DWORD error, DWORD transferred,
                                                  WSAOVERLAPPED *overlapped, DWORD flags)
{
    st_apc.count++;
    st_apc.error = error;
    st_apc.transferred = transferred;
    st_apc.overlapped = overlapped;
    st_apc.flags = flags;
}

/* A byte pattern that shows both order and position. */
static inline void st_fill_pattern(char *buf, size_t len, unsigned int seed)
{
    size_t i;
    for (i = 0; i < len; ++i) buf[i] = (char)(i * 7 + seed + (i >> 8));
}

static inline BOOL st_check_pattern(const char *buf, size_t len, unsigned int seed, size_t offset)
{
    size_t i;
    for (i = 0; i < len; ++i)
        if (buf[i] != (char)((i + offset) * 7 + seed + ((i + offset) >> 8))) return FALSE;
    return TRUE;
}

#endif /* WS2SEND_CONFORMANCE_SENDTEST_H */
