/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * WSASendMsg control data -> Linux control data.  Windows buffers are
 * built by hand in the 64-bit layout (WSACMSGHDR of 16 bytes, 8-byte
 * alignment); the output is read back with glibc's own CMSG_* macros,
 * struct in_pktinfo and struct in6_pktinfo.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <sys/socket.h>
#include <netinet/udp.h>

#include "ws2send/cmsg_translate.h"
#include "unit_test.h"

#if SIZE_MAX != UINT64_MAX
#error "these tests check the 64-bit layout"
#endif

#define WIN_HDR 16
#define WIN_ALIGN(len) (((len) + 7) & ~(size_t)7)

struct wbuf
{
    unsigned char data[1024];
    size_t len;
};

/* Appends a Windows message with the given cmsg_len, then pads to the next
 * WSA_CMSGHDR_ALIGN boundary (as WSA_CMSG_SPACE does) when pad is set. */
static void add_raw(struct wbuf *b, size_t cmsg_len, int level, int type,
                    const void *data, size_t data_len, int pad)
{
    unsigned char *p = b->data + b->len;

    memcpy(p, &cmsg_len, 8);
    memcpy(p + 8, &level, 4);
    memcpy(p + 12, &type, 4);
    if (data_len) memcpy(p + WIN_HDR, data, data_len);
    b->len += WIN_HDR + data_len;
    if (pad)
    {
        size_t end = WIN_ALIGN(b->len);

        memset(b->data + b->len, 0, end - b->len);
        b->len = end;
    }
}

static void add_msg(struct wbuf *b, int level, int type, const void *data, size_t data_len)
{
    add_raw(b, WIN_HDR + data_len, level, type, data, data_len, 1);
}

static void add_int(struct wbuf *b, int level, int type, int32_t value)
{
    add_msg(b, level, type, &value, sizeof(value));
}

static void add_pktinfo4(struct wbuf *b, const char *addr, uint32_t ifindex)
{
    unsigned char data[8];
    struct in_addr in;

    inet_pton(AF_INET, addr, &in);
    memcpy(data, &in, 4);
    memcpy(data + 4, &ifindex, 4);
    add_msg(b, WS2S_IPPROTO_IP, WS2S_IP_PKTINFO, data, sizeof(data));
}

static void add_pktinfo6(struct wbuf *b, const char *addr, uint32_t ifindex)
{
    unsigned char data[20];
    struct in6_addr in6;

    inet_pton(AF_INET6, addr, &in6);
    memcpy(data, &in6, 16);
    memcpy(data + 16, &ifindex, 4);
    add_msg(b, WS2S_IPPROTO_IPV6, WS2S_IPV6_PKTINFO, data, sizeof(data));
}

static unsigned char out[WS2S_CMSG_LINUX_MAX_SIZE + 64];
static size_t out_len;
static struct ws2s_cmsg_info info;

/* Runs both entry points on an exact-size copy of the first len bytes and
 * checks they agree; returns the error. */
static int run_len(const struct wbuf *b, size_t len)
{
    struct ws2s_cmsg_info validate_info;
    void *copy = exact_copy(b->data, len);
    int ret, validate_ret;

    memset(out, 0xcc, sizeof(out));
    memset(&info, 0xcc, sizeof(info));
    out_len = 0xdead;
    ret = ws2s_cmsg_to_linux(copy, len, out, sizeof(out), &out_len, &info);
    validate_ret = ws2s_cmsg_validate(copy, len, &validate_info);
    free(copy);

    CHECK_EQ(validate_ret, ret);
    if (!ret) CHECK_MEM(&validate_info, &info, sizeof(info));
    else CHECK_EQ(out_len, 0);
    return ret;
}

static int run(const struct wbuf *b)
{
    return run_len(b, b->len);
}

static struct msghdr lnx_msghdr(void)
{
    struct msghdr mh;

    memset(&mh, 0, sizeof(mh));
    mh.msg_control = out;
    mh.msg_controllen = out_len;
    return mh;
}

