/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A legacy-style Winsock program: it imports ws2_32 by name and, for the
 * classic functions, by ordinal.  Dropped beside ws2send's ws2_32.dll and
 * run under Wine with WINEDLLOVERRIDES=ws2_32=n,b it shows which DLL serves
 * it and exchanges data over loopback through forwarded functions (socket,
 * bind, connect, recv, ...) and ws2send's own (send, sendto, WSASend, ...).
 *
 * It is both README's demonstration (-v tells the story) and a test: the
 * last line is "dropin (<arch>): N passed, N failed", the exit code the
 * number of failures.  With --system it expects ws2send installed into the
 * prefix's system directory instead of beside it.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ws2send/stats.h"

/* Bound by ordinal through libws2_32_ordinals.a (ordinals-win*.def). */
DECLSPEC_IMPORT int WINAPI ord_WSAStartup(WORD version, WSADATA *data);
DECLSPEC_IMPORT SOCKET WINAPI ord_socket(int family, int type, int protocol);
DECLSPEC_IMPORT int WINAPI ord_send(SOCKET s, const char *buf, int len, int flags);
DECLSPEC_IMPORT int WINAPI ord_recv(SOCKET s, char *buf, int len, int flags);
DECLSPEC_IMPORT int WINAPI ord_closesocket(SOCKET s);

#ifdef _WIN64
static const char arch[] = "x86_64";
#else
static const char arch[] = "i686";
#endif

static int verbose, passed, failed;

static void say(const char *format, ...)
{
    va_list args;

    if (!verbose) return;
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    fflush(stdout);
}

static void check(int condition, const char *format, ...)
{
    va_list args;

    if (condition)
        passed++;
    else
        failed++;
    if (condition && !verbose) return;
    printf(condition ? "  ok: " : "  FAIL: ");
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    fflush(stdout);
}

static BOOL get_stats(SOCKET s, struct ws2send_stats *stats)
{
    DWORD size = 0;

    memset(stats, 0, sizeof(*stats));
    return !WSAIoctl(s, SIO_WS2SEND_GET_STATS, NULL, 0, stats, sizeof(*stats), &size, NULL, NULL)
           && size == sizeof(*stats);
}

static const char *const provider_names[] = { "host-fast", "wine-afd", "host-api" };

/* (a) Which DLL answers: the copy beside this program (or, with --system,
 * the one in the system directory: ws2send installed into a prefix), and
 * ws2send's. */
static void test_serving_dll(BOOL from_system)
{
    WCHAR dir[MAX_PATH], dll_path[MAX_PATH], *slash;
    HMODULE module = NULL;
    size_t dir_len;

    say("\n[1] Which ws2_32.dll serves this program?\n");
    if (from_system)
    {
        dir_len = GetSystemDirectoryW(dir, MAX_PATH - 1);
        wcscat(dir, L"\\");
        dir_len++;
    }
    else
    {
        GetModuleFileNameW(NULL, dir, MAX_PATH);
        slash = wcsrchr(dir, '\\');
        dir_len = slash ? (size_t)(slash - dir) + 1 : 0;
    }

    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (const WCHAR *)(void *)ord_send, &module);
    GetModuleFileNameW(module, dll_path, MAX_PATH);
    say("    send (imported by ordinal 19) lives in %ls\n", dll_path);
    check(module && !_wcsnicmp(dll_path, dir, dir_len) && !wcschr(dll_path + dir_len, '\\'),
          "the ws2_32.dll %s serves send: %ls\n", from_system ? "in the system directory" : "beside the program",
          dll_path);
    check(module && FindResourceW(module, L"WS2SEND", (const WCHAR *)RT_RCDATA) != NULL,
          "that DLL is ws2send (it carries the WS2SEND resource)\n");
    check(module && GetProcAddress(module, (const char *)19) == GetProcAddress(module, "send")
          && GetProcAddress(module, (const char *)115) == GetProcAddress(module, "WSAStartup")
          && GetProcAddress(module, (const char *)23) == GetProcAddress(module, "socket"),
          "ordinals 19, 115 and 23 are send, WSAStartup and socket\n");
    check((void *)ord_send == (void *)send && (void *)ord_recv == (void *)recv,
          "imports by ordinal and by name reach the same functions\n");
}

static SOCKET udp_socket(struct sockaddr_in *addr)
{
    SOCKET s = ord_socket(AF_INET, SOCK_DGRAM, 0);
    int len = sizeof(*addr);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *)addr, sizeof(*addr));
    getsockname(s, (struct sockaddr *)addr, &len);
    return s;
}

