/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Linux ABI constants the pure helpers need to build input for a host
 * sendmsg, defined here so the helpers include no Linux header.  Values
 * from the Linux UAPI headers (linux/socket.h, linux/in.h, linux/in6.h,
 * linux/udp.h) and glibc's bits/socket.h; tests/unit/test_linux_abi.c
 * re-checks every one against the installed headers.
 */
#ifndef WS2SEND_LINUX_ABI_H
#define WS2SEND_LINUX_ABI_H

#include <stddef.h>
#include <stdint.h>

#define LNX_AF_INET                     2
#define LNX_AF_INET6                    10

#define LNX_SOL_IP                      0
#define LNX_SOL_IPV6                    41
#define LNX_SOL_UDP                     17

#define LNX_IP_TOS                      1
#define LNX_IP_TTL                      2
#define LNX_IP_PKTINFO                  8

#define LNX_IPV6_PKTINFO                50
#define LNX_IPV6_HOPLIMIT               52
#define LNX_IPV6_TCLASS                 67

#define LNX_UDP_SEGMENT                 103     /* since Linux 4.18 */

#define LNX_MSG_OOB                     0x1
#define LNX_MSG_DONTROUTE               0x4
#define LNX_MSG_DONTWAIT                0x40
#define LNX_MSG_NOSIGNAL                0x4000

#define LNX_SOCKADDR_IN_SIZE            16
#define LNX_SOCKADDR_IN6_SIZE           28
#define LNX_SOCKADDR_MAX_SIZE           LNX_SOCKADDR_IN6_SIZE

/* struct in_pktinfo { int ipi_ifindex; struct in_addr ipi_spec_dst;
 * struct in_addr ipi_addr; }: on send, ipi_spec_dst is the source address
 * and ipi_addr is ignored.  struct in6_pktinfo { struct in6_addr ipi6_addr;
 * int ipi6_ifindex; } matches Windows' IN6_PKTINFO byte for byte. */
#define LNX_IN_PKTINFO_SIZE             12
#define LNX_IN_PKTINFO_IFINDEX_OFFSET   0
#define LNX_IN_PKTINFO_SPEC_DST_OFFSET  4
#define LNX_IN_PKTINFO_ADDR_OFFSET      8
#define LNX_IN6_PKTINFO_SIZE            20

/* struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } with
 * CMSG_ALIGN rounding to sizeof(size_t).  The i386 kernel ABI (and the
 * compat ABI an int 0x80 call from a 32-bit process gets on a 64-bit
 * kernel) uses a 4-byte length and 4-byte alignment, x86_64 8 and 8: in
 * both the build's own size_t is right, so this layout is correct for the
 * word size it is compiled for.  Natively built unit tests check the
 * 64-bit form. */
struct lnx_cmsghdr
{
    size_t cmsg_len;
    int cmsg_level;
    int cmsg_type;
};

#define LNX_CMSG_ALIGNMENT              sizeof(size_t)
#define LNX_CMSG_ALIGN(len) \
    (((len) + LNX_CMSG_ALIGNMENT - 1) & ~(size_t)(LNX_CMSG_ALIGNMENT - 1))
#define LNX_CMSG_HDR_SIZE               LNX_CMSG_ALIGN(sizeof(struct lnx_cmsghdr))
#define LNX_CMSG_LEN(len)               (LNX_CMSG_HDR_SIZE + (len))
#define LNX_CMSG_SPACE(len)             (LNX_CMSG_HDR_SIZE + LNX_CMSG_ALIGN(len))

_Static_assert(sizeof(struct lnx_cmsghdr) == (sizeof(size_t) == 8 ? 16 : 12),
               "Linux cmsghdr is 16 bytes on x86_64, 12 on i386");
_Static_assert(LNX_CMSG_HDR_SIZE == sizeof(struct lnx_cmsghdr),
               "Linux cmsghdr needs no padding before its data");

#endif /* WS2SEND_LINUX_ABI_H */
