/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A program that loads ws2_32 only from the system directory, as Go's
 * runtime, hardened loaders and many launchers do:
 * LoadLibraryExW(L"ws2_32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32).  It
 * does not import ws2_32, so nothing beside it can serve it.
 *
 *   load_from_system ws2send        ws2send is installed into the prefix: it
 *                                   serves the program, takes its sends, and
 *                                   has Wine's builtin loaded beside it as host
 *   load_from_system ws2send --hide-dll-dirs
 *                                   the same after removing WINEDLLDIR<n> and
 *                                   WINEBUILDDIR from this process' environment
 *   load_from_system no-host        WINEDATADIR removed as well: ws2send finds
 *                                   no host and fails forwarded calls cleanly
 *   load_from_system builtin        ws2send is not installed: Wine's builtin serves
 *
 * Last line: "system-load (<arch>, <mode>): N passed, N failed"; exit code:
 * the number of failures.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <psapi.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ws2send/stats.h"

#ifdef _WIN64
static const char arch[] = "x86_64";
#else
static const char arch[] = "i686";
#endif

static int passed, failed;

static void check(int condition, const char *format, ...)
{
    va_list args;

    if (condition)
    {
        passed++;
        return;
    }
    failed++;
    printf("  FAIL: ");
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    fflush(stdout);
}

static int (WINAPI *p_WSAStartup)(WORD, WSADATA *);
static int (WINAPI *p_WSACleanup)(void);
static int (WINAPI *p_WSAGetLastError)(void);
static SOCKET (WINAPI *p_socket)(int, int, int);
static int (WINAPI *p_bind)(SOCKET, const struct sockaddr *, int);
static int (WINAPI *p_getsockname)(SOCKET, struct sockaddr *, int *);
static int (WINAPI *p_connect)(SOCKET, const struct sockaddr *, int);
static int (WINAPI *p_send)(SOCKET, const char *, int, int);
static int (WINAPI *p_sendto)(SOCKET, const char *, int, int, const struct sockaddr *, int);
static int (WINAPI *p_WSASend)(SOCKET, WSABUF *, DWORD, DWORD *, DWORD, WSAOVERLAPPED *,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE);
static int (WINAPI *p_recv)(SOCKET, char *, int, int);
static int (WINAPI *p_closesocket)(SOCKET);
static int (WINAPI *p_WSAIoctl)(SOCKET, DWORD, void *, DWORD, void *, DWORD, DWORD *, WSAOVERLAPPED *,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE);

static BOOL resolve(HMODULE ws2)
{
#define RESOLVE(name) (p_##name = (void *)GetProcAddress(ws2, #name))
    return RESOLVE(WSAStartup) && RESOLVE(WSACleanup) && RESOLVE(WSAGetLastError) && RESOLVE(socket)
        && RESOLVE(bind) && RESOLVE(getsockname) && RESOLVE(connect) && RESOLVE(send) && RESOLVE(sendto)
        && RESOLVE(WSASend) && RESOLVE(recv) && RESOLVE(closesocket) && RESOLVE(WSAIoctl);
#undef RESOLVE
}

static BOOL is_ws2send(HMODULE module)
{
    return FindResourceW(module, L"WS2SEND", (const WCHAR *)RT_RCDATA) != NULL;
}

/* Wine's loader and ws2send both tell a Wine builtin by this mark right after
 * the DOS header; the mapped image keeps its headers. */
static BOOL is_wine_builtin(HMODULE module)
{
    return !memcmp((const char *)module + sizeof(IMAGE_DOS_HEADER), "Wine builtin DLL", 16);
}

static BOOL in_system_directory(HMODULE module)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    UINT len = GetSystemDirectoryW(dir, MAX_PATH);

    return GetModuleFileNameW(module, path, MAX_PATH) && len && !_wcsnicmp(path, dir, len)
           && path[len] == '\\' && !wcschr(path + len + 1, '\\');
}

/* Modules of this process named ws2_32.dll other than ws2; the last one found
 * goes to *other. */
