/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "forward.h"
#include "host.h"
#include "log.h"

void forward_bind(HMODULE host)
{
    unsigned int missing = 0;

    for (unsigned int i = 0; i < forward_count; i++)
    {
        void *target = host ? (void *)GetProcAddress(host, forward_exports[i].name) : NULL;

        if (!target)
        {
            target = forward_exports[i].missing;
            missing++;
        }
        /* Another thread may be jumping through the slot right now: it sees
         * either the lazy entry (and waits in host_bind) or the target. */
        InterlockedExchangePointer(&forward_slots[i], target);
    }
    INFO("%u exports forwarded, %u of them missing in the host", forward_count, missing);
}

void *__cdecl forward_lazy_bind(unsigned int index)
{
    /* Binding may fail lookups; the caller's last error (WSAGetLastError
     * is forwarded too) must survive it. */
    DWORD error = GetLastError();

    host_bind();
    SetLastError(error);
    return forward_slots[index];
}

static void report_missing(unsigned int index)
{
    static LONG reported[512];

    if (index < ARRAYSIZE(reported) && !InterlockedExchange(&reported[index], 1))
        ERR("%s is not provided by the host ws2_32.dll; failing the call", forward_exports[index].name);
}

INT_PTR forward_missing_sockerr(unsigned int index, int error)
{
    report_missing(index);
    SetLastError(error);
    return -1;  /* SOCKET_ERROR, and INVALID_SOCKET in full width */
}

INT_PTR forward_missing_null(unsigned int index, int error)
{
    report_missing(index);
    SetLastError(error);
    return 0;
}

INT_PTR forward_missing_false(unsigned int index, int error)
{
    report_missing(index);
    SetLastError(error);
    return FALSE;
}

INT_PTR forward_missing_allones(unsigned int index, int error)
{
    report_missing(index);
    SetLastError(error);
    return (INT_PTR)(ULONG)~0u;
}

INT_PTR forward_missing_return(unsigned int index, int error)
{
    report_missing(index);
    return error;
}

INT_PTR forward_missing_lasterrarg(unsigned int index, int *last_error, int error)
{
    report_missing(index);
    if (last_error) *last_error = error;
    return -1;
}

INT_PTR forward_missing_void(unsigned int index)
{
    report_missing(index);
    return 0;
}