static unsigned int lnx_count(void)
{
    struct msghdr mh = lnx_msghdr();
    struct cmsghdr *c;
    unsigned int count = 0;

    for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) count++;
    return count;
}

/* The Linux message of that level and type, checked to be the only one and
 * to have data of size len. */
static const unsigned char *lnx_find(int level, int type, size_t len)
{
    struct msghdr mh = lnx_msghdr();
    const unsigned char *data = NULL;
    unsigned int found = 0;
    struct cmsghdr *c;

    for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    {
        if (c->cmsg_level != level || c->cmsg_type != type) continue;
        found++;
        CHECK_EQ(c->cmsg_len, CMSG_LEN(len));
        data = CMSG_DATA(c);
    }
    CHECK_EQ(found, 1);
    return data;
}

static int lnx_int(int level, int type)
{
    const unsigned char *data = lnx_find(level, type, sizeof(int));
    int value = -12345;

    if (data) memcpy(&value, data, sizeof(value));
    return value;
}

static void check_info(unsigned int count, unsigned int supported, unsigned int noop,
                       unsigned int unsupported)
{
    CHECK_EQ(info.count, count);
    CHECK_EQ(info.supported, supported);
    CHECK_EQ(info.noop, noop);
    CHECK_EQ(info.unsupported, unsupported);
}

static void test_layout(void)
{
    size_t n;

    /* mswsock.h's macros on x86_64 */
    CHECK_EQ(WS2S_WSA_CMSG_HDR_SIZE, 16);
    CHECK_EQ(WS2S_WSA_CMSG_DATA_OFFSET, 16);
    CHECK_EQ(WS2S_WSA_CMSG_LEN(4), 20);
    CHECK_EQ(WS2S_WSA_CMSG_SPACE(0), 16);
    CHECK_EQ(WS2S_WSA_CMSG_SPACE(1), 24);
    CHECK_EQ(WS2S_WSA_CMSG_SPACE(4), 24);
    CHECK_EQ(WS2S_WSA_CMSG_SPACE(8), 24);
    CHECK_EQ(WS2S_WSA_CMSG_SPACE(20), 40);
    CHECK_EQ(WS2S_WSA_CMSGHDR_ALIGN(17), 24);
    CHECK_EQ(WS2S_WSA_CMSGHDR_ALIGN(24), 24);

    /* Linux' macros, for every small size */
    for (n = 0; n <= 64; n++)
    {
        CHECK_EQ(LNX_CMSG_LEN(n), CMSG_LEN(n));
        CHECK_EQ(LNX_CMSG_SPACE(n), CMSG_SPACE(n));
        CHECK_EQ(LNX_CMSG_ALIGN(n), CMSG_ALIGN(n));
    }
    CHECK_EQ(WS2S_CMSG_LINUX_MAX_SIZE, CMSG_SPACE(sizeof(struct in_pktinfo)) +
             CMSG_SPACE(sizeof(struct in6_pktinfo)) + 4 * CMSG_SPACE(sizeof(int)) +
             CMSG_SPACE(sizeof(uint16_t)));
}

static void test_empty(void)
{
    struct wbuf b;
    size_t len;

    memset(b.data, 0xff, WIN_HDR);
    for (len = 0; len < WIN_HDR; len++)
    {
        b.len = len;
        CHECK_EQ(run(&b), 0);
        check_info(0, 0, 0, 0);
        CHECK_EQ(out_len, 0);
        CHECK(ws2s_cmsg_info_harmless(&info));
        CHECK(!info.has_source4);
    }
    CHECK_EQ(ws2s_cmsg_validate(NULL, 0, &info), 0);
    CHECK_EQ(ws2s_cmsg_validate(NULL, WIN_HDR - 1, &info), 0);
    CHECK_EQ(ws2s_cmsg_validate(NULL, WIN_HDR, &info), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_cmsg_to_linux(NULL, 100, out, sizeof(out), &out_len, &info), WS2S_WSAEFAULT);
}

