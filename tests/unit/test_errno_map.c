/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ws2s_errno_to_ntstatus against the installed errno.h and literal NTSTATUS
 * values (ntstatus.h), and the Winsock errors the statuses then give.
 */
#include <errno.h>
#include <stdint.h>

#include "ws2send/errno_map.h"
#include "ws2send/status_map.h"
#include "unit_test.h"

_Static_assert(LNX_EPERM == EPERM && LNX_ENXIO == ENXIO && LNX_EBADF == EBADF && LNX_EAGAIN == EAGAIN
               && LNX_ENOMEM == ENOMEM && LNX_EACCES == EACCES && LNX_EFAULT == EFAULT
               && LNX_EBUSY == EBUSY && LNX_ENODEV == ENODEV && LNX_EINVAL == EINVAL
               && LNX_ENFILE == ENFILE && LNX_EMFILE == EMFILE && LNX_EPIPE == EPIPE, "errno-base");
_Static_assert(LNX_EINPROGRESS == EINPROGRESS && LNX_EALREADY == EALREADY && LNX_ENOTSOCK == ENOTSOCK
               && LNX_EDESTADDRREQ == EDESTADDRREQ && LNX_EMSGSIZE == EMSGSIZE
               && LNX_EPROTOTYPE == EPROTOTYPE && LNX_ENOPROTOOPT == ENOPROTOOPT
               && LNX_EPROTONOSUPPORT == EPROTONOSUPPORT && LNX_ESOCKTNOSUPPORT == ESOCKTNOSUPPORT
               && LNX_EOPNOTSUPP == EOPNOTSUPP && LNX_EPFNOSUPPORT == EPFNOSUPPORT
               && LNX_EAFNOSUPPORT == EAFNOSUPPORT && LNX_EADDRINUSE == EADDRINUSE
               && LNX_EADDRNOTAVAIL == EADDRNOTAVAIL && LNX_ENETDOWN == ENETDOWN
               && LNX_ENETUNREACH == ENETUNREACH && LNX_ECONNABORTED == ECONNABORTED
               && LNX_ECONNRESET == ECONNRESET && LNX_ENOBUFS == ENOBUFS && LNX_EISCONN == EISCONN
               && LNX_ENOTCONN == ENOTCONN && LNX_ESHUTDOWN == ESHUTDOWN && LNX_ETIMEDOUT == ETIMEDOUT
               && LNX_ECONNREFUSED == ECONNREFUSED && LNX_EHOSTUNREACH == EHOSTUNREACH, "errno");

static const struct
{
    int linux_errno;
    uint32_t status;
    int wsa;
}
expected[] =
{
    { 0,            0x00000000, 0 },
    { EAGAIN,       0xC00000A3, 10035 },  /* WSAEWOULDBLOCK */
    { EMSGSIZE,     0x80000005, 10040 },  /* WSAEMSGSIZE */
    { EINVAL,       0xC000000D, 10022 },
    { EADDRNOTAVAIL,0xC000000D, 10022 },
    { EACCES,       0xC0000022, 10013 },
    { EPERM,        0xC0000022, 10013 },
    { EAFNOSUPPORT, 0xC00000BB, 10045 },  /* Wine's; the API layer refines it */
    { ENETUNREACH,  0xC000023C, 10051 },
    { EHOSTUNREACH, 0xC000023D, 10065 },
    { ECONNREFUSED, 0xC0000236, 10061 },
    { ECONNRESET,   0xC000020D, 10054 },
    { EPIPE,        0xC000020D, 10054 },
    { ENOTCONN,     0xC0000140, 10057 },
    { EDESTADDRREQ, 0xC0000140, 10057 },
    { ESHUTDOWN,    0xC00000B0, 10058 },
    { EISCONN,      0xC000023B, 10056 },
    { ENOBUFS,      0xC0000017, 10055 },  /* WSAENOBUFS, not Wine's WSAEINVAL */
    { ENOMEM,       0xC0000017, 10055 },
    { ENODEV,       0xC000000E, 10050 },  /* WSAENETDOWN */
    { ENXIO,        0xC000000E, 10050 },
    { EIO,          0xC0000001, 10022 },  /* no counterpart: as Wine */
};

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
    {
        CHECK_EQ(ws2s_errno_to_ntstatus(expected[i].linux_errno), expected[i].status);
        CHECK_EQ(ws2s_ntstatus_to_wsa(ws2s_errno_to_ntstatus(expected[i].linux_errno)), expected[i].wsa);
    }
    return unit_done("errno_map");
}
