/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * WSAStartup and WSACleanup pass through to the host; ws2send only counts
 * them, so that its own entry points can answer WSANOTINITIALISED before the
 * first WSAStartup and after the last WSACleanup, as Windows' do (sdk-api
 * send, WSASend, ...: "A successful WSAStartup call must occur before using
 * this function").  Wine's builtin send path does not check.
 */
#include "api.h"
#include "host.h"

static LONG startup_count;

BOOL api_started(void)
{
    /* An aligned LONG read is atomic, and x86 loads are acquire loads. */
    return *(volatile LONG *)&startup_count > 0;
}

int WINAPI WSAStartup(WORD version, WSADATA *data)
{
    static int (WINAPI *host_startup)(WORD, WSADATA *);
    int ret;

    if (!host_available() || !(host_startup = (void *)host_proc("WSAStartup")))
        return WSASYSNOTREADY;
    if (!(ret = host_startup(version, data)))
        InterlockedIncrement(&startup_count);
    return ret;
}

int WINAPI WSACleanup(void)
{
    static int (WINAPI *host_cleanup)(void);
    int ret;

    if (!host_available() || !(host_cleanup = (void *)host_proc("WSACleanup")))
        return api_fail(WSANOTINITIALISED);
    if (!(ret = host_cleanup()))
        InterlockedDecrement(&startup_count);
    return ret;
}
