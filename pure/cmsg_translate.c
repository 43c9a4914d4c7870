/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdint.h>
#include <string.h>

#include "ws2send/cmsg_translate.h"

/* The last value of each supported message type, after the walk. */
struct cmsg_values
{
    bool has_pktinfo4, has_pktinfo6, has_tos, has_ttl, has_ecn4;
    bool has_hoplimit, has_tclass, has_ecn6, has_segment;
    unsigned char pktinfo4[WS2S_IN_PKTINFO_SIZE];    /* Windows layout */
    unsigned char pktinfo6[WS2S_IN6_PKTINFO_SIZE];   /* same on both */
    int tos, ttl, ecn4, hoplimit, tclass, ecn6;
    uint16_t segment;
};

/* One Linux message to write. */
struct lnx_msg
{
    int level, type;
    size_t len;
    unsigned char data[LNX_IN6_PKTINFO_SIZE];
};

/* One per Linux type written by build_linux(). */
#define MAX_LNX_MSGS 7

/* The data size of a supported Windows message type, 0 for the others. */
static size_t data_size(int level, int type)
{
    switch (level)
    {
    case WS2S_IPPROTO_IP:
        switch (type)
        {
        case WS2S_IP_PKTINFO: return WS2S_IN_PKTINFO_SIZE;
        case WS2S_IP_TOS:
        case WS2S_IP_TTL:
        case WS2S_IP_ECN:     return sizeof(int32_t);
        }
        break;
    case WS2S_IPPROTO_IPV6:
        switch (type)
        {
        case WS2S_IPV6_PKTINFO:  return WS2S_IN6_PKTINFO_SIZE;
        case WS2S_IPV6_HOPLIMIT:
        case WS2S_IPV6_TCLASS:
        case WS2S_IPV6_ECN:      return sizeof(int32_t);
        }
        break;
    case WS2S_IPPROTO_UDP:
        if (type == WS2S_UDP_SEND_MSG_SIZE) return sizeof(uint32_t);
        break;
    }
    return 0;
}

static bool all_zero(const unsigned char *bytes, size_t len)
{
    while (len--) if (*bytes++) return false;
    return true;
}

/* Checks one supported message's value and stores it.  Returns 0 or
 * WSAEINVAL; sets *noop for a message that asks for nothing. */
static int store_value(struct cmsg_values *values, int level, int type,
                       const unsigned char *data, bool *noop)
{
    int32_t value;

    *noop = false;
    if (level == WS2S_IPPROTO_IP && type == WS2S_IP_PKTINFO)
    {
        /* any address and interface 0: the stack picks, as without it */
        *noop = all_zero(data, WS2S_IN_PKTINFO_SIZE);
        memcpy(values->pktinfo4, data, WS2S_IN_PKTINFO_SIZE);
        values->has_pktinfo4 = true;
        return 0;
    }
    if (level == WS2S_IPPROTO_IPV6 && type == WS2S_IPV6_PKTINFO)
    {
        *noop = all_zero(data, WS2S_IN6_PKTINFO_SIZE);
        memcpy(values->pktinfo6, data, WS2S_IN6_PKTINFO_SIZE);
        values->has_pktinfo6 = true;
        return 0;
    }
    if (level == WS2S_IPPROTO_UDP)
    {
        uint32_t size;

        memcpy(&size, data, sizeof(size));
        /* Linux' UDP_SEGMENT takes a u16 */
        if (size > 0xffff) return WS2S_WSAEINVAL;
        *noop = !size;
        values->segment = (uint16_t)size;
        values->has_segment = true;
        return 0;
    }

    memcpy(&value, data, sizeof(value));
    if (level == WS2S_IPPROTO_IP)
    {
        switch (type)
        {
        case WS2S_IP_TOS:
            if (value < 0 || value > 255) return WS2S_WSAEINVAL;
            values->tos = value;
            values->has_tos = true;
            return 0;
        case WS2S_IP_TTL:
            if (value < 1 || value > 255) return WS2S_WSAEINVAL;
            values->ttl = value;
            values->has_ttl = true;
            return 0;
        default: /* WS2S_IP_ECN */
            if (value < 0 || value > 3) return WS2S_WSAEINVAL;
            *noop = !value;
            values->ecn4 = value;
            values->has_ecn4 = true;
            return 0;
        }
    }
    switch (type)
    {
    case WS2S_IPV6_HOPLIMIT:
        if (value < -1 || value > 255) return WS2S_WSAEINVAL;
        *noop = value == -1;
        values->hoplimit = value;
        values->has_hoplimit = true;
        return 0;
    case WS2S_IPV6_TCLASS:
        if (value < -1 || value > 255) return WS2S_WSAEINVAL;
        *noop = value == -1;
        values->tclass = value;
        values->has_tclass = true;
        return 0;
    default: /* WS2S_IPV6_ECN */
        if (value < 0 || value > 3) return WS2S_WSAEINVAL;
        *noop = !value;
        values->ecn6 = value;
        values->has_ecn6 = true;
        return 0;
    }
}

