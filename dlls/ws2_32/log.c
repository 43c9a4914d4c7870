/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

enum log_level log_level = LOG_ERR;

static int (__cdecl *wine_dbg_output)(const char *);
static HANDLE log_file = INVALID_HANDLE_VALUE;
static SRWLOCK log_lock = SRWLOCK_INIT;
static BOOL process_exiting;

static const char *const level_names[] = { "none", "err", "warn", "info", "trace" };

/* Runs from DllMain: only kernel32 and ntdll calls, nothing that loads. */
void log_init(void)
{
    char value[MAX_PATH];
    DWORD len;

    len = GetEnvironmentVariableA("WS2SEND_DEBUG", value, sizeof(value));
    if (len && len < sizeof(value))
    {
        for (unsigned int i = 0; i < ARRAYSIZE(level_names); i++)
            if (!_stricmp(value, level_names[i])) log_level = i;
    }

    wine_dbg_output = (void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "__wine_dbg_output");

    len = GetEnvironmentVariableA("WS2SEND_LOG_FILE", value, sizeof(value));
    if (len && len < sizeof(value))
        log_file = CreateFileA(value, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

void log_message(enum log_level level, const char *function, const char *format, ...)
{
    DWORD error = GetLastError();
    BOOL locked = TRUE;
    char line[1024];
    va_list args;
    int len;

    /* Same shape as Wine's own channels: "tid:level:channel:function message". */
    len = snprintf(line, sizeof(line), "%04lx:%s:ws2send:%s ", GetCurrentThreadId(),
                   level_names[level], function);
    va_start(args, format);
    vsnprintf(line + len, sizeof(line) - len, format, args);
    va_end(args);
    len = strlen(line);
    if (len && line[len - 1] != '\n' && len < (int)sizeof(line) - 1)
    {
        line[len++] = '\n';
        line[len] = 0;
    }

    /* At process exit the other threads are gone, and one may have been
     * ended holding the lock: write without it then. */
    if (!process_exiting) AcquireSRWLockExclusive(&log_lock);
    else locked = TryAcquireSRWLockExclusive(&log_lock);
    if (wine_dbg_output)
        wine_dbg_output(line);
    else
        fputs(line, stderr);
    if (log_file != INVALID_HANDLE_VALUE)
    {
        DWORD written;
        WriteFile(log_file, line, len, &written, NULL);
    }
    if (locked) ReleaseSRWLockExclusive(&log_lock);
    SetLastError(error);
}

void log_process_exiting(void)
{
    process_exiting = TRUE;
}