static void test_pktinfo4(void)
{
    const struct in_pktinfo *pi;
    struct in_pktinfo lnx;
    struct wbuf b = { .len = 0 };

    add_pktinfo4(&b, "10.1.2.3", 5);
    CHECK_EQ(b.len, 24);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    CHECK(!ws2s_cmsg_info_harmless(&info));
    /* the source, for the caller's check of it */
    CHECK(info.has_source4);
    CHECK(!memcmp(info.source4, "\x0a\x01\x02\x03", 4));
    CHECK_EQ(out_len, CMSG_SPACE(sizeof(struct in_pktinfo)));
    CHECK_EQ(lnx_count(), 1);
    if ((pi = (const void *)lnx_find(SOL_IP, IP_PKTINFO, sizeof(struct in_pktinfo))))
    {
        memcpy(&lnx, pi, sizeof(lnx));
        CHECK_EQ(lnx.ipi_ifindex, 5);
        CHECK_EQ(ntohl(lnx.ipi_spec_dst.s_addr), 0x0a010203);
        CHECK_EQ(lnx.ipi_addr.s_addr, 0);
    }
    /* CMSG_SPACE padding is zeroed */
    CHECK_EQ(out[CMSG_LEN(sizeof(struct in_pktinfo))], 0);
    CHECK_EQ(out[out_len - 1], 0);
    CHECK_EQ(out[out_len], 0xcc);

    /* only an interface, or only an address: meaningful */
    b.len = 0;
    add_pktinfo4(&b, "0.0.0.0", 3);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    if ((pi = (const void *)lnx_find(SOL_IP, IP_PKTINFO, sizeof(struct in_pktinfo))))
    {
        memcpy(&lnx, pi, sizeof(lnx));
        CHECK_EQ(lnx.ipi_ifindex, 3);
        CHECK_EQ(lnx.ipi_spec_dst.s_addr, 0);
    }
    b.len = 0;
    add_pktinfo4(&b, "127.0.0.1", 0);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    CHECK_EQ(lnx_count(), 1);

    /* any address, interface 0: a no-op, left out */
    b.len = 0;
    add_pktinfo4(&b, "0.0.0.0", 0);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 1, 0);
    CHECK(ws2s_cmsg_info_harmless(&info));
    CHECK_EQ(out_len, 0);
}

static void test_pktinfo6(void)
{
    static const unsigned char loopback[16] = { [15] = 1 };
    const unsigned char *data;
    struct in6_pktinfo lnx;
    struct wbuf b = { .len = 0 };

    add_pktinfo6(&b, "::1", 2);
    CHECK_EQ(b.len, 40);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    CHECK_EQ(out_len, CMSG_SPACE(sizeof(struct in6_pktinfo)));
    if ((data = lnx_find(SOL_IPV6, IPV6_PKTINFO, sizeof(struct in6_pktinfo))))
    {
        memcpy(&lnx, data, sizeof(lnx));
        CHECK_MEM(&lnx.ipi6_addr, loopback, 16);
        CHECK_EQ(lnx.ipi6_ifindex, 2);
    }

    b.len = 0;
    add_pktinfo6(&b, "::", 0);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 1, 0);
    CHECK_EQ(out_len, 0);

    b.len = 0;
    add_pktinfo6(&b, "::", 9);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    CHECK_EQ(lnx_count(), 1);
}

static void test_ints(void)
{
    struct wbuf b = { .len = 0 };

    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TOS, 0xb8);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 0xb8);
    CHECK_EQ(out_len, CMSG_SPACE(sizeof(int)));
    CHECK(!info.ecn_replaces_tos);

    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TOS, 0);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);     /* TOS 0 overrides the socket's TOS: not a no-op */
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 0);

    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 64);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TTL), 64);

    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, 5);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, 0x28);
    CHECK_EQ(run(&b), 0);
    check_info(2, 2, 0, 0);
    CHECK_EQ(lnx_count(), 2);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_HOPLIMIT), 5);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_TCLASS), 0x28);

    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, 0);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_HOPLIMIT), 0);

    /* -1: "use the default" */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, -1);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, -1);
    CHECK_EQ(run(&b), 0);
    check_info(2, 2, 2, 0);
    CHECK(ws2s_cmsg_info_harmless(&info));
    CHECK_EQ(out_len, 0);
}

