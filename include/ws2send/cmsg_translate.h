/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * WSASendMsg control data (WSAMSG.Control) -> Linux sendmsg control data.
 *
 * Walking follows mswsock.h's WSA_CMSG_FIRSTHDR/NXTHDR: a header starts
 * wherever at least sizeof(WSACMSGHDR) bytes remain, the next one starts
 * WSA_CMSGHDR_ALIGN(cmsg_len) further on, and bytes too few for another
 * header are ignored.  Unlike the macros (which trust cmsg_len) a header
 * with cmsg_len < sizeof(WSACMSGHDR), or one reaching past the buffer, is
 * malformed: WSAEINVAL.  The data of each message is cmsg_len minus the
 * header.  Both the Windows and the Linux layouts follow the build's word
 * size (see win_abi.h and linux_abi.h).
 *
 * Translated messages (Windows level/type -> Linux level/type):
 *   IPPROTO_IP   IP_PKTINFO (19), IN_PKTINFO     -> SOL_IP IP_PKTINFO (8): the
 *                Windows ipi_addr (source address) goes to ipi_spec_dst, the
 *                interface index to ipi_ifindex, Linux' ipi_addr is zero
 *   IPPROTO_IP   IP_TOS (3), INT 0..255          -> SOL_IP IP_TOS (1)
 *   IPPROTO_IP   IP_TTL (4), INT 1..255          -> SOL_IP IP_TTL (2)
 *   IPPROTO_IP   IP_ECN (50), INT 0..3           -> the ECN bits of SOL_IP IP_TOS
 *   IPPROTO_IPV6 IPV6_PKTINFO (19), IN6_PKTINFO  -> SOL_IPV6 IPV6_PKTINFO (50)
 *   IPPROTO_IPV6 IPV6_HOPLIMIT (21), INT -1..255 -> SOL_IPV6 IPV6_HOPLIMIT (52)
 *   IPPROTO_IPV6 IPV6_TCLASS (39), INT -1..255   -> SOL_IPV6 IPV6_TCLASS (67)
 *   IPPROTO_IPV6 IPV6_ECN (50), INT 0..3         -> the ECN bits of IPV6_TCLASS
 *   IPPROTO_UDP  UDP_SEND_MSG_SIZE (2), DWORD    -> SOL_UDP UDP_SEGMENT (103), u16
 * The value ranges are the ones Linux' ip_cmsg_send/ip6_datagram_send_ctl
 * and udp_cmsg_send accept (UDP_SEGMENT: 0..65535), so a translated buffer
 * is one the host takes; a value out of range is WSAEINVAL.  Windows' own
 * limits are unverified.
 *
 * Data length: at least the type's size and at most that size rounded up
 * with WSA_CMSGHDR_ALIGN, so a cmsg_len of WSA_CMSG_SPACE() instead of
 * WSA_CMSG_LEN() is accepted; anything else is WSAEINVAL (unverified on
 * Windows, which documents only WSA_CMSG_LEN).
 *
 * A message of another level or type is "unsupported": it is counted in
 * ws2s_cmsg_info.unsupported and left out of the Linux buffer; the call
 * still succeeds, and the caller decides (fail, drop, or hand the send to a
 * path that drops all control data, as Wine's builtin does).
 *
 * A type that appears more than once: the last one wins, as on Linux.  TOS
 * and ECN (or traffic class and ECN) merge into one Linux message.
 *
 * "No-op" messages are ones that ask for what a send without them does:
 * a pktinfo with the unspecified address and interface 0, UDP_SEND_MSG_SIZE
 * 0, IP_ECN/IPV6_ECN 0 (Not-ECT), IPV6_HOPLIMIT -1 and IPV6_TCLASS -1 (both
 * "use the default").  They are counted in noop and not written to the
 * Linux buffer.
 */
#ifndef WS2SEND_CMSG_TRANSLATE_H
#define WS2SEND_CMSG_TRANSLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ws2send/linux_abi.h"
#include "ws2send/win_abi.h"

struct ws2s_cmsg_info
{
    unsigned int count;         /* messages walked */
    unsigned int supported;     /* known level/type with valid data */
    unsigned int noop;          /* of those, the no-ops */
    unsigned int unsupported;   /* unknown level/type: not translated */
    int unsupported_level;      /* the first unsupported message, for logging */
    int unsupported_type;
    /* IP_ECN/IPV6_ECN set without IP_TOS/IPV6_TCLASS: Linux has no ECN-only
     * message, so the translation sets the whole TOS/traffic-class byte and
     * the socket's DSCP is not applied to this datagram. */
    bool ecn_replaces_tos;
    /* The source address an IP_PKTINFO message asks for (network order; the
     * last one, as for the other types), for the caller's own checks. */
    bool has_source4;
    unsigned char source4[4];
    /* UDP_SEND_MSG_SIZE asks for segmentation: without it the batch would
     * leave as one datagram. */
    bool segments;
};

/* True when the control data asks for nothing a plain send would not do, so
 * a path that cannot carry control data may drop it. */
static inline bool ws2s_cmsg_info_harmless(const struct ws2s_cmsg_info *info)
{
    return !info->unsupported && info->noop == info->supported;
}

/* Largest Linux control buffer ws2s_cmsg_to_linux writes: one of each
 * translated message. */
#define WS2S_CMSG_LINUX_MAX_SIZE \
    (LNX_CMSG_SPACE(LNX_IN_PKTINFO_SIZE) + LNX_CMSG_SPACE(LNX_IN6_PKTINFO_SIZE) + \
     4 * LNX_CMSG_SPACE(sizeof(int)) + LNX_CMSG_SPACE(sizeof(uint16_t)))

/* Walks and checks the Windows control buffer buf of len bytes (untrusted:
 * nothing past len is read, buf needs no alignment) and fills *info.
 * Returns 0, WSAEINVAL for a malformed header or bad data, or WSAEFAULT
 * for a NULL buf with len >= sizeof(WSACMSGHDR). */
int ws2s_cmsg_validate(const void *buf, size_t len, struct ws2s_cmsg_info *info);

/* Like ws2s_cmsg_validate, and writes the Linux control buffer to out
 * (out_size bytes; WS2S_CMSG_LINUX_MAX_SIZE is always enough, less gives
 * WSAENOBUFS) with its length, a sum of CMSG_SPACE()s, in *out_len; 0 when
 * nothing needs sending.  Padding is zeroed. */
int ws2s_cmsg_to_linux(const void *buf, size_t len, void *out, size_t out_size,
                       size_t *out_len, struct ws2s_cmsg_info *info);

#endif /* WS2SEND_CMSG_TRANSLATE_H */