static unsigned int other_ws2_32_modules(HMODULE ws2, HMODULE *other)
{
    HMODULE modules[512];
    DWORD needed = 0;
    unsigned int count = 0;
    WCHAR name[MAX_PATH];

    if (!EnumProcessModules(GetCurrentProcess(), modules, sizeof(modules), &needed)) return 0;
    for (DWORD i = 0; i < needed / sizeof(HMODULE) && i < ARRAYSIZE(modules); i++)
    {
        if (modules[i] == ws2) continue;
        if (GetModuleBaseNameW(GetCurrentProcess(), modules[i], name, MAX_PATH) && !_wcsicmp(name, L"ws2_32.dll"))
        {
            *other = modules[i];
            count++;
        }
    }
    return count;
}

static void hide_variable(const WCHAR *name)
{
    SetEnvironmentVariableW(name, NULL);
}

static void hide_dll_dirs(void)
{
    WCHAR name[32];

    for (unsigned int i = 0; i < 16; i++)
    {
        swprintf(name, ARRAYSIZE(name), L"WINEDLLDIR%u", i);
        hide_variable(name);
    }
    hide_variable(L"WINEBUILDDIR");
}

static BOOL get_stats(SOCKET s, struct ws2send_stats *stats)
{
    DWORD size = 0;

    memset(stats, 0, sizeof(*stats));
    return !p_WSAIoctl(s, SIO_WS2SEND_GET_STATS, NULL, 0, stats, sizeof(*stats), &size, NULL, NULL)
           && size == sizeof(*stats);
}

static SOCKET udp_socket(struct sockaddr_in *addr)
{
    SOCKET s = p_socket(AF_INET, SOCK_DGRAM, 0);
    int len = sizeof(*addr);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.S_un.S_un_b.s_b1 = 127;   /* 127.0.0.1; htonl is ws2_32's */
    addr->sin_addr.S_un.S_un_b.s_b4 = 1;
    p_bind(s, (struct sockaddr *)addr, sizeof(*addr));
    p_getsockname(s, (struct sockaddr *)addr, &len);
    return s;
}

/* sendto, send and WSASend over loopback; with ws2send, each is counted by
 * its provider statistics. */
