/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Send flag and WSAMSG rules (sources in include/ws2send/send_flags.h).
 */
#include <stdint.h>

#include "ws2send/send_flags.h"
#include "unit_test.h"

static const enum ws2s_send_api apis[] =
{
    WS2S_API_SEND, WS2S_API_SENDTO, WS2S_API_WSASEND, WS2S_API_WSASENDTO, WS2S_API_WSASENDMSG,
};
static const int message_types[] = { WS2S_SOCK_DGRAM, WS2S_SOCK_RAW, 4 /* SOCK_RDM */, 5 /* SOCK_SEQPACKET */, 0 };

static void test_values(void)
{
    /* winsock2.h */
    CHECK_EQ(WS2S_MSG_OOB, 0x1);
    CHECK_EQ(WS2S_MSG_PEEK, 0x2);
    CHECK_EQ(WS2S_MSG_DONTROUTE, 0x4);
    CHECK_EQ(WS2S_MSG_WAITALL, 0x8);
    CHECK_EQ(WS2S_MSG_PUSH_IMMEDIATE, 0x20);
    CHECK_EQ(WS2S_MSG_PARTIAL, 0x8000);
    CHECK_EQ(WS2S_SEND_FLAGS_VALID, 0x8005);
}

static void test_stream(void)
{
    size_t i;

    for (i = 0; i < sizeof(apis) / sizeof(apis[0]); i++)
    {
        unit_context = "stream";
        if (apis[i] == WS2S_API_WSASENDMSG)
        {
            /* not for stream sockets, whatever the flags */
            CHECK_EQ(ws2s_send_flags_check(0, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEINVAL);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_OOB, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEINVAL);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_PEEK, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEINVAL);
            continue;
        }
        CHECK_EQ(ws2s_send_flags_check(0, apis[i], WS2S_SOCK_STREAM), 0);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_OOB, apis[i], WS2S_SOCK_STREAM), 0);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_DONTROUTE, apis[i], WS2S_SOCK_STREAM), 0);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_PARTIAL, apis[i], WS2S_SOCK_STREAM), 0);
        CHECK_EQ(ws2s_send_flags_check(WS2S_SEND_FLAGS_VALID, apis[i], WS2S_SOCK_STREAM), 0);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_PEEK, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEOPNOTSUPP);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_WAITALL, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEOPNOTSUPP);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_INTERRUPT, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEOPNOTSUPP);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_PUSH_IMMEDIATE, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEOPNOTSUPP);
        CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_OOB | WS2S_MSG_WAITALL, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEOPNOTSUPP);
        CHECK_EQ(ws2s_send_flags_check(0x80000000u, apis[i], WS2S_SOCK_STREAM), WS2S_WSAEOPNOTSUPP);
    }
    unit_context = "";
}

static void test_message(void)
{
    size_t i, j;

    for (j = 0; j < sizeof(message_types) / sizeof(message_types[0]); j++)
    {
        int type = message_types[j];

        for (i = 0; i < sizeof(apis) / sizeof(apis[0]); i++)
        {
            CHECK_EQ(ws2s_send_flags_check(0, apis[i], type), 0);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_DONTROUTE, apis[i], type), 0);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_OOB, apis[i], type), WS2S_WSAEOPNOTSUPP);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_PARTIAL, apis[i], type), 0);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_DONTROUTE | WS2S_MSG_OOB, apis[i], type),
                     WS2S_WSAEOPNOTSUPP);
            CHECK_EQ(ws2s_send_flags_check(WS2S_MSG_PEEK, apis[i], type), WS2S_WSAEOPNOTSUPP);
            CHECK_EQ(ws2s_send_flags_check(0xffffffffu, apis[i], type), WS2S_WSAEOPNOTSUPP);
        }
    }
}

/* Every single bit on every socket type and entry point. */
static void test_bits(void)
{
    static const int types[] = { WS2S_SOCK_STREAM, WS2S_SOCK_DGRAM, WS2S_SOCK_RAW };
    unsigned int bit;
    size_t i, j;

    for (bit = 0; bit < 32; bit++)
    {
        uint32_t flag = 1u << bit;

        for (i = 0; i < sizeof(apis) / sizeof(apis[0]); i++)
        {
            for (j = 0; j < sizeof(types) / sizeof(types[0]); j++)
            {
                int expect;

                if (apis[i] == WS2S_API_WSASENDMSG && types[j] == WS2S_SOCK_STREAM)
                    expect = WS2S_WSAEINVAL;
                else if (flag == WS2S_MSG_DONTROUTE || flag == WS2S_MSG_PARTIAL)
                    expect = 0;
                else if (flag == WS2S_MSG_OOB)
                    expect = types[j] == WS2S_SOCK_STREAM ? 0 : WS2S_WSAEOPNOTSUPP;
                else
                    expect = WS2S_WSAEOPNOTSUPP;
                CHECK_EQ(ws2s_send_flags_check(flag, apis[i], types[j]), expect);
            }
        }
    }
}

static void test_to_linux(void)
{
    CHECK_EQ(ws2s_send_flags_to_linux(0), 0);
    CHECK_EQ(ws2s_send_flags_to_linux(WS2S_MSG_OOB), LNX_MSG_OOB);
    CHECK_EQ(ws2s_send_flags_to_linux(WS2S_MSG_DONTROUTE), 0);
    CHECK_EQ(ws2s_send_flags_to_linux(WS2S_MSG_PARTIAL), 0);
    CHECK_EQ(ws2s_send_flags_to_linux(WS2S_SEND_FLAGS_VALID), LNX_MSG_OOB);
}

static void test_wsamsg(void)
{
    static const char name[28], buffers[16];

    CHECK_EQ(ws2s_wsamsg_check(name, 16, buffers, 1), 0);
    CHECK_EQ(ws2s_wsamsg_check(NULL, 0, buffers, 1), 0);
    CHECK_EQ(ws2s_wsamsg_check(NULL, 0, NULL, 0), 0);
    /* a pointer with a zero length is fine */
    CHECK_EQ(ws2s_wsamsg_check(name, 0, buffers, 0), 0);

    CHECK_EQ(ws2s_wsamsg_check(NULL, 16, buffers, 1), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_wsamsg_check(NULL, -1, buffers, 1), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_wsamsg_check(name, 16, NULL, 1), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_wsamsg_check(name, 16, NULL, 0), 0);
    CHECK_EQ(ws2s_wsamsg_check(NULL, 28, NULL, 2), WS2S_WSAEFAULT);
}

int main(void)
{
    test_values();
    test_stream();
    test_message();
    test_bits();
    test_to_linux();
    test_wsamsg();
    return unit_done("send_flags");
}
