/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Windows (Winsock) ABI constants the pure helpers need, defined here so the
 * helpers never include winsock2.h and also build natively on Linux.
 * Values checked against mingw-w64 10.0 headers (winsock2.h, ws2ipdef.h,
 * ws2tcpip.h, mswsock.h, winerror.h); tests/unit/check_win_abi.c re-checks
 * every one with the MinGW compilers when they are installed.
 */
#ifndef WS2SEND_WIN_ABI_H
#define WS2SEND_WIN_ABI_H

#include <stddef.h>
#include <stdint.h>

/* Address families (winsock2.h). */
#define WS2S_AF_UNSPEC                  0
#define WS2S_AF_INET                    2
#define WS2S_AF_INET6                   23

/* Socket types (winsock2.h); SO_TYPE reports these. */
#define WS2S_SOCK_STREAM                1
#define WS2S_SOCK_DGRAM                 2
#define WS2S_SOCK_RAW                   3

/* Protocol levels (winsock2.h). */
#define WS2S_IPPROTO_IP                 0
#define WS2S_IPPROTO_UDP                17
#define WS2S_IPPROTO_IPV6               41

/* IPPROTO_IP options and control-message types (ws2ipdef.h). */
#define WS2S_IP_TOS                     3
#define WS2S_IP_TTL                     4
#define WS2S_IP_PKTINFO                 19
#define WS2S_IP_ECN                     50

/* IPPROTO_IPV6 options and control-message types (ws2ipdef.h). */
#define WS2S_IPV6_PKTINFO               19
#define WS2S_IPV6_HOPLIMIT              21
#define WS2S_IPV6_TCLASS                39
#define WS2S_IPV6_ECN                   50

/* IPPROTO_UDP; not in mingw-w64 10.0, value from the Windows SDK's
 * ws2ipdef.h ("Options to use with [gs]etsockopt at the IPPROTO_UDP level")
 * and msquic's datapath definitions. */
#define WS2S_UDP_SEND_MSG_SIZE          2

/* send/recv flags (winsock2.h). */
#define WS2S_MSG_OOB                    0x1
#define WS2S_MSG_PEEK                   0x2     /* recv only */
#define WS2S_MSG_DONTROUTE              0x4
#define WS2S_MSG_WAITALL                0x8     /* recv only */
#define WS2S_MSG_INTERRUPT              0x10
#define WS2S_MSG_PUSH_IMMEDIATE         0x20    /* WSARecv only */
#define WS2S_MSG_PARTIAL                0x8000

/* Error codes (winerror.h). */
#define WS2S_ERROR_OPERATION_ABORTED    995     /* WSA_OPERATION_ABORTED */
#define WS2S_ERROR_IO_INCOMPLETE        996     /* WSA_IO_INCOMPLETE */
#define WS2S_ERROR_IO_PENDING           997     /* WSA_IO_PENDING */
#define WS2S_WSA_OPERATION_ABORTED      WS2S_ERROR_OPERATION_ABORTED
#define WS2S_WSA_IO_INCOMPLETE          WS2S_ERROR_IO_INCOMPLETE
#define WS2S_WSA_IO_PENDING             WS2S_ERROR_IO_PENDING

#define WS2S_WSAEINTR                   10004
#define WS2S_WSAEACCES                  10013
#define WS2S_WSAEFAULT                  10014
#define WS2S_WSAEINVAL                  10022
#define WS2S_WSAEWOULDBLOCK             10035
#define WS2S_WSAENOTSOCK                10038
#define WS2S_WSAEMSGSIZE                10040
#define WS2S_WSAEOPNOTSUPP              10045
#define WS2S_WSAEAFNOSUPPORT            10047
#define WS2S_WSAEADDRINUSE              10048
#define WS2S_WSAEADDRNOTAVAIL           10049
#define WS2S_WSAENETDOWN                10050
#define WS2S_WSAENETUNREACH             10051
#define WS2S_WSAECONNABORTED            10053
#define WS2S_WSAECONNRESET              10054
#define WS2S_WSAENOBUFS                 10055
#define WS2S_WSAEISCONN                 10056
#define WS2S_WSAENOTCONN                10057
#define WS2S_WSAESHUTDOWN               10058
#define WS2S_WSAETIMEDOUT               10060
#define WS2S_WSAECONNREFUSED            10061
#define WS2S_WSAEHOSTDOWN               10064
#define WS2S_WSAEHOSTUNREACH            10065
#define WS2S_WSAEDISCON                 10101

