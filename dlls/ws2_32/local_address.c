/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Whether an IPv4 address is assigned to one of this machine's interfaces,
 * asked of iphlpapi (Wine answers from the host's interfaces).  Windows sends
 * a datagram with an IP_PKTINFO source only from such an address and refuses
 * any other with WSAEINVAL, 127.0.0.2 included (envoyproxy/envoy#12820);
 * Linux takes every address of a local route, all of 127.0.0.0/8 among them.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>

#include "local_address.h"
#include "log.h"

static DWORD (WINAPI *pGetIpAddrTable)(MIB_IPADDRTABLE *, ULONG *, BOOL);

static BOOL CALLBACK load_iphlpapi(INIT_ONCE *once, void *param, void **context)
{
    HMODULE module = LoadLibraryW(L"iphlpapi.dll");

    if (module) pGetIpAddrTable = (void *)GetProcAddress(module, "GetIpAddrTable");
    if (!pGetIpAddrTable) WARN("no GetIpAddrTable; IP_PKTINFO sources in 127.0.0.0/8 other than 127.0.0.1 are refused");
    return TRUE;
}

static BOOL assigned(const IN_ADDR *addr)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    MIB_IPADDRTABLE *table = NULL;
    ULONG size = 0;
    BOOL found = FALSE;
    DWORD i, ret;

    /* When the table cannot be had, the one loopback address every machine
     * has is 127.0.0.1, which the caller lets through already. */
    InitOnceExecuteOnce(&once, load_iphlpapi, NULL, NULL);
    if (!pGetIpAddrTable) return FALSE;
    while ((ret = pGetIpAddrTable(table, &size, FALSE)) == ERROR_INSUFFICIENT_BUFFER)
    {
        HeapFree(GetProcessHeap(), 0, table);
        if (!(table = HeapAlloc(GetProcessHeap(), 0, size))) return FALSE;
    }
    if (ret == NO_ERROR)
        for (i = 0; i < table->dwNumEntries && !found; i++)
            found = table->table[i].dwAddr == addr->s_addr;
    else
        WARN("GetIpAddrTable failed with %lu; taking %u.%u.%u.%u for an address no interface has",
             ret, addr->S_un.S_un_b.s_b1, addr->S_un.S_un_b.s_b2, addr->S_un.S_un_b.s_b3, addr->S_un.S_un_b.s_b4);
    HeapFree(GetProcessHeap(), 0, table);
    return found;
}

BOOL local_source_allowed(const unsigned char addr[4])
{
    IN_ADDR in;

    memcpy(&in, addr, sizeof(in));
    /* Outside 127.0.0.0/8 Linux already refuses an address that is not
     * local (EINVAL, WSAEINVAL through Wine); the wildcard asks for nothing. */
    if (addr[0] != 127 || in.s_addr == htonl(INADDR_LOOPBACK)) return TRUE;
    return assigned(&in);
}
