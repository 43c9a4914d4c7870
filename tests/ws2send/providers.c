/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Which provider serves what: checks that could not pass through Wine's
 * builtin, because they read ws2send's statistics or ask for behaviour the
 * builtin lacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The ws2_32.dll this program imports (two modules of that name are loaded
 * under ws2send: it and the host it forwards to). */
static HMODULE our_ws2_32(void)
{
    HMODULE module = NULL;

    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (const char *)(void *)send, &module);
    return module;
}

static unsigned int entry_total(const struct ws2send_stats *stats, enum ws2send_entry_id entry)
{
    unsigned int total = 0;

    for (unsigned int p = 0; p < WS2SEND_PROVIDER_COUNT; p++) total += stats->calls[entry][p];
    return total;
}

/* Every send entry point, and the WSASendMsg pointer from WSAIoctl, reach
 * ws2send's provider layer. */
static void test_entry_points(void)
{
    GUID guid = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG pWSASendMsg = NULL;
    struct ws2send_stats before, after;
    struct sockaddr_in dst_addr, src_addr;
    SOCKET src, dst;
    WSABUF wsabuf = { 5, (char *)"hello" };
    WSAMSG msg;
    DWORD size = 0, sent;
    char buf[16];
    int ret;

    dst = udp_bound(&dst_addr);
    src = udp_bound(&src_addr);
    ok(get_stats(src, &before), "no statistics: not ws2send?\n");
    ok(before.size == sizeof(before) && before.version == 1, "size %u version %u\n", before.size, before.version);

    ret = WSAIoctl(src, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &pWSASendMsg,
                   sizeof(pWSASendMsg), &size, NULL, NULL);
    ok(!ret && size == sizeof(void *), "lookup: %d, size %lu\n", ret, size);
    ok((void *)pWSASendMsg == (void *)GetProcAddress(our_ws2_32(), "WSASendMsg"),
       "the extension pointer is not ws2send's WSASendMsg export\n");

    ok(sendto(src, "hello", 5, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr)) == 5, "sendto\n");
    ok(!WSASendTo(src, &wsabuf, 1, &sent, 0, (struct sockaddr *)&dst_addr, sizeof(dst_addr), NULL, NULL), "WSASendTo\n");
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&dst_addr;
    msg.namelen = sizeof(dst_addr);
    msg.lpBuffers = &wsabuf;
    msg.dwBufferCount = 1;
    ok(pWSASendMsg && !pWSASendMsg(src, &msg, 0, &sent, NULL, NULL), "WSASendMsg (pointer)\n");
    ok(!WSASendMsg(src, &msg, 0, &sent, NULL, NULL), "WSASendMsg (export)\n");
    connect(src, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
    ok(send(src, "hello", 5, 0) == 5, "send\n");
    ok(!WSASend(src, &wsabuf, 1, &sent, 0, NULL, NULL), "WSASend\n");
    for (int i = 0; i < 6; i++) recv(dst, buf, sizeof(buf), 0);

    ok(get_stats(src, &after), "no statistics\n");
    ok(after.extension_lookups > before.extension_lookups, "lookup not counted\n");
    ok(entry_total(&after, WS2SEND_ENTRY_SEND) == entry_total(&before, WS2SEND_ENTRY_SEND) + 1, "send not counted\n");
    ok(entry_total(&after, WS2SEND_ENTRY_SENDTO) == entry_total(&before, WS2SEND_ENTRY_SENDTO) + 1, "sendto not counted\n");
    ok(entry_total(&after, WS2SEND_ENTRY_WSASEND) == entry_total(&before, WS2SEND_ENTRY_WSASEND) + 1, "WSASend not counted\n");
    ok(entry_total(&after, WS2SEND_ENTRY_WSASENDTO) == entry_total(&before, WS2SEND_ENTRY_WSASENDTO) + 1, "WSASendTo not counted\n");
    ok(entry_total(&after, WS2SEND_ENTRY_WSASENDMSG) == entry_total(&before, WS2SEND_ENTRY_WSASENDMSG) + 2, "WSASendMsg not counted\n");
    ok(after.default_provider == WS2SEND_PROVIDER_WINE_AFD, "default provider %u under Wine\n", after.default_provider);
    if (fastpath_enabled())
        ok(stats_provider_total(&after, WS2SEND_PROVIDER_HOST_FAST) >= stats_provider_total(&before, WS2SEND_PROVIDER_HOST_FAST) + 6,
           "the fast path served %u of 6 sends on a bound UDP socket\n",
           stats_provider_total(&after, WS2SEND_PROVIDER_HOST_FAST) - stats_provider_total(&before, WS2SEND_PROVIDER_HOST_FAST));
    else
        ok(stats_provider_total(&after, WS2SEND_PROVIDER_HOST_FAST) == stats_provider_total(&before, WS2SEND_PROVIDER_HOST_FAST),
           "the fast path served sends with WS2SEND_FASTPATH=0\n");
    closesocket(src);
    closesocket(dst);
}