static void test_ecn(void)
{
    struct wbuf b = { .len = 0 };

    /* ECN alone: the whole TOS byte, flagged */
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 2);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 0, 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 2);
    CHECK(info.ecn_replaces_tos);

    /* with a TOS, in either order: merged into one message */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TOS, 0xb8);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 1);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_count(), 1);
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 0xb9);
    CHECK(!info.ecn_replaces_tos);
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 3);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TOS, 0xb9);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 0xbb);

    /* ECN 0 with a TOS clears the TOS' ECN bits */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TOS, 0xbb);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 0);
    CHECK_EQ(run(&b), 0);
    check_info(2, 2, 1, 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 0xb8);

    /* ECN 0 (Not-ECT) alone: a no-op */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 0);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 1, 0);
    CHECK_EQ(out_len, 0);
    CHECK(!info.ecn_replaces_tos);

    /* IPv6: traffic class */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 1);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_TCLASS), 1);
    CHECK(info.ecn_replaces_tos);
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, 0x28);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 2);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_count(), 1);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_TCLASS), 0x2a);
    CHECK(!info.ecn_replaces_tos);
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, -1);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 3);
    CHECK_EQ(run(&b), 0);
    check_info(2, 2, 1, 0);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_TCLASS), 3);
    CHECK(info.ecn_replaces_tos);
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 0);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 1, 0);
    CHECK_EQ(out_len, 0);

    /* IPv4 and IPv6 ECN are separate */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 1);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 2);
    CHECK_EQ(run(&b), 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TOS), 1);
    CHECK_EQ(lnx_int(SOL_IPV6, IPV6_TCLASS), 2);
}

static void test_udp_segment(void)
{
    static const uint32_t good[] = { 1, 1200, 1472, 65535 };
    const unsigned char *data;
    struct wbuf b;
    uint32_t size;
    uint16_t value;
    size_t i;

    for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    {
        b.len = 0;
        add_msg(&b, WS2S_IPPROTO_UDP, WS2S_UDP_SEND_MSG_SIZE, &good[i], 4);
        CHECK_EQ(run(&b), 0);
        check_info(1, 1, 0, 0);
        CHECK_EQ(out_len, CMSG_SPACE(sizeof(uint16_t)));
        CHECK(info.segments);
        if ((data = lnx_find(SOL_UDP, UDP_SEGMENT, sizeof(uint16_t))))
        {
            memcpy(&value, data, sizeof(value));
            CHECK_EQ(value, good[i]);
        }
    }

    size = 0;
    b.len = 0;
    add_msg(&b, WS2S_IPPROTO_UDP, WS2S_UDP_SEND_MSG_SIZE, &size, 4);
    CHECK_EQ(run(&b), 0);
    check_info(1, 1, 1, 0);
    CHECK_EQ(out_len, 0);
    CHECK(ws2s_cmsg_info_harmless(&info));
    CHECK(!info.segments);

    size = 65536;
    b.len = 0;
    add_msg(&b, WS2S_IPPROTO_UDP, WS2S_UDP_SEND_MSG_SIZE, &size, 4);
    CHECK_EQ(run(&b), WS2S_WSAEINVAL);
    size = 0xffffffff;
    b.len = 0;
    add_msg(&b, WS2S_IPPROTO_UDP, WS2S_UDP_SEND_MSG_SIZE, &size, 4);
    CHECK_EQ(run(&b), WS2S_WSAEINVAL);
}

