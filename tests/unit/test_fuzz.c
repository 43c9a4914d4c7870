/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A bounded random-input loop (fixed seed, no libFuzzer) through the
 * control-message walker and the address translator.  Inputs are exact-size
 * heap copies, so AddressSanitizer catches any read past the end; each
 * result is also checked for consistency with the input.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/socket.h>

#include "ws2send/cmsg_translate.h"
#include "ws2send/send_flags.h"
#include "ws2send/sockaddr_translate.h"
#include "unit_test.h"

#define ITERATIONS 200000

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static uint32_t rnd_below(uint32_t n)
{
    return rnd() % n;
}

/* Mostly plausible messages (so the deep paths run), sometimes noise. */
static size_t make_cmsg_input(unsigned char *buf, size_t size)
{
    static const int levels[] = { 0, 41, 17, 0xffff, 6 };
    static const int types[] = { 2, 3, 4, 19, 21, 39, 50, 1 };
    size_t len = 0;

    if (!rnd_below(8))
    {
        len = rnd_below((uint32_t)size);
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)rnd();
        return len;
    }
    while (len + 16 <= size && rnd_below(4))
    {
        size_t data_len = rnd_below(4) ? (size_t[]){ 4, 8, 20, 1 }[rnd_below(4)] : rnd_below(32);
        size_t cmsg_len = 16 + data_len;
        int level = levels[rnd_below(5)], type = types[rnd_below(8)];
        unsigned int i;

        switch (rnd_below(16))
        {
        case 0: cmsg_len = rnd_below(16); break;
        case 1: cmsg_len = SIZE_MAX - rnd_below(32); break;
        case 2: cmsg_len += rnd_below(64); break;
        default: break;
        }
        if (len + 16 + data_len > size) break;
        memcpy(buf + len, &cmsg_len, 8);
        memcpy(buf + len + 8, &level, 4);
        memcpy(buf + len + 12, &type, 4);
        for (i = 0; i < data_len; i++)
        {
            /* small values are the valid ones */
            buf[len + 16 + i] = (unsigned char)(rnd_below(3) ? (i % 4 ? 0 : rnd_below(4)) : rnd());
        }
        len += 16 + data_len;
        if (rnd_below(8)) while (len % 8 && len < size) buf[len++] = 0;
    }
    if (rnd_below(4) && len < size) len += rnd_below((uint32_t)(size - len));
    return len;
}

static void check_linux_output(const unsigned char *out, size_t out_len, const struct ws2s_cmsg_info *info)
{
    struct msghdr mh;
    struct cmsghdr *c;
    size_t walked = 0;
    unsigned int count = 0;

    CHECK(out_len <= WS2S_CMSG_LINUX_MAX_SIZE);
    CHECK_EQ(out_len % sizeof(size_t), 0);
    CHECK(info->supported + info->unsupported == info->count);
    CHECK(info->noop <= info->supported);

    memset(&mh, 0, sizeof(mh));
    mh.msg_control = (void *)out;
    mh.msg_controllen = out_len;
    for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
    {
        count++;
        CHECK(c->cmsg_level == LNX_SOL_IP || c->cmsg_level == LNX_SOL_IPV6 || c->cmsg_level == LNX_SOL_UDP);
        CHECK(c->cmsg_len >= CMSG_LEN(2) && c->cmsg_len <= CMSG_LEN(LNX_IN6_PKTINFO_SIZE));
        walked += CMSG_SPACE(c->cmsg_len - CMSG_LEN(0));
    }
    CHECK_EQ(walked, out_len);
    /* every Linux message stands for at least one meaningful Windows one */
    CHECK(count <= info->supported - info->noop);
}

