/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * linux_abi.h against the installed glibc headers (which mirror the Linux UAPI
 * ones: linux/in.h, linux/in6.h, linux/udp.h).  Mostly
 * compile-time; the program itself only reports.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/udp.h>

#include "ws2send/linux_abi.h"
#include "unit_test.h"

_Static_assert(LNX_AF_INET == AF_INET, "AF_INET");
_Static_assert(LNX_AF_INET6 == AF_INET6, "AF_INET6");
_Static_assert(LNX_SOL_IP == SOL_IP, "SOL_IP");
_Static_assert(LNX_SOL_IP == IPPROTO_IP, "IPPROTO_IP");
_Static_assert(LNX_SOL_IPV6 == SOL_IPV6, "SOL_IPV6");
_Static_assert(LNX_SOL_IPV6 == IPPROTO_IPV6, "IPPROTO_IPV6");
_Static_assert(LNX_SOL_UDP == SOL_UDP, "SOL_UDP");
_Static_assert(LNX_SOL_UDP == IPPROTO_UDP, "IPPROTO_UDP");
_Static_assert(LNX_IP_TOS == IP_TOS, "IP_TOS");
_Static_assert(LNX_IP_TTL == IP_TTL, "IP_TTL");
_Static_assert(LNX_IP_PKTINFO == IP_PKTINFO, "IP_PKTINFO");
_Static_assert(LNX_IPV6_PKTINFO == IPV6_PKTINFO, "IPV6_PKTINFO");
_Static_assert(LNX_IPV6_HOPLIMIT == IPV6_HOPLIMIT, "IPV6_HOPLIMIT");
_Static_assert(LNX_IPV6_TCLASS == IPV6_TCLASS, "IPV6_TCLASS");
_Static_assert(LNX_UDP_SEGMENT == UDP_SEGMENT, "UDP_SEGMENT");
_Static_assert(LNX_MSG_OOB == MSG_OOB, "MSG_OOB");
_Static_assert(LNX_MSG_DONTROUTE == MSG_DONTROUTE, "MSG_DONTROUTE");
_Static_assert(LNX_MSG_DONTWAIT == MSG_DONTWAIT, "MSG_DONTWAIT");
_Static_assert(LNX_MSG_NOSIGNAL == MSG_NOSIGNAL, "MSG_NOSIGNAL");

_Static_assert(LNX_SOCKADDR_IN_SIZE == sizeof(struct sockaddr_in), "sockaddr_in");
_Static_assert(LNX_SOCKADDR_IN6_SIZE == sizeof(struct sockaddr_in6), "sockaddr_in6");
_Static_assert(offsetof(struct sockaddr_in, sin_port) == 2, "sin_port");
_Static_assert(offsetof(struct sockaddr_in, sin_addr) == 4, "sin_addr");
_Static_assert(offsetof(struct sockaddr_in6, sin6_port) == 2, "sin6_port");
_Static_assert(offsetof(struct sockaddr_in6, sin6_flowinfo) == 4, "sin6_flowinfo");
_Static_assert(offsetof(struct sockaddr_in6, sin6_addr) == 8, "sin6_addr");
_Static_assert(offsetof(struct sockaddr_in6, sin6_scope_id) == 24, "sin6_scope_id");

_Static_assert(LNX_IN_PKTINFO_SIZE == sizeof(struct in_pktinfo), "in_pktinfo");
_Static_assert(LNX_IN_PKTINFO_IFINDEX_OFFSET == offsetof(struct in_pktinfo, ipi_ifindex), "ipi_ifindex");
_Static_assert(LNX_IN_PKTINFO_SPEC_DST_OFFSET == offsetof(struct in_pktinfo, ipi_spec_dst), "ipi_spec_dst");
_Static_assert(LNX_IN_PKTINFO_ADDR_OFFSET == offsetof(struct in_pktinfo, ipi_addr), "ipi_addr");
_Static_assert(LNX_IN6_PKTINFO_SIZE == sizeof(struct in6_pktinfo), "in6_pktinfo");
_Static_assert(offsetof(struct in6_pktinfo, ipi6_ifindex) == 16, "ipi6_ifindex");

_Static_assert(sizeof(struct lnx_cmsghdr) == sizeof(struct cmsghdr), "cmsghdr");
_Static_assert(offsetof(struct lnx_cmsghdr, cmsg_level) == offsetof(struct cmsghdr, cmsg_level), "cmsg_level");
_Static_assert(offsetof(struct lnx_cmsghdr, cmsg_type) == offsetof(struct cmsghdr, cmsg_type), "cmsg_type");
_Static_assert(LNX_CMSG_HDR_SIZE == CMSG_LEN(0), "CMSG_LEN(0)");

int main(void)
{
    size_t n;

    /* CMSG_LEN/CMSG_SPACE are not constant expressions everywhere. */
    for (n = 0; n <= 256; n++)
    {
        CHECK_EQ(LNX_CMSG_LEN(n), CMSG_LEN(n));
        CHECK_EQ(LNX_CMSG_SPACE(n), CMSG_SPACE(n));
    }
    return unit_done("linux_abi");
}