static void test_bad_values(void)
{
    static const struct { int level, type; int32_t value; } bad[] =
    {
        { WS2S_IPPROTO_IP, WS2S_IP_TOS, -1 },
        { WS2S_IPPROTO_IP, WS2S_IP_TOS, 256 },
        { WS2S_IPPROTO_IP, WS2S_IP_TTL, 0 },
        { WS2S_IPPROTO_IP, WS2S_IP_TTL, 256 },
        { WS2S_IPPROTO_IP, WS2S_IP_TTL, -1 },
        { WS2S_IPPROTO_IP, WS2S_IP_ECN, -1 },
        { WS2S_IPPROTO_IP, WS2S_IP_ECN, 4 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, -2 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, 256 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, -2 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, 256 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 4 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, INT32_MIN },
    };
    static const struct { int level, type; int32_t value; } edge[] =
    {
        { WS2S_IPPROTO_IP, WS2S_IP_TOS, 255 },
        { WS2S_IPPROTO_IP, WS2S_IP_TTL, 1 },
        { WS2S_IPPROTO_IP, WS2S_IP_TTL, 255 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, 255 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, 255 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 3 },
    };
    struct wbuf b;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    {
        b.len = 0;
        add_int(&b, bad[i].level, bad[i].type, bad[i].value);
        CHECK_EQ(run(&b), WS2S_WSAEINVAL);
        /* also behind a good message */
        b.len = 0;
        add_pktinfo4(&b, "10.0.0.1", 1);
        add_int(&b, bad[i].level, bad[i].type, bad[i].value);
        CHECK_EQ(run(&b), WS2S_WSAEINVAL);
    }
    for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
    {
        b.len = 0;
        add_int(&b, edge[i].level, edge[i].type, edge[i].value);
        CHECK_EQ(run(&b), 0);
        CHECK_EQ(lnx_count(), 1);
    }
}

/* Data shorter than the type, or longer than its WSA_CMSGHDR_ALIGN'ed
 * size, is WSAEINVAL; WSA_CMSG_SPACE-style lengths are accepted. */
static void test_data_lengths(void)
{
    static const struct { int level, type; size_t size; } types[] =
    {
        { WS2S_IPPROTO_IP, WS2S_IP_PKTINFO, 8 },
        { WS2S_IPPROTO_IP, WS2S_IP_TOS, 4 },
        { WS2S_IPPROTO_IP, WS2S_IP_TTL, 4 },
        { WS2S_IPPROTO_IP, WS2S_IP_ECN, 4 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_PKTINFO, 20 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, 4 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_TCLASS, 4 },
        { WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 4 },
        { WS2S_IPPROTO_UDP, WS2S_UDP_SEND_MSG_SIZE, 4 },
    };
    unsigned char data[32];
    struct wbuf b;
    size_t i, len;

    /* Value 1 in the first int: valid for every type. */
    memset(data, 0, sizeof(data));
    data[0] = 1;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    {
        for (len = 0; len <= 28; len++)
        {
            int expect = len >= types[i].size && len <= WIN_ALIGN(types[i].size) ? 0 : WS2S_WSAEINVAL;

            b.len = 0;
            add_msg(&b, types[i].level, types[i].type, data, len);
            CHECK_EQ(run(&b), expect);
            if (!expect) check_info(1, 1, 0, 0);
        }
    }
}

static void test_malformed(void)
{
    static const size_t bad_lens[] =
    {
        0, 1, 8, 15, SIZE_MAX, SIZE_MAX - 7, SIZE_MAX - 15, SIZE_MAX / 2 + 1, (size_t)1 << 32,
    };
    unsigned char junk[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    struct wbuf b;
    size_t i;

    for (i = 0; i < sizeof(bad_lens) / sizeof(bad_lens[0]); i++)
    {
        /* as the only message, with 8 data bytes behind the header */
        b.len = 0;
        add_raw(&b, bad_lens[i], WS2S_IPPROTO_IP, WS2S_IP_TTL, junk, 8, 1);
        CHECK_EQ(run(&b), WS2S_WSAEINVAL);
        /* after a good one */
        b.len = 0;
        add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 9);
        add_raw(&b, bad_lens[i], 0xffff, 1, junk, 8, 1);
        CHECK_EQ(run(&b), WS2S_WSAEINVAL);
    }

    /* reaching one byte past the buffer */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 9);
    CHECK_EQ(run_len(&b, 20), 0);
    CHECK_EQ(run_len(&b, 19), WS2S_WSAEINVAL);
    b.len = 0;
    add_raw(&b, 25, 0xffff, 1, junk, 8, 1);
    CHECK_EQ(b.len, 24);
    CHECK_EQ(run(&b), WS2S_WSAEINVAL);

    /* a full zeroed header after a good message: cmsg_len 0 */
    b.len = 0;
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 9);
    memset(b.data + b.len, 0, WIN_HDR);
    b.len += WIN_HDR;
    CHECK_EQ(run(&b), WS2S_WSAEINVAL);
}

