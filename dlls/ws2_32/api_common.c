/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "api.h"
#include "log.h"
#include "provider.h"
#include "ws2send/send_flags.h"

int api_socket_error(SOCKET s, int error)
{
    int type;

    if (provider_socket_type(s, &type) == WSAENOTSOCK) return WSAENOTSOCK;
    return error;
}

static enum ws2s_send_api pure_api(enum ws2send_entry_id entry)
{
    switch (entry)
    {
    case WS2SEND_ENTRY_SEND:       return WS2S_API_SEND;
    case WS2SEND_ENTRY_SENDTO:     return WS2S_API_SENDTO;
    case WS2SEND_ENTRY_WSASEND:    return WS2S_API_WSASEND;
    case WS2SEND_ENTRY_WSASENDTO:  return WS2S_API_WSASENDTO;
    default:                       return WS2S_API_WSASENDMSG;
    }
}

int api_check_flags(SOCKET s, enum ws2send_entry_id entry, DWORD flags)
{
    int type, error;

    /* The common case costs nothing: no flags, no socket query. */
    if (!flags || !api_started()) return 0;
    if ((error = provider_socket_type(s, &type))) return error;
    return ws2s_send_flags_check(flags, pure_api(entry), type);
}

void api_implicit_bind(SOCKET s, const struct sockaddr *name, int name_len)
{
    union
    {
        struct sockaddr addr;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
    } local, wildcard;
    int len = sizeof(local);
    DWORD error = GetLastError();

    if (!name || name_len < (int)sizeof(name->sa_family) || !memory_readable(name, sizeof(name->sa_family)))
        return;
    if (!getsockname(s, &local.addr, &len) || WSAGetLastError() != WSAEINVAL)
        return;  /* already bound, or not a socket */

    memset(&wildcard, 0, sizeof(wildcard));
    wildcard.addr.sa_family = name->sa_family;
    if (name->sa_family == AF_INET)
        bind(s, &wildcard.addr, sizeof(wildcard.in));
    else if (name->sa_family == AF_INET6)
        bind(s, &wildcard.addr, sizeof(wildcard.in6));
    SetLastError(error);
}
