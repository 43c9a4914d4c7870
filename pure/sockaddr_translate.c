/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "ws2send/sockaddr_translate.h"

/* Offsets shared by both systems' sockaddr_in and sockaddr_in6. */
#define SA_PORT_OFFSET      2
#define SIN_ZERO_OFFSET     8
#define SIN_ZERO_SIZE       8

size_t ws2s_sockaddr_family_len(int win_family)
{
    switch (win_family)
    {
    case WS2S_AF_INET:  return WS2S_SOCKADDR_IN_SIZE;
    case WS2S_AF_INET6: return WS2S_SOCKADDR_IN6_SIZE;
    default:            return 0;
    }
}

int ws2s_sockaddr_win_family(const void *win, int win_len, int *family)
{
    const unsigned char *bytes = win;

    if (!win || win_len < WS2S_SOCKADDR_FAMILY_SIZE) return WS2S_WSAEFAULT;
    /* ADDRESS_FAMILY is a USHORT; Windows is little-endian. */
    *family = bytes[0] | (bytes[1] << 8);
    return 0;
}

/* Checks win and returns the Windows structure size to copy, or sets *error. */
static size_t check_win(const void *win, int win_len, int *family, int *error)
{
    size_t size;

    if ((*error = ws2s_sockaddr_win_family(win, win_len, family))) return 0;
    if (!(size = ws2s_sockaddr_family_len(*family)))
    {
        *error = WS2S_WSAEAFNOSUPPORT;
        return 0;
    }
    if ((size_t)win_len < size)
    {
        *error = WS2S_WSAEFAULT;
        return 0;
    }
    return size;
}

int ws2s_sockaddr_to_linux(const void *win, int win_len, void *out, size_t out_size,
                           size_t *out_len)
{
    uint16_t lnx_family;
    int family, error;
    size_t size;

    if (!(size = check_win(win, win_len, &family, &error))) return error;
    if (out_size < size) return WS2S_WSAENOBUFS;

    /* Same layout past the family: sin_port/sin_addr/sin_zero, or
     * sin6_port/sin6_flowinfo/sin6_addr/sin6_scope_id. */
    memcpy(out, win, size);
    /* sa_family_t is a host-order unsigned short. */
    lnx_family = family == WS2S_AF_INET ? LNX_AF_INET : LNX_AF_INET6;
    memcpy(out, &lnx_family, sizeof(lnx_family));
    /* Linux ignores sin_zero; clear it rather than pass on caller bytes. */
    if (family == WS2S_AF_INET) memset((unsigned char *)out + SIN_ZERO_OFFSET, 0, SIN_ZERO_SIZE);
    *out_len = size;
    return 0;
}

int ws2s_sockaddr_win_port(const void *win, int win_len)
{
    const unsigned char *bytes = win;
    int family, error;

    if (!check_win(win, win_len, &family, &error)) return -1;
    return (bytes[SA_PORT_OFFSET] << 8) | bytes[SA_PORT_OFFSET + 1];
}
