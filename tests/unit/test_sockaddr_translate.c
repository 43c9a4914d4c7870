/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Windows -> Linux socket addresses.  Windows input is built byte by byte
 * (Windows structures are not available here); the output is read back
 * through the host's own struct sockaddr_in/sockaddr_in6.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ws2send/sockaddr_translate.h"
#include "unit_test.h"

/* sockaddr_in on Windows: family (LE u16), port (BE), address, 8 zero bytes. */
static void make_win_in(unsigned char *buf, uint16_t family, uint16_t port, const unsigned char addr[4])
{
    memset(buf, 0, WS2S_SOCKADDR_IN_SIZE);
    buf[0] = family & 0xff;
    buf[1] = family >> 8;
    buf[2] = port >> 8;
    buf[3] = port & 0xff;
    memcpy(buf + 4, addr, 4);
}

/* sockaddr_in6 on Windows: family, port, flowinfo, address, scope id. */
static void make_win_in6(unsigned char *buf, uint16_t port, uint32_t flowinfo,
                         const unsigned char addr[16], uint32_t scope_id)
{
    buf[0] = WS2S_AF_INET6;
    buf[1] = 0;
    buf[2] = port >> 8;
    buf[3] = port & 0xff;
    memcpy(buf + 4, &flowinfo, 4);
    memcpy(buf + 8, addr, 16);
    memcpy(buf + 24, &scope_id, 4);
}

/* Translates the first len bytes of win from an exact-size heap copy. */
static int translate(const void *win, int len, void *out, size_t out_size, size_t *out_len)
{
    void *copy = exact_copy(win, len > 0 ? (size_t)len : 0);
    int ret = ws2s_sockaddr_to_linux(copy, len, out, out_size, out_len);

    free(copy);
    return ret;
}

static void test_inet(void)
{
    static const unsigned char addr[4] = { 192, 0, 2, 17 };
    unsigned char win[64], out[LNX_SOCKADDR_MAX_SIZE];
    struct sockaddr_in sin;
    size_t out_len;
    int len;

    make_win_in(win, WS2S_AF_INET, 0x1234, addr);
    memset(win + 8, 0xa5, 8);   /* garbage in sin_zero */
    memset(win + 16, 0x5a, sizeof(win) - 16);

    memset(out, 0xcc, sizeof(out));
    out_len = 0xdead;
    CHECK_EQ(translate(win, 16, out, sizeof(out), &out_len), 0);
    CHECK_EQ(out_len, sizeof(struct sockaddr_in));
    memcpy(&sin, out, sizeof(sin));
    CHECK_EQ(sin.sin_family, AF_INET);
    CHECK_EQ(ntohs(sin.sin_port), 0x1234);
    CHECK_EQ(ntohl(sin.sin_addr.s_addr), 0xc0000211);
    CHECK(!memcmp(sin.sin_zero, "\0\0\0\0\0\0\0\0", 8));
    CHECK_EQ(out[16], 0xcc);    /* nothing written past the address */

    /* Longer lengths are fine and the excess is ignored. */
    for (len = 17; len <= 64; len++)
    {
        memset(out, 0, sizeof(out));
        CHECK_EQ(translate(win, len, out, sizeof(out), &out_len), 0);
        CHECK_EQ(out_len, 16);
        memcpy(&sin, out, sizeof(sin));
        CHECK_EQ(ntohs(sin.sin_port), 0x1234);
    }
    /* Shorter ones are WSAEFAULT, and out is left alone. */
    for (len = -5; len < 16; len++)
    {
        memset(out, 0xcc, sizeof(out));
        out_len = 0xdead;
        CHECK_EQ(translate(win, len, out, sizeof(out), &out_len), WS2S_WSAEFAULT);
        CHECK_EQ(out[0], 0xcc);
        CHECK_EQ(out_len, 0xdead);
    }
    /* An output buffer one byte short. */
    CHECK_EQ(translate(win, 16, out, 15, &out_len), WS2S_WSAENOBUFS);
    CHECK_EQ(translate(win, 16, out, 16, &out_len), 0);

    CHECK_EQ(ws2s_sockaddr_win_port(win, 16), 0x1234);
    CHECK_EQ(ws2s_sockaddr_win_port(win, 15), -1);
    make_win_in(win, WS2S_AF_INET, 0, addr);
    CHECK_EQ(ws2s_sockaddr_win_port(win, 16), 0);
    make_win_in(win, WS2S_AF_INET, 0xffff, addr);
    CHECK_EQ(ws2s_sockaddr_win_port(win, 16), 0xffff);
}

