/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stress.h"

static const char *option_text(const char *name)
{
    char **argv;
    int argc = winetest_get_mainargs(&argv);

    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], name)) return i + 1 < argc ? argv[i + 1] : "";
    return NULL;
}

BOOL stress_quick(void)
{
    return option_text("--quick") != NULL;
}

UINT64 stress_option(const char *name, UINT64 def)
{
    const char *text = option_text(name);

    return text && *text ? strtoull(text, NULL, 0) : def;
}

void figure(const char *fmt, ...)
{
    char line[512];
    va_list args;

    va_start(args, fmt);
    vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
    printf("figure: %s\n", line);
    fflush(stdout);
}

void rng_seed(struct rng *rng, UINT64 seed)
{
    rng->state = seed ? seed : 0x9e3779b97f4a7c15ull;
}

UINT32 rng_next(struct rng *rng)
{
    rng->state ^= rng->state >> 12;
    rng->state ^= rng->state << 25;
    rng->state ^= rng->state >> 27;
    return (UINT32)((rng->state * 0x2545f4914f6cdd1dull) >> 32);
}

UINT32 rng_below(struct rng *rng, UINT32 n)
{
    return (UINT32)(((UINT64)rng_next(rng) * n) >> 32);
}

UINT32 rng_log_range(struct rng *rng, UINT32 lo, UINT32 hi)
{
    unsigned int bits_lo = 0, bits_hi = 0;
    UINT32 top, value;

    while ((lo >> bits_lo) > 1) bits_lo++;
    while ((hi >> bits_hi) > 1) bits_hi++;
    top = 1u << (bits_lo + rng_below(rng, bits_hi - bits_lo + 1));
    value = top + rng_below(rng, top);
    return value < lo ? lo : value > hi ? hi : value;
}

BOOL join_thread(HANDLE thread, DWORD timeout_ms)
{
    return WaitForSingleObject(thread, timeout_ms) == WAIT_OBJECT_0;
}

BOOL wait_writable(SOCKET s, DWORD timeout_ms)
{
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    fd_set writable, failed;

    FD_ZERO(&writable);
    FD_SET(s, &writable);
    FD_ZERO(&failed);
    FD_SET(s, &failed);
    return select(0, NULL, &writable, &failed, &tv) > 0;
}

BOOL is_windows_error(int error)
{
    return (error >= WSABASEERR + 4 && error <= WSABASEERR + 112)
        || (error >= WSA_INVALID_HANDLE && error <= WSA_NOT_ENOUGH_MEMORY)
        || (error >= WSA_OPERATION_ABORTED && error <= WSA_IO_PENDING)
        || error == WSA_INVALID_PARAMETER;
}

/* NtQuerySystemInformation(SystemHandleInformation): every handle of every
 * process, each entry naming its owner. */
#define SYSTEM_HANDLE_INFORMATION_CLASS 16

struct system_handle_entry
{
    ULONG owner_pid;
    BYTE object_type;
    BYTE flags;
    USHORT value;
    void *object;
    ULONG access;
};

struct system_handle_list
{
    ULONG count;
    struct system_handle_entry entries[1];
};

static DWORD count_handles_from_system_list(void)
{
    LONG (WINAPI *query)(ULONG, void *, ULONG, ULONG *) =
        (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    ULONG size = 1 << 16, got = 0, pid = GetCurrentProcessId();
    struct system_handle_list *list = NULL;
    DWORD count = 0;
    LONG status;

    if (!query) return 0;
    do
    {
        HeapFree(GetProcessHeap(), 0, list);
        size *= 2;
        if (!(list = HeapAlloc(GetProcessHeap(), 0, size))) return 0;
        status = query(SYSTEM_HANDLE_INFORMATION_CLASS, list, size, &got);
    } while (status == (LONG)0xc0000004 /* STATUS_INFO_LENGTH_MISMATCH */ && size < (64u << 20));
    if (!status)
        for (ULONG i = 0; i < list->count; i++)
            if (list->entries[i].owner_pid == pid) count++;
    HeapFree(GetProcessHeap(), 0, list);
    return count;
}

DWORD handle_count(void)
{
    DWORD count = 0;

    /* Wine 8's GetProcessHandleCount is a stub that answers 0. */
    if (GetProcessHandleCount(GetCurrentProcess(), &count) && count) return count;
    return count_handles_from_system_list();
}

BOOL host_fd_count(const char *label, int *total, int *sockets)
{
    char dir[MAX_PATH], path[MAX_PATH + 64];
    DWORD len = GetEnvironmentVariableA("WS2SEND_STRESS_FD_PROBE", dir, sizeof(dir));
    UINT64 start = now_ms();
    HANDLE file;

    if (!len || len >= sizeof(dir)) return FALSE;
    snprintf(path, sizeof(path), "%s\\%s.request", dir, label);
    file = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return FALSE;
    CloseHandle(file);

    snprintf(path, sizeof(path), "%s\\%s.count", dir, label);
    while (now_ms() - start < 10000)
    {
        FILE *answer = fopen(path, "r");

        if (answer)
        {
            int got = fscanf(answer, "%d %d", total, sockets);

            fclose(answer);
            if (got == 2)
            {
                DeleteFileA(path);
                return TRUE;
            }
        }
        Sleep(20);
    }
    return FALSE;
}