/* Overlapped sends and sends with flags always go through Wine's driver. */
static void test_overlapped_goes_to_wine(void)
{
    struct ws2send_stats before, after;
    struct sockaddr_in dst_addr, src_addr;
    WSABUF wsabuf = { 5, (char *)"hello" };
    WSAOVERLAPPED ov;
    SOCKET src, dst;
    DWORD sent, flags;
    int ret;

    dst = udp_bound(&dst_addr);
    src = udp_bound(&src_addr);
    connect(src, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
    get_stats(src, &before);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ret = WSASend(src, &wsabuf, 1, NULL, 0, &ov, NULL);
    ok(!ret || WSAGetLastError() == WSA_IO_PENDING, "got %d, error %d\n", ret, WSAGetLastError());
    ok(WSAGetOverlappedResult(src, &ov, &sent, TRUE, &flags) && sent == 5, "sent %lu\n", sent);
    ret = send(src, "x", 1, MSG_DONTROUTE);
    ok(ret == 1, "send(MSG_DONTROUTE) got %d, error %d\n", ret, WSAGetLastError());
    get_stats(src, &after);
    ok(after.calls[WS2SEND_ENTRY_WSASEND][WS2SEND_PROVIDER_WINE_AFD] == before.calls[WS2SEND_ENTRY_WSASEND][WS2SEND_PROVIDER_WINE_AFD] + 1,
       "the overlapped send did not go through Wine's driver\n");
    ok(after.calls[WS2SEND_ENTRY_SEND][WS2SEND_PROVIDER_WINE_AFD] == before.calls[WS2SEND_ENTRY_SEND][WS2SEND_PROVIDER_WINE_AFD] + 1,
       "the flagged send did not go through Wine's driver\n");
    WSACloseEvent(ov.hEvent);
    closesocket(src);
    closesocket(dst);
}

/* Before WSAStartup and after the last WSACleanup every send entry point
 * fails with WSANOTINITIALISED (sdk-api send, sendto, WSASend, WSASendTo,
 * WSASendMsg: "A successful WSAStartup call must occur before using this
 * function"; documentation only, unverified on Windows).  Wine's builtin
 * answers WSAENOTSOCK. */
static void check_not_initialised(const char *when)
{
    WSABUF wsabuf = { 1, (char *)"x" };
    struct sockaddr_in addr = { AF_INET };
    WSAMSG msg = { 0 };
    DWORD sent;
    int ret;

    winetest_push_context("%s", when);
    SetLastError(0xdeadbeef);
    ret = send(INVALID_SOCKET, "x", 1, 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "send: %d, error %d\n", ret, WSAGetLastError());
    SetLastError(0xdeadbeef);
    ret = sendto(INVALID_SOCKET, "x", 1, 0, (struct sockaddr *)&addr, sizeof(addr));
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "sendto: %d, error %d\n", ret, WSAGetLastError());
    SetLastError(0xdeadbeef);
    ret = WSASend(INVALID_SOCKET, &wsabuf, 1, &sent, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "WSASend: %d, error %d\n", ret, WSAGetLastError());
    SetLastError(0xdeadbeef);
    ret = WSASendTo(INVALID_SOCKET, &wsabuf, 1, &sent, 0, (struct sockaddr *)&addr, sizeof(addr), NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "WSASendTo: %d, error %d\n", ret, WSAGetLastError());
    SetLastError(0xdeadbeef);
    ret = WSASendMsg(INVALID_SOCKET, &msg, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "WSASendMsg: %d, error %d\n", ret, WSAGetLastError());
    winetest_pop_context();
}

/* Exports the host lacks (Wine 8 has no Wah* helpers, no WSAConnectByList,
 * no GetAddrInfoExA, ...) fail the way each function documents failure,
 * without crashing; on i686 the stub must pop exactly the stdcall arguments. */
static BOOL host_has(const char *name)
{
    char path[MAX_PATH];
    HMODULE host;

    GetSystemDirectoryA(path, MAX_PATH);
    strcat(path, "\\ws2_32.dll");
    host = LoadLibraryA(path);
    return host && host != our_ws2_32() && GetProcAddress(host, name);
}