static void test_inet6(void)
{
    static const unsigned char addr[16] =
        { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    unsigned char win[40], out[LNX_SOCKADDR_MAX_SIZE + 4];
    struct sockaddr_in6 sin6;
    size_t out_len;
    int len;

    memset(win, 0x77, sizeof(win));
    make_win_in6(win, 443, 0x000abcde, addr, 7);
    memset(out, 0xcc, sizeof(out));
    CHECK_EQ(translate(win, 28, out, sizeof(out), &out_len), 0);
    CHECK_EQ(out_len, sizeof(struct sockaddr_in6));
    memcpy(&sin6, out, sizeof(sin6));
    CHECK_EQ(sin6.sin6_family, AF_INET6);
    CHECK_EQ(ntohs(sin6.sin6_port), 443);
    CHECK_EQ(sin6.sin6_flowinfo, 0x000abcde);   /* copied byte for byte */
    CHECK_MEM(&sin6.sin6_addr, addr, 16);
    CHECK_EQ(sin6.sin6_scope_id, 7);
    CHECK_EQ(out[28], 0xcc);

    for (len = 29; len <= 40; len++)
    {
        CHECK_EQ(translate(win, len, out, sizeof(out), &out_len), 0);
        CHECK_EQ(out_len, 28);
    }
    /* Everything shorter, the 24-byte sockaddr_in6_old included. */
    for (len = 0; len < 28; len++)
        CHECK_EQ(translate(win, len, out, sizeof(out), &out_len), WS2S_WSAEFAULT);
    CHECK_EQ(translate(win, WS2S_SOCKADDR_IN6_OLD_SIZE, out, sizeof(out), &out_len), WS2S_WSAEFAULT);
    CHECK_EQ(translate(win, 28, out, 27, &out_len), WS2S_WSAENOBUFS);

    CHECK_EQ(ws2s_sockaddr_win_port(win, 28), 443);
    CHECK_EQ(ws2s_sockaddr_win_port(win, 27), -1);
}

static void test_families(void)
{
    static const int unsupported[] = { 0, 1, 6 /* IPX */, 10 /* Linux' AF_INET6 */, 26, 32, 0x100, 0x1702, 0xffff };
    static const unsigned char zero[4];
    unsigned char win[32], out[LNX_SOCKADDR_MAX_SIZE];
    size_t out_len, i;
    int family;

    for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
    {
        make_win_in(win, (uint16_t)unsupported[i], 80, zero);
        CHECK_EQ(translate(win, 28, out, sizeof(out), &out_len), WS2S_WSAEAFNOSUPPORT);
        CHECK_EQ(translate(win, 2, out, sizeof(out), &out_len), WS2S_WSAEAFNOSUPPORT);
        CHECK_EQ(ws2s_sockaddr_win_port(win, 28), -1);
        CHECK_EQ(ws2s_sockaddr_family_len(unsupported[i]), 0);
        CHECK_EQ(ws2s_sockaddr_win_family(win, 2, &family), 0);
        CHECK_EQ(family, unsupported[i]);
    }
    CHECK_EQ(ws2s_sockaddr_family_len(WS2S_AF_INET), 16);
    CHECK_EQ(ws2s_sockaddr_family_len(WS2S_AF_INET6), 28);
    CHECK_EQ(ws2s_sockaddr_win_family(win, 1, &family), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_sockaddr_win_family(NULL, 16, &family), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_sockaddr_to_linux(NULL, 16, out, sizeof(out), &out_len), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_sockaddr_to_linux(NULL, 0, out, sizeof(out), &out_len), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_sockaddr_win_port(NULL, 16), -1);
}

/* The input needs no alignment. */
static void test_unaligned(void)
{
    static const unsigned char addr[4] = { 127, 0, 0, 1 };
    unsigned char storage[1 + 16], out[LNX_SOCKADDR_MAX_SIZE + 1];
    struct sockaddr_in sin;
    size_t out_len;

    make_win_in(storage + 1, WS2S_AF_INET, 9, addr);
    CHECK_EQ(ws2s_sockaddr_to_linux(storage + 1, 16, out + 1, 16, &out_len), 0);
    memcpy(&sin, out + 1, sizeof(sin));
    CHECK_EQ(sin.sin_family, AF_INET);
    CHECK_EQ(ntohs(sin.sin_port), 9);
    CHECK_EQ(ntohl(sin.sin_addr.s_addr), 0x7f000001);
}

int main(void)
{
    test_inet();
    test_inet6();
    test_families();
    test_unaligned();
    return unit_done("sockaddr_translate");
}