/* Walks the Windows buffer, checking every message and keeping the values
 * of the supported ones. */
static int walk(const void *buf, size_t len, struct cmsg_values *values,
                struct ws2s_cmsg_info *info)
{
    const unsigned char *bytes = buf;
    size_t pos = 0;

    memset(values, 0, sizeof(*values));
    memset(info, 0, sizeof(*info));
    if (!buf && len >= WS2S_WSA_CMSG_HDR_SIZE) return WS2S_WSAEFAULT;

    while (len - pos >= WS2S_WSA_CMSG_HDR_SIZE)
    {
        struct ws2s_wsacmsghdr hdr;
        size_t remaining = len - pos, need, data_len, pad;

        memcpy(&hdr, bytes + pos, sizeof(hdr));
        if (hdr.cmsg_len < WS2S_WSA_CMSG_HDR_SIZE || hdr.cmsg_len > remaining)
            return WS2S_WSAEINVAL;
        info->count++;
        data_len = hdr.cmsg_len - WS2S_WSA_CMSG_DATA_OFFSET;

        if ((need = data_size(hdr.cmsg_level, hdr.cmsg_type)))
        {
            bool noop;
            int error;

            if (data_len < need || data_len > WS2S_WSA_CMSGHDR_ALIGN(need)) return WS2S_WSAEINVAL;
            if ((error = store_value(values, hdr.cmsg_level, hdr.cmsg_type,
                                     bytes + pos + WS2S_WSA_CMSG_DATA_OFFSET, &noop)))
                return error;
            info->supported++;
            if (noop) info->noop++;
        }
        else if (!info->unsupported++)
        {
            info->unsupported_level = hdr.cmsg_level;
            info->unsupported_type = hdr.cmsg_type;
        }

        /* WSA_CMSG_NXTHDR: the next header starts at the aligned length.
         * cmsg_len <= remaining here, so only the padding can overrun; when
         * it does, no further header fits either. */
        pad = WS2S_WSA_CMSGHDR_ALIGN(hdr.cmsg_len) - hdr.cmsg_len;
        if (pad > remaining - hdr.cmsg_len) break;
        pos += hdr.cmsg_len + pad;
    }
    if ((info->has_source4 = values->has_pktinfo4))
        memcpy(info->source4, values->pktinfo4 + WS2S_IN_PKTINFO_ADDR_OFFSET, sizeof(info->source4));
    return 0;
}

static void add_int(struct lnx_msg *msgs, unsigned int *count, int level, int type, int value)
{
    struct lnx_msg *msg = &msgs[(*count)++];

    msg->level = level;
    msg->type = type;
    msg->len = sizeof(value);
    memcpy(msg->data, &value, sizeof(value));
}

/* Turns the kept values into the Linux messages, merging TOS/traffic class
 * with ECN and leaving out no-ops. */
static unsigned int build_linux(const struct cmsg_values *values, struct lnx_msg *msgs,
                                struct ws2s_cmsg_info *info)
{
    unsigned int count = 0;
    struct lnx_msg *msg;