static void fuzz_cmsg(void)
{
    static unsigned char input[512];
    unsigned char out[WS2S_CMSG_LINUX_MAX_SIZE];
    unsigned int i, ok = 0;

    for (i = 0; i < ITERATIONS; i++)
    {
        size_t len = make_cmsg_input(input, sizeof(input)), out_len;
        unsigned char *copy = exact_copy(input, len);
        struct ws2s_cmsg_info info, info2;
        int ret, ret2;

        ret = ws2s_cmsg_validate(copy, len, &info);
        ret2 = ws2s_cmsg_to_linux(copy, len, out, sizeof(out), &out_len, &info2);
        CHECK_EQ(ret2, ret);
        CHECK(ret == 0 || ret == WS2S_WSAEINVAL);
        if (!ret)
        {
            ok++;
            CHECK(!memcmp(&info, &info2, sizeof(info)));
            check_linux_output(out, out_len, &info2);
        }
        else CHECK_EQ(out_len, 0);
        free(copy);
        if (unit_failures > 20) break;
    }
    /* the generator must reach the success paths, not only errors */
    CHECK(ok > ITERATIONS / 10);
    printf("cmsg: %u of %u inputs accepted\n", ok, i);
}

static void fuzz_sockaddr(void)
{
    unsigned char input[40], out[LNX_SOCKADDR_MAX_SIZE];
    unsigned int i, ok = 0;

    for (i = 0; i < ITERATIONS; i++)
    {
        int len = (int)rnd_below(44) - 4, family, expect;
        size_t copy_len = len > 0 ? (size_t)len : 0, out_len = 0, j, need;
        unsigned char *copy;
        int ret;

        for (j = 0; j < sizeof(input); j++) input[j] = (unsigned char)rnd();
        switch (rnd_below(4))
        {
        case 0: input[0] = 2; input[1] = 0; break;
        case 1: input[0] = 23; input[1] = 0; break;
        case 2: input[1] = 0; break;
        default: break;
        }
        family = input[0] | (input[1] << 8);
        need = ws2s_sockaddr_family_len(family);
        if (len < 2) expect = WS2S_WSAEFAULT;
        else if (!need) expect = WS2S_WSAEAFNOSUPPORT;
        else if ((size_t)len < need) expect = WS2S_WSAEFAULT;
        else expect = 0;

        copy = exact_copy(input, copy_len);
        ret = ws2s_sockaddr_to_linux(copy, len, out, sizeof(out), &out_len);
        CHECK_EQ(ret, expect);
        CHECK_EQ(ws2s_sockaddr_win_port(copy, len), expect ? -1 : (input[2] << 8) | input[3]);
        if (!ret)
        {
            unsigned short lnx_family;

            ok++;
            CHECK_EQ(out_len, need);
            memcpy(&lnx_family, out, sizeof(lnx_family));
            CHECK_EQ(lnx_family, family == WS2S_AF_INET ? LNX_AF_INET : LNX_AF_INET6);
            if (family == WS2S_AF_INET)
            {
                CHECK(!memcmp(out + 2, input + 2, 6));
                CHECK(!memcmp(out + 8, "\0\0\0\0\0\0\0\0", 8));
            }
            else CHECK(!memcmp(out + 2, input + 2, 26));
        }
        free(copy);
        if (unit_failures > 20) break;
    }
    CHECK(ok > ITERATIONS / 10);
    printf("sockaddr: %u of %u inputs accepted\n", ok, i);
}

static void fuzz_flags(void)
{
    unsigned int i;

    for (i = 0; i < ITERATIONS; i++)
    {
        uint32_t flags = rnd_below(2) ? rnd() : rnd() & 0x803f;
        int type = (int)rnd_below(6), api = (int)rnd_below(5);
        int ret = ws2s_send_flags_check(flags, api, type);

        CHECK(ret == 0 || ret == WS2S_WSAEOPNOTSUPP || ret == WS2S_WSAEINVAL);
        /* only valid flags ever pass */
        if (!ret) CHECK(!(flags & ~(uint32_t)WS2S_SEND_FLAGS_VALID));
        if (unit_failures > 20) break;
    }
}

int main(void)
{
    fuzz_cmsg();
    fuzz_sockaddr();
    fuzz_flags();
    return unit_done("fuzz");
}