/* (b) UDP over loopback. */
static void test_udp(void)
{
    struct sockaddr_in a_addr, b_addr, from;
    struct ws2send_stats before, after;
    char buf[64] = {0};
    int from_len = sizeof(from), ret;
    WSABUF wsabuf[2];
    DWORD sent = 0;
    SOCKET a, b;

    say("\n[2] UDP over 127.0.0.1\n");
    a = udp_socket(&a_addr);
    b = udp_socket(&b_addr);
    check(a != INVALID_SOCKET && b != INVALID_SOCKET, "two UDP sockets bound to 127.0.0.1:%u and :%u\n",
          ntohs(a_addr.sin_port), ntohs(b_addr.sin_port));
    check(get_stats(a, &before), "ws2send answers its statistics ioctl\n");

    ret = sendto(a, "hello, sendto", 13, 0, (struct sockaddr *)&b_addr, sizeof(b_addr));
    check(ret == 13, "sendto sent %d of 13 bytes\n", ret);
    ret = recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
    check(ret == 13 && !memcmp(buf, "hello, sendto", 13) && from.sin_port == a_addr.sin_port,
          "recvfrom got \"%.*s\" from port %u\n", ret > 0 ? ret : 0, buf, ntohs(from.sin_port));

    connect(a, (struct sockaddr *)&b_addr, sizeof(b_addr));
    ret = ord_send(a, "hello, send", 11, 0);
    check(ret == 11, "send (by ordinal) on the connected socket sent %d of 11 bytes\n", ret);
    ret = ord_recv(b, buf, sizeof(buf), 0);
    check(ret == 11 && !memcmp(buf, "hello, send", 11), "recv (by ordinal) got \"%.*s\"\n",
          ret > 0 ? ret : 0, buf);

    wsabuf[0].buf = "gathered ";
    wsabuf[0].len = 9;
    wsabuf[1].buf = "datagram";
    wsabuf[1].len = 8;
    ret = WSASend(a, wsabuf, 2, &sent, 0, NULL, NULL);
    check(!ret && sent == 17, "WSASend of two buffers returned %d, %lu bytes\n", ret, sent);
    ret = recv(b, buf, sizeof(buf), 0);
    check(ret == 17 && !memcmp(buf, "gathered datagram", 17), "they arrived as one datagram \"%.*s\"\n",
          ret > 0 ? ret : 0, buf);

    check(get_stats(a, &after), "statistics again\n");
    check(ws2send_stats_entry_calls(&after, WS2SEND_ENTRY_SENDTO) > ws2send_stats_entry_calls(&before, WS2SEND_ENTRY_SENDTO)
          && ws2send_stats_entry_calls(&after, WS2SEND_ENTRY_SEND) > ws2send_stats_entry_calls(&before, WS2SEND_ENTRY_SEND)
          && ws2send_stats_entry_calls(&after, WS2SEND_ENTRY_WSASEND)
             > ws2send_stats_entry_calls(&before, WS2SEND_ENTRY_WSASEND),
          "ws2send's own send path counted those sends (base provider %s; so far %u sent by host-fast, %u by "
          "wine-afd, %u by host-api)\n",
          after.default_provider < WS2SEND_PROVIDER_COUNT ? provider_names[after.default_provider] : "?",
          ws2send_stats_provider_calls(&after, WS2SEND_PROVIDER_HOST_FAST),
          ws2send_stats_provider_calls(&after, WS2SEND_PROVIDER_WINE_AFD),
          ws2send_stats_provider_calls(&after, WS2SEND_PROVIDER_HOST_API));
    ord_closesocket(a);
    ord_closesocket(b);
}

/* (b) TCP over loopback. */
static void test_tcp(void)
{
    struct sockaddr_in addr;
    SOCKET listener, client, server;
    char buf[256];
    int len = sizeof(addr), ret, total = 0;

    say("\n[3] TCP over 127.0.0.1\n");
    listener = ord_socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, (struct sockaddr *)&addr, sizeof(addr));
    getsockname(listener, (struct sockaddr *)&addr, &len);
    listen(listener, 1);
    client = ord_socket(AF_INET, SOCK_STREAM, 0);
    ret = connect(client, (struct sockaddr *)&addr, sizeof(addr));
    server = accept(listener, NULL, NULL);
    check(!ret && server != INVALID_SOCKET, "connected to 127.0.0.1:%u and accepted\n", ntohs(addr.sin_port));

    ret = ord_send(client, "legacy programs still talk", 26, 0);
    check(ret == 26, "send sent %d of 26 bytes\n", ret);
    while (total < 26 && (ret = ord_recv(server, buf + total, sizeof(buf) - total, 0)) > 0) total += ret;
    check(total == 26 && !memcmp(buf, "legacy programs still talk", 26), "the peer got \"%.*s\"\n", total, buf);

    ret = send(server, "and get answers", 15, 0);
    total = 0;
    while (ret == 15 && total < 15 && (len = recv(client, buf + total, sizeof(buf) - total, 0)) > 0) total += len;
    check(total == 15 && !memcmp(buf, "and get answers", 15), "the answer came back: \"%.*s\"\n", total, buf);

    ord_closesocket(client);
    ord_closesocket(server);
    ord_closesocket(listener);
}

int main(int argc, char **argv)
{
    BOOL from_system = FALSE;
    WSADATA data;
    int ret;

    for (int i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "-v")) verbose = 1;
        else if (!strcmp(argv[i], "--system")) from_system = TRUE;
    }
    say("legacy_client (%s): a Winsock program importing ws2_32 by name and by ordinal\n", arch);
    ret = ord_WSAStartup(MAKEWORD(2, 2), &data);
    check(!ret, "WSAStartup (by ordinal 115) returned %d, Winsock %u.%u\n", ret,
          LOBYTE(data.wVersion), HIBYTE(data.wVersion));

    test_serving_dll(from_system);
    test_udp();
    test_tcp();

    WSACleanup();
    printf("dropin (%s): %d passed, %d failed\n", arch, passed, failed);
    return failed > 255 ? 255 : failed;
}