/* Bytes too few for another header are ignored, as WSA_CMSG_NXTHDR does. */
static void test_trailing(void)
{
    struct wbuf b;
    size_t extra;

    for (extra = 0; extra < WIN_HDR; extra++)
    {
        b.len = 0;
        add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 33);
        memset(b.data + b.len, 0xff, extra);
        b.len += extra;
        CHECK_EQ(run(&b), 0);
        check_info(1, 1, 0, 0);
        CHECK_EQ(lnx_int(SOL_IP, IP_TTL), 33);
    }

    /* an unaligned cmsg_len at the end: the padding need not be there */
    for (extra = 0; extra <= 7; extra++)
    {
        b.len = 0;
        add_raw(&b, 17, 0xffff, 1, "x", 1, 0);
        memset(b.data + b.len, 0, extra);
        b.len += extra;
        CHECK_EQ(run(&b), 0);
        check_info(1, 0, 0, 1);
    }
    /* and the next header starts at the aligned offset */
    b.len = 0;
    add_raw(&b, 17, 0xffff, 1, "x", 1, 1);
    CHECK_EQ(b.len, 24);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 44);
    CHECK_EQ(run(&b), 0);
    check_info(2, 1, 0, 1);
    CHECK_EQ(lnx_int(SOL_IP, IP_TTL), 44);

    /* a message with no data at all */
    b.len = 0;
    add_raw(&b, WIN_HDR, 0xffff, 7, NULL, 0, 1);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 45);
    CHECK_EQ(run(&b), 0);
    check_info(2, 1, 0, 1);
}

static void test_unsupported(void)
{
    struct wbuf b = { .len = 0 };
    int32_t one = 1;

    add_msg(&b, 0xffff /* SOL_SOCKET */, 1, &one, 4);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 7);
    add_msg(&b, WS2S_IPPROTO_IP, 21 /* IP_HOPLIMIT */, &one, 4);
    add_msg(&b, 6 /* IPPROTO_TCP */, 1, "abcdefghijkl", 12);
    add_msg(&b, WS2S_IPPROTO_UDP, 3 /* UDP_COALESCED_INFO */, &one, 4);
    CHECK_EQ(run(&b), 0);
    check_info(5, 1, 0, 4);
    CHECK_EQ(info.unsupported_level, 0xffff);
    CHECK_EQ(info.unsupported_type, 1);
    CHECK(!ws2s_cmsg_info_harmless(&info));
    CHECK_EQ(lnx_count(), 1);
    CHECK_EQ(lnx_int(SOL_IP, IP_TTL), 7);

    /* an unsupported message next to no-ops is not harmless */
    b.len = 0;
    add_pktinfo4(&b, "0.0.0.0", 0);
    add_msg(&b, WS2S_IPPROTO_IPV6, 3, &one, 4);
    CHECK_EQ(run(&b), 0);
    check_info(2, 1, 1, 1);
    CHECK_EQ(info.unsupported_level, WS2S_IPPROTO_IPV6);
    CHECK_EQ(info.unsupported_type, 3);
    CHECK(!ws2s_cmsg_info_harmless(&info));
    CHECK_EQ(out_len, 0);
}