static void exchange_udp(BOOL expect_ws2send)
{
    struct ws2send_stats before, after;
    struct sockaddr_in a_addr, b_addr;
    char buf[64];
    WSABUF wsabuf = { 7, (char *)"wsasend" };
    DWORD sent = 0;
    SOCKET a, b;
    int ret;

    a = udp_socket(&a_addr);
    b = udp_socket(&b_addr);
    check(a != INVALID_SOCKET && b != INVALID_SOCKET, "UDP sockets: error %d\n", p_WSAGetLastError());
    check(get_stats(a, &before) == expect_ws2send, "the statistics ioctl %s\n",
          expect_ws2send ? "failed: the DLL is not ws2send" : "answered: the DLL is ws2send");

    ret = p_sendto(a, "sendto", 6, 0, (struct sockaddr *)&b_addr, sizeof(b_addr));
    check(ret == 6, "sendto returned %d, error %d\n", ret, p_WSAGetLastError());
    ret = p_recv(b, buf, sizeof(buf), 0);
    check(ret == 6 && !memcmp(buf, "sendto", 6), "recv after sendto got %d bytes\n", ret);

    p_connect(a, (struct sockaddr *)&b_addr, sizeof(b_addr));
    ret = p_send(a, "send", 4, 0);
    check(ret == 4, "send returned %d, error %d\n", ret, p_WSAGetLastError());
    ret = p_recv(b, buf, sizeof(buf), 0);
    check(ret == 4 && !memcmp(buf, "send", 4), "recv after send got %d bytes\n", ret);

    ret = p_WSASend(a, &wsabuf, 1, &sent, 0, NULL, NULL);
    check(!ret && sent == 7, "WSASend returned %d, %lu bytes, error %d\n", ret, sent, p_WSAGetLastError());
    ret = p_recv(b, buf, sizeof(buf), 0);
    check(ret == 7 && !memcmp(buf, "wsasend", 7), "recv after WSASend got %d bytes\n", ret);

    if (expect_ws2send)
    {
        static const enum ws2send_entry_id entries[] =
            { WS2SEND_ENTRY_SENDTO, WS2SEND_ENTRY_SEND, WS2SEND_ENTRY_WSASEND };
        static const char *const names[] = { "sendto", "send", "WSASend" };

        check(get_stats(a, &after), "statistics after the sends\n");
        for (unsigned int i = 0; i < ARRAYSIZE(entries); i++)
        {
            unsigned int calls = ws2send_stats_entry_calls(&after, entries[i])
                                 - ws2send_stats_entry_calls(&before, entries[i]);
            check(calls == 1, "ws2send's providers counted %u calls of %s, expected 1\n", calls, names[i]);
        }
    }
    p_closesocket(a);
    p_closesocket(b);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "ws2send";
    BOOL expect_ws2send = strcmp(mode, "builtin") != 0, expect_host = strcmp(mode, "no-host") != 0;
    WCHAR path[MAX_PATH] = L"";
    HMODULE ws2, builtin = NULL;
    WSADATA data;
    int ret;

    if (argc > 2 && !strcmp(argv[2], "--hide-dll-dirs")) hide_dll_dirs();
    if (!expect_host)
    {
        hide_dll_dirs();
        hide_variable(L"WINEDATADIR");
    }

    ws2 = LoadLibraryExW(L"ws2_32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    check(ws2 != NULL, "LoadLibraryExW(ws2_32.dll, LOAD_LIBRARY_SEARCH_SYSTEM32) failed, error %lu\n",
          GetLastError());
    if (!ws2 || !resolve(ws2))
    {
        printf("system-load (%s, %s): %d passed, %d failed\n", arch, mode, passed, failed + 1);
        return failed + 1;
    }
    GetModuleFileNameW(ws2, path, MAX_PATH);
    check(in_system_directory(ws2), "ws2_32 came from %ls, not the system directory\n", path);
    check(is_ws2send(ws2) == expect_ws2send, "%ls is %s\n", path,
          expect_ws2send ? "not ws2send" : "ws2send, not Wine's builtin");

    ret = p_WSAStartup(MAKEWORD(2, 2), &data);
    if (!expect_host)
    {
        struct ws2send_stats stats;
        SOCKET s;

        /* Documented failures (ws2_32.exports), never a crash. */
        check(ret == WSASYSNOTREADY, "WSAStartup without a host returned %d\n", ret);
        s = p_socket(AF_INET, SOCK_DGRAM, 0);
        /* WSAGetLastError is forwarded too: ask kernel32. */
        check(s == INVALID_SOCKET && GetLastError() == WSAEOPNOTSUPP,
              "socket without a host returned %#Ix, error %lu\n", (ULONG_PTR)s, GetLastError());
        check(get_stats(INVALID_SOCKET, &stats), "the statistics ioctl needs no host and failed\n");
        check(other_ws2_32_modules(ws2, &builtin) == 0, "a second ws2_32.dll was loaded without a host\n");
    }
    else
    {
        unsigned int others;

        check(!ret, "WSAStartup returned %d\n", ret);
        exchange_udp(expect_ws2send);
        others = other_ws2_32_modules(ws2, &builtin);
        if (expect_ws2send)
        {
            WCHAR builtin_path[MAX_PATH] = L"";

            /* ws2send's host: Wine's builtin, loaded by its full path from
             * Wine's own directory, as a module of its own. */
            if (builtin) GetModuleFileNameW(builtin, builtin_path, MAX_PATH);
            check(others == 1, "%u other modules named ws2_32.dll, expected Wine's builtin alone\n", others);
            check(others == 1 && is_wine_builtin(builtin) && !is_ws2send(builtin) && !in_system_directory(builtin),
                  "the host %ls is not Wine's builtin from Wine's directory\n", builtin_path);
            printf("host: %ls\n", builtin ? builtin_path : L"(none)");
        }
        else
            check(others == 0, "%u other modules named ws2_32.dll beside the builtin\n", others);
        p_WSACleanup();
    }

    printf("system-load (%s, %s): %d passed, %d failed\n", arch, mode, passed, failed);
    return failed > 255 ? 255 : failed;
}