/* Socket addresses (ws2def.h, ws2ipdef.h).  Both start with a 16-bit
 * family; the rest is byte-for-byte the same as Linux'. */
#define WS2S_SOCKADDR_FAMILY_SIZE       2
#define WS2S_SOCKADDR_IN_SIZE           16
#define WS2S_SOCKADDR_IN6_SIZE          28
#define WS2S_SOCKADDR_IN6_OLD_SIZE      24  /* no sin6_scope_id; not accepted */

/* Control data of WSASendMsg/WSARecvMsg (mswsock.h):
 *   typedef struct { SIZE_T cmsg_len; INT cmsg_level; INT cmsg_type; } WSACMSGHDR;
 * WSA_CMSGHDR_ALIGN rounds to TYPE_ALIGNMENT(WSACMSGHDR), i.e. the alignment
 * of SIZE_T; WSA_CMSGDATA_ALIGN rounds to MAX_NATURAL_ALIGNMENT, which is
 * sizeof(ULONGLONG) on _WIN64 and sizeof(DWORD) otherwise (winnt.h), i.e.
 * sizeof(SIZE_T) in both cases.  So the layout follows the build's word
 * size: 16-byte header, 8-byte alignment on x86_64; 12 and 4 on i686. */
struct ws2s_wsacmsghdr
{
    size_t cmsg_len;
    int cmsg_level;
    int cmsg_type;
};

#define WS2S_WSA_CMSGHDR_ALIGNMENT      _Alignof(struct ws2s_wsacmsghdr)
#define WS2S_WSA_CMSGDATA_ALIGNMENT     sizeof(size_t)
#define WS2S_WSA_CMSGHDR_ALIGN(len) \
    (((len) + WS2S_WSA_CMSGHDR_ALIGNMENT - 1) & ~(size_t)(WS2S_WSA_CMSGHDR_ALIGNMENT - 1))
#define WS2S_WSA_CMSGDATA_ALIGN(len) \
    (((len) + WS2S_WSA_CMSGDATA_ALIGNMENT - 1) & ~(size_t)(WS2S_WSA_CMSGDATA_ALIGNMENT - 1))
#define WS2S_WSA_CMSG_HDR_SIZE          sizeof(struct ws2s_wsacmsghdr)
#define WS2S_WSA_CMSG_DATA_OFFSET       WS2S_WSA_CMSGDATA_ALIGN(WS2S_WSA_CMSG_HDR_SIZE)
#define WS2S_WSA_CMSG_LEN(len)          (WS2S_WSA_CMSG_DATA_OFFSET + (len))
#define WS2S_WSA_CMSG_SPACE(len) \
    WS2S_WSA_CMSGDATA_ALIGN(WS2S_WSA_CMSG_HDR_SIZE + WS2S_WSA_CMSGHDR_ALIGN(len))

_Static_assert(WS2S_WSA_CMSG_HDR_SIZE == (sizeof(size_t) == 8 ? 16 : 12),
               "WSACMSGHDR is 16 bytes on 64-bit Windows, 12 on 32-bit");
_Static_assert(WS2S_WSA_CMSGHDR_ALIGNMENT == sizeof(size_t),
               "WSACMSGHDR is aligned like SIZE_T");
_Static_assert(WS2S_WSA_CMSG_DATA_OFFSET == WS2S_WSA_CMSG_HDR_SIZE,
               "control data follows the header without padding");

/* Control-message payloads (ws2tcpip.h): IN_PKTINFO { IN_ADDR ipi_addr;
 * ULONG ipi_ifindex; } and IN6_PKTINFO { IN6_ADDR ipi6_addr; ULONG
 * ipi6_ifindex; }.  ipi_addr is the source address to send from. */
#define WS2S_IN_PKTINFO_SIZE            8
#define WS2S_IN_PKTINFO_ADDR_OFFSET     0
#define WS2S_IN_PKTINFO_IFINDEX_OFFSET  4
#define WS2S_IN6_PKTINFO_SIZE           20

#endif /* WS2SEND_WIN_ABI_H */