#ifdef __i386__
/* Calls a stdcall function of nargs zero arguments; returns its result and
 * whether the stack pointer came back where it was. */
static INT_PTR call_checking_stack(FARPROC func, int nargs, BOOL *balanced)
{
    INT_PTR ret;
    DWORD before, after;

    __asm__ volatile ("movl %%esp, %%esi\n\t"
                      "movl %[n], %%ecx\n\t"
                      "1: jecxz 2f\n\t"
                      "pushl $0\n\t"
                      "decl %%ecx\n\t"
                      "jmp 1b\n\t"
                      "2: call *%[f]\n\t"
                      "movl %%esp, %%edi\n\t"
                      "movl %%esi, %%esp\n\t"
                      : "=a"(ret), "=S"(before), "=D"(after)
                      : [f] "r"(func), [n] "r"(nargs)
                      : "ecx", "edx", "memory");
    *balanced = before == after;
    return ret;
}
#else
static INT_PTR call_checking_stack(FARPROC func, int nargs, BOOL *balanced)
{
    *balanced = TRUE;
    return ((INT_PTR (WINAPI *)(INT_PTR, INT_PTR, INT_PTR, INT_PTR, INT_PTR, INT_PTR, INT_PTR, INT_PTR,
                                INT_PTR, INT_PTR))func)(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
#endif

static void test_missing_host_exports(void)
{
    static const struct
    {
        const char *name;
        int nargs;
        INT_PTR ret;        /* expected return value */
        DWORD error;        /* expected last error, 0: not checked */
    }
    tests[] =
    {
        /* Wah* helpers return an error code. */
        { "WahOpenCurrentThread", 2, WSAEOPNOTSUPP, 0 },
        /* BOOL with the error in the thread's last error. */
        { "WSAConnectByList", 8, FALSE, WSAEOPNOTSUPP },
        /* getaddrinfo family: the error code is the return value. */
        { "GetAddrInfoExA", 10, WSANO_RECOVERY, 0 },
        /* SOCKET_ERROR with WSAGetLastError. */
        { "WSAAdvertiseProvider", 2, SOCKET_ERROR, WSAEOPNOTSUPP },
    };
    HMODULE ws2 = our_ws2_32();

    for (unsigned int i = 0; i < ARRAYSIZE(tests); i++)
    {
        FARPROC func = GetProcAddress(ws2, tests[i].name);
        BOOL balanced;
        INT_PTR ret;

        winetest_push_context("%s", tests[i].name);
        ok(func != NULL, "not exported\n");
        if (!func || host_has(tests[i].name))
        {
            skip("the host has it\n");
            winetest_pop_context();
            continue;
        }
        SetLastError(0xdeadbeef);
        ret = call_checking_stack(func, tests[i].nargs, &balanced);
        ok((int)ret == (int)tests[i].ret, "got %d\n", (int)ret);
        if (tests[i].error) ok(GetLastError() == tests[i].error, "got error %lu\n", GetLastError());
        ok(balanced, "the stub did not pop %d arguments\n", tests[i].nargs);
        winetest_pop_context();
    }
}

/* Sends traced datagrams until the process ends. */
static DWORD WINAPI flood_thread(void *arg)
{
    const struct sockaddr_in *dst = arg;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);

    for (;;) sendto(s, "x", 1, 0, (const struct sockaddr *)dst, sizeof(*dst));
    return 0;
}

#define EXIT_LINE_SENDS 25

/* The child: EXIT_LINE_SENDS sends, then ends the process while four
 * threads are sending, each send logged (WS2SEND_DEBUG=trace). */
static void exit_line_child(void)
{
    struct sockaddr_in dst_addr, src_addr;
    SOCKET dst, src;
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    dst = udp_bound(&dst_addr);
    src = udp_bound(&src_addr);
    connect(src, (struct sockaddr *)&dst_addr, sizeof(dst_addr));
    for (int i = 0; i < EXIT_LINE_SENDS; i++) send(src, "x", 1, 0);
    for (int i = 0; i < 4; i++) CloseHandle(CreateThread(NULL, 0, flood_thread, &dst_addr, 0, NULL));
    /* Lets the threads reach their loop; no outcome depends on how long. */
    Sleep(300);
    ExitProcess(0);
}

static char *saved_variable(const char *name)
{
    DWORD len = GetEnvironmentVariableA(name, NULL, 0);
    char *value;

    if (!len || !(value = malloc(len))) return NULL;
    GetEnvironmentVariableA(name, value, len);
    return value;
}

/* At info level and above ws2send logs, as the process ends, the sends of
 * each entry point by route, for programs that cannot ask its statistics
 * (tools/run_go_net_tests.sh sums them).  ExitProcess ends the other
 * threads first, possibly inside the logger holding its lock: the line must
 * come anyway and the process end.  Three children, as a thread caught in
 * the logger is likely, not certain. */
static void test_exit_line(const char *self)
{
    char *debug = saved_variable("WS2SEND_DEBUG"), *log_file = saved_variable("WS2SEND_LOG_FILE");
    char *log_stderr = saved_variable("WS2SEND_LOG_STDERR");
    char dir[MAX_PATH], path[MAX_PATH], cmdline[MAX_PATH + 32], text[4096];
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    STARTUPINFOA startup = { sizeof(startup) };
    PROCESS_INFORMATION info;
    HANDLE nul, file;
    DWORD got;

    nul = CreateFileA("NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdOutput = startup.hStdError = nul;
    GetTempPathA(sizeof(dir), dir);
    snprintf(cmdline, sizeof(cmdline), "\"%s\" providers exit-line-child", self);
    for (int run = 0; run < 3; run++)
    {
        unsigned int fast = 0, afd = 0, api = 0, sends = 0;
        const char *line;

        winetest_push_context("child %d", run);
        GetTempFileNameA(dir, "ws2", 0, path);
        SetEnvironmentVariableA("WS2SEND_DEBUG", "trace");
        SetEnvironmentVariableA("WS2SEND_LOG_FILE", path);
        SetEnvironmentVariableA("WS2SEND_LOG_STDERR", "0");
        ok(CreateProcessA(NULL, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &info),
           "cannot start the child: error %lu\n", GetLastError());
        SetEnvironmentVariableA("WS2SEND_DEBUG", debug);
        SetEnvironmentVariableA("WS2SEND_LOG_FILE", log_file);
        SetEnvironmentVariableA("WS2SEND_LOG_STDERR", log_stderr);
        ok(!WaitForSingleObject(info.hProcess, 30000), "the child hangs at its exit\n");
        TerminateProcess(info.hProcess, 1);
        WaitForSingleObject(info.hProcess, 5000);
        CloseHandle(info.hProcess);
        CloseHandle(info.hThread);

        /* The exit line is the file's last. */
        memset(text, 0, sizeof(text));
        file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
        if (file != INVALID_HANDLE_VALUE)
        {
            LARGE_INTEGER size = { 0 };

            GetFileSizeEx(file, &size);
            if (size.QuadPart > (LONGLONG)sizeof(text) - 1)
                SetFilePointer(file, (LONG)(size.QuadPart - (LONGLONG)sizeof(text) + 1), NULL, FILE_BEGIN);
            ReadFile(file, text, sizeof(text) - 1, &got, NULL);
            CloseHandle(file);
        }
        line = strstr(text, "provider_log_summary sends: ");
        ok(line != NULL, "no exit line; the log ends with %s\n", text + (strlen(text) > 200 ? strlen(text) - 200 : 0));
        if (line) sscanf(line, "provider_log_summary sends: %u on the host, %u through Wine's driver, "
                         "%u through the host's ws2_32 (send %u,", &fast, &afd, &api, &sends);
        /* The flooding threads use sendto: send counts the child's own. */
        ok(sends == EXIT_LINE_SENDS, "send: %u\n", sends);
        ok(fastpath_enabled() ? fast >= EXIT_LINE_SENDS : afd >= EXIT_LINE_SENDS && !fast,
           "on the host %u, through Wine's driver %u\n", fast, afd);
        ok(!api, "through the host's ws2_32 %u\n", api);
        DeleteFileA(path);
        winetest_pop_context();
    }
    CloseHandle(nul);
    free(debug);
    free(log_file);
    free(log_stderr);
}

START_TEST(providers)
{
    WSADATA data;
    char **argv;
    int argc = winetest_get_mainargs(&argv);

    if (argc >= 3 && !strcmp(argv[2], "exit-line-child")) exit_line_child();

    check_not_initialised("before WSAStartup");
    WSAStartup(MAKEWORD(2, 2), &data);
    WSAStartup(MAKEWORD(2, 2), &data);
    WSACleanup();
    WSACleanup();
    check_not_initialised("after WSACleanup");
    WSAStartup(MAKEWORD(2, 2), &data);
    test_entry_points();
    test_overlapped_goes_to_wine();
    test_missing_host_exports();
    test_exit_line(argv[0]);
    WSACleanup();
}