    if (values->has_pktinfo4 && !all_zero(values->pktinfo4, WS2S_IN_PKTINFO_SIZE))
    {
        /* Windows' source address is Linux' ipi_spec_dst; ipi_addr stays 0. */
        msg = &msgs[count++];
        msg->level = LNX_SOL_IP;
        msg->type = LNX_IP_PKTINFO;
        msg->len = LNX_IN_PKTINFO_SIZE;
        memset(msg->data, 0, LNX_IN_PKTINFO_SIZE);
        memcpy(msg->data + LNX_IN_PKTINFO_IFINDEX_OFFSET,
               values->pktinfo4 + WS2S_IN_PKTINFO_IFINDEX_OFFSET, 4);
        memcpy(msg->data + LNX_IN_PKTINFO_SPEC_DST_OFFSET,
               values->pktinfo4 + WS2S_IN_PKTINFO_ADDR_OFFSET, 4);
    }
    if (values->has_tos || (values->has_ecn4 && values->ecn4))
    {
        int tos = values->has_tos ? values->tos : 0;

        if (values->has_ecn4) tos = (tos & ~3) | values->ecn4;
        if (!values->has_tos) info->ecn_replaces_tos = true;
        add_int(msgs, &count, LNX_SOL_IP, LNX_IP_TOS, tos);
    }
    if (values->has_ttl) add_int(msgs, &count, LNX_SOL_IP, LNX_IP_TTL, values->ttl);

    if (values->has_pktinfo6 && !all_zero(values->pktinfo6, WS2S_IN6_PKTINFO_SIZE))
    {
        msg = &msgs[count++];
        msg->level = LNX_SOL_IPV6;
        msg->type = LNX_IPV6_PKTINFO;
        msg->len = LNX_IN6_PKTINFO_SIZE;
        memcpy(msg->data, values->pktinfo6, LNX_IN6_PKTINFO_SIZE);
    }
    if ((values->has_tclass && values->tclass != -1) || (values->has_ecn6 && values->ecn6))
    {
        bool has_tclass = values->has_tclass && values->tclass != -1;
        int tclass = has_tclass ? values->tclass : 0;

        if (values->has_ecn6) tclass = (tclass & ~3) | values->ecn6;
        if (!has_tclass) info->ecn_replaces_tos = true;
        add_int(msgs, &count, LNX_SOL_IPV6, LNX_IPV6_TCLASS, tclass);
    }
    if (values->has_hoplimit && values->hoplimit != -1)
        add_int(msgs, &count, LNX_SOL_IPV6, LNX_IPV6_HOPLIMIT, values->hoplimit);

    if (values->has_segment && values->segment)
    {
        msg = &msgs[count++];
        msg->level = LNX_SOL_UDP;
        msg->type = LNX_UDP_SEGMENT;
        info->segments = true;
        msg->len = sizeof(values->segment);
        memcpy(msg->data, &values->segment, sizeof(values->segment));
    }
    return count;
}

int ws2s_cmsg_validate(const void *buf, size_t len, struct ws2s_cmsg_info *info)
{
    struct lnx_msg msgs[MAX_LNX_MSGS];
    struct cmsg_values values;
    int error;

    if ((error = walk(buf, len, &values, info))) return error;
    /* for ecn_replaces_tos */
    build_linux(&values, msgs, info);
    return 0;
}

int ws2s_cmsg_to_linux(const void *buf, size_t len, void *out, size_t out_size,
                       size_t *out_len, struct ws2s_cmsg_info *info)
{
    struct lnx_msg msgs[MAX_LNX_MSGS];
    struct cmsg_values values;
    unsigned char *dst = out;
    unsigned int count, i;
    size_t total = 0;
    int error;

    *out_len = 0;
    if ((error = walk(buf, len, &values, info))) return error;
    count = build_linux(&values, msgs, info);

    for (i = 0; i < count; i++) total += LNX_CMSG_SPACE(msgs[i].len);
    if (total > out_size) return WS2S_WSAENOBUFS;

    for (i = 0; i < count; i++)
    {
        struct lnx_cmsghdr hdr;

        hdr.cmsg_len = LNX_CMSG_LEN(msgs[i].len);
        hdr.cmsg_level = msgs[i].level;
        hdr.cmsg_type = msgs[i].type;
        memset(dst, 0, LNX_CMSG_SPACE(msgs[i].len));
        memcpy(dst, &hdr, sizeof(hdr));
        memcpy(dst + LNX_CMSG_HDR_SIZE, msgs[i].data, msgs[i].len);
        dst += LNX_CMSG_SPACE(msgs[i].len);
    }
    *out_len = total;
    return 0;
}
