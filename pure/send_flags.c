/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>

#include "ws2send/send_flags.h"

int ws2s_send_flags_check(uint32_t flags, enum ws2s_send_api api, int sock_type)
{
    /* See send_flags.h for the source of each rule. */
    if (api == WS2S_API_WSASENDMSG && sock_type == WS2S_SOCK_STREAM) return WS2S_WSAEINVAL;
    if (flags & ~(uint32_t)WS2S_SEND_FLAGS_VALID) return WS2S_WSAEOPNOTSUPP;
    if (sock_type != WS2S_SOCK_STREAM && (flags & WS2S_MSG_OOB)) return WS2S_WSAEOPNOTSUPP;
    return 0;
}

uint32_t ws2s_send_flags_to_linux(uint32_t flags)
{
    return (flags & WS2S_MSG_OOB) ? LNX_MSG_OOB : 0;
}

int ws2s_wsamsg_check(const void *name, int namelen, const void *buffers, uint32_t buffer_count)
{
    if (!name && namelen) return WS2S_WSAEFAULT;
    if (!buffers && buffer_count) return WS2S_WSAEFAULT;
    return 0;
}
