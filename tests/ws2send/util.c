/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "util.h"

SOCKET udp_bound(struct sockaddr_in *addr)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    int len = sizeof(*addr);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok(!bind(s, (struct sockaddr *)addr, sizeof(*addr)), "bind failed, error %d\n", WSAGetLastError());
    getsockname(s, (struct sockaddr *)addr, &len);
    return s;
}

SOCKET tcp_listener(struct sockaddr_in *addr)
{
    SOCKET listener = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    int len = sizeof(*addr);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *)addr, sizeof(*addr));
    getsockname(listener, (struct sockaddr *)addr, &len);
    listen(listener, 1);
    return listener;
}

void tcp_pair(SOCKET *client, SOCKET *server, DWORD flags)
{
    struct sockaddr_in addr;
    SOCKET listener = tcp_listener(&addr);

    *client = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    ok(!connect(*client, (struct sockaddr *)&addr, sizeof(addr)), "connect failed, error %d\n", WSAGetLastError());
    *server = accept(listener, NULL, NULL);
    ok(*server != INVALID_SOCKET, "accept failed, error %d\n", WSAGetLastError());
    closesocket(listener);
}

int recv_all(SOCKET s, char *buf, int len, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    int got = 0, ret;

    while (got < len && GetTickCount() - start < timeout_ms)
    {
        fd_set set;
        struct timeval tv = { 0, 100000 };

        FD_ZERO(&set);
        FD_SET(s, &set);
        if (select(0, &set, NULL, NULL, &tv) <= 0) continue;
        if ((ret = recv(s, buf + got, len - got, 0)) <= 0) break;
        got += ret;
    }
    return got;
}

void set_blocking(SOCKET s, BOOL blocking)
{
    u_long arg = !blocking;

    ioctlsocket(s, FIONBIO, &arg);
}

BOOL get_stats(SOCKET s, struct ws2send_stats *stats)
{
    DWORD size = 0;

    memset(stats, 0, sizeof(*stats));
    return !WSAIoctl(s, SIO_WS2SEND_GET_STATS, NULL, 0, stats, sizeof(*stats), &size, NULL, NULL)
           && size == sizeof(*stats);
}

unsigned int stats_provider_total(const struct ws2send_stats *stats, enum ws2send_provider_id provider)
{
    unsigned int total = 0;

    for (unsigned int e = 0; e < WS2SEND_ENTRY_COUNT; e++) total += stats->calls[e][provider];
    return total;
}

LPFN_WSASENDMSG wsasendmsg_of(SOCKET s)
{
    GUID guid = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG func = NULL;
    DWORD size;

    WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &func, sizeof(func), &size, NULL, NULL);
    return func;
}

BOOL fastpath_enabled(void)
{
    char value[8];
    DWORD len = GetEnvironmentVariableA("WS2SEND_FASTPATH", value, sizeof(value));

    return !(len && len < sizeof(value) && value[0] == '0');
}

/* This process' Linux pid: Z:\proc\self would be resolved by Wine's
 * server, whose own descriptors it would list. */
static long host_pid(void)
{
    long pid;

#if defined(__x86_64__)
    __asm__ volatile ("syscall" : "=a"(pid) : "a"(39L) : "rcx", "r11", "memory");
#else
    __asm__ volatile ("int $0x80" : "=a"(pid) : "a"(20L) : "memory");
#endif
    return pid;
}

int count_host_fds(void)
{
    WIN32_FIND_DATAA data;
    char path[64];
    HANDLE find;
    int count = 0;

    snprintf(path, sizeof(path), "Z:\\proc\\%ld\\fd\\*", host_pid());
    find = FindFirstFileA(path, &data);

    if (find == INVALID_HANDLE_VALUE) return -1;
    do
        if (strcmp(data.cFileName, ".") && strcmp(data.cFileName, "..")) count++;
    while (FindNextFileA(find, &data));
    FindClose(find);
    return count;
}