static void test_duplicates(void)
{
    struct wbuf b = { .len = 0 };

    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 10);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 20);
    CHECK_EQ(run(&b), 0);
    check_info(2, 2, 0, 0);
    CHECK_EQ(lnx_int(SOL_IP, IP_TTL), 20);

    /* a later no-op pktinfo cancels an earlier one */
    b.len = 0;
    add_pktinfo4(&b, "10.0.0.1", 1);
    add_pktinfo4(&b, "0.0.0.0", 0);
    CHECK_EQ(run(&b), 0);
    check_info(2, 2, 1, 0);
    CHECK_EQ(out_len, 0);
}

static void test_all(void)
{
    static const int order[][2] =
    {
        { SOL_IP, IP_PKTINFO }, { SOL_IP, IP_TOS }, { SOL_IP, IP_TTL },
        { SOL_IPV6, IPV6_PKTINFO }, { SOL_IPV6, IPV6_TCLASS }, { SOL_IPV6, IPV6_HOPLIMIT },
        { SOL_UDP, UDP_SEGMENT },
    };
    struct msghdr mh;
    struct cmsghdr *c;
    struct wbuf b = { .len = 0 };
    uint32_t segment = 1350;
    unsigned int i = 0;
    void *copy;
    size_t len;

    add_msg(&b, WS2S_IPPROTO_UDP, WS2S_UDP_SEND_MSG_SIZE, &segment, 4);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_HOPLIMIT, 12);
    add_int(&b, WS2S_IPPROTO_IPV6, WS2S_IPV6_ECN, 1);
    add_pktinfo6(&b, "fe80::1", 4);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_ECN, 2);
    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 3);
    add_pktinfo4(&b, "192.168.1.2", 6);
    CHECK_EQ(run(&b), 0);
    check_info(7, 7, 0, 0);
    CHECK_EQ(out_len, WS2S_CMSG_LINUX_MAX_SIZE);
    mh = lnx_msghdr();
    for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c), i++)
    {
        if (i >= 7) break;
        CHECK_EQ(c->cmsg_level, order[i][0]);
        CHECK_EQ(c->cmsg_type, order[i][1]);
    }
    CHECK_EQ(i, 7);

    /* exactly enough room, then one byte less */
    copy = exact_copy(b.data, b.len);
    CHECK_EQ(ws2s_cmsg_to_linux(copy, b.len, out, WS2S_CMSG_LINUX_MAX_SIZE, &len, &info), 0);
    CHECK_EQ(len, WS2S_CMSG_LINUX_MAX_SIZE);
    len = 1;
    CHECK_EQ(ws2s_cmsg_to_linux(copy, b.len, out, WS2S_CMSG_LINUX_MAX_SIZE - 1, &len, &info),
             WS2S_WSAENOBUFS);
    CHECK_EQ(len, 0);
    CHECK_EQ(ws2s_cmsg_to_linux(copy, b.len, out, 0, &len, &info), WS2S_WSAENOBUFS);
    free(copy);
}

/* The input needs no alignment. */
static void test_unaligned(void)
{
    unsigned char storage[64 + 7];
    struct wbuf b = { .len = 0 };
    size_t offset;

    add_int(&b, WS2S_IPPROTO_IP, WS2S_IP_TTL, 99);
    add_pktinfo4(&b, "10.9.8.7", 2);
    for (offset = 1; offset < 8; offset++)
    {
        memcpy(storage + offset, b.data, b.len);
        CHECK_EQ(ws2s_cmsg_to_linux(storage + offset, b.len, out, sizeof(out), &out_len, &info), 0);
        check_info(2, 2, 0, 0);
        CHECK_EQ(lnx_int(SOL_IP, IP_TTL), 99);
    }
}

int main(void)
{
    test_layout();
    test_empty();
    test_pktinfo4();
    test_pktinfo6();
    test_ints();
    test_ecn();
    test_udp_segment();
    test_bad_values();
    test_data_lengths();
    test_malformed();
    test_trailing();
    test_unsupported();
    test_duplicates();
    test_all();
    test_unaligned();
    return unit_done("cmsg_translate");
}
