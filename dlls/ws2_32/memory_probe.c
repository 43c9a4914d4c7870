/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Probing caller memory: a wild pointer gets WSAEFAULT, never a crash.
 */
#include <windows.h>

#include "memory_probe.h"

/* Wine's IsBadReadPtr and IsBadWritePtr catch access violations only (on
 * Windows they catch every exception): touching a guard page raises
 * STATUS_GUARD_PAGE_VIOLATION, which would end the process.  That first
 * touch has already taken the guard off, so a probe of ours simply goes on
 * and finds the page usable.  Other threads' guard pages are left alone. */
static DWORD probing_tls = TLS_OUT_OF_INDEXES;
static void *guard_page_handler;

static LONG CALLBACK resume_probe_after_guard_page(EXCEPTION_POINTERS *ptrs)
{
    DWORD error;
    BOOL probing;

    if (ptrs->ExceptionRecord->ExceptionCode != STATUS_GUARD_PAGE_VIOLATION) return EXCEPTION_CONTINUE_SEARCH;
    error = GetLastError();
    probing = TlsGetValue(probing_tls) != NULL;
    SetLastError(error);
    return probing ? EXCEPTION_CONTINUE_EXECUTION : EXCEPTION_CONTINUE_SEARCH;
}

void memory_probe_attach(void)
{
    if ((probing_tls = TlsAlloc()) != TLS_OUT_OF_INDEXES)
        guard_page_handler = AddVectoredExceptionHandler(TRUE, resume_probe_after_guard_page);
}

void memory_probe_detach(void)
{
    if (guard_page_handler) RemoveVectoredExceptionHandler(guard_page_handler);
    guard_page_handler = NULL;
}

BOOL memory_readable(const void *ptr, SIZE_T len)
{
    BOOL bad;

    if (!len) return TRUE;
    if (!ptr) return FALSE;
    TlsSetValue(probing_tls, (void *)1);
    bad = IsBadReadPtr(ptr, len);
    TlsSetValue(probing_tls, NULL);
    return !bad;
}

BOOL memory_writable(void *ptr, SIZE_T len)
{
    BOOL bad;

    if (!len) return TRUE;
    if (!ptr) return FALSE;
    TlsSetValue(probing_tls, (void *)1);
    bad = IsBadWritePtr(ptr, len);
    TlsSetValue(probing_tls, NULL);
    return !bad;
}
