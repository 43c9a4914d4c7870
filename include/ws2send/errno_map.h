/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A host sendmsg's errno -> the NTSTATUS Wine's socket driver reports for it
 * (sock_errno_to_status in Wine's dlls/ntdll/unix/socket.c), so a failure on
 * the host route reads as the same failure through Wine's driver would.
 *
 * Errnos Wine has no row for, and that Windows has no counterpart of, fall
 * to STATUS_UNSUCCESSFUL there (WSAEINVAL): an error that says "your
 * arguments are wrong" for what is a host condition.  Those a send can get
 * are mapped to the status of the Windows condition they are:
 *   ENOBUFS, ENOMEM (out of buffer memory)   -> STATUS_NO_MEMORY (WSAENOBUFS)
 *   ENODEV, ENXIO (the interface is gone)    -> STATUS_NO_SUCH_DEVICE (WSAENETDOWN)
 * and anything else to STATUS_UNSUCCESSFUL, as Wine does.
 */
#ifndef WS2SEND_ERRNO_MAP_H
#define WS2SEND_ERRNO_MAP_H

#include <stdint.h>

#include "ws2send/win_ntstatus.h"

/* Linux errno values (asm-generic/errno-base.h, errno.h; the same on x86_64
 * and i386); tests/unit/test_linux_abi.c checks them. */
#define LNX_EPERM           1
#define LNX_ENXIO           6
#define LNX_EBADF           9
#define LNX_EAGAIN          11
#define LNX_ENOMEM          12
#define LNX_EACCES          13
#define LNX_EFAULT          14
#define LNX_EBUSY           16
#define LNX_ENODEV          19
#define LNX_EINVAL          22
#define LNX_ENFILE          23
#define LNX_EMFILE          24
#define LNX_EPIPE           32
#define LNX_EINPROGRESS     115
#define LNX_EALREADY        114
#define LNX_ENOTSOCK        88
#define LNX_EDESTADDRREQ    89
#define LNX_EMSGSIZE        90
#define LNX_EPROTOTYPE      91
#define LNX_ENOPROTOOPT     92
#define LNX_EPROTONOSUPPORT 93
#define LNX_ESOCKTNOSUPPORT 94
#define LNX_EOPNOTSUPP      95
#define LNX_EPFNOSUPPORT    96
#define LNX_EAFNOSUPPORT    97
#define LNX_EADDRINUSE      98
#define LNX_EADDRNOTAVAIL   99
#define LNX_ENETDOWN        100
#define LNX_ENETUNREACH     101
#define LNX_ECONNABORTED    103
#define LNX_ECONNRESET      104
#define LNX_ENOBUFS         105
#define LNX_EISCONN         106
#define LNX_ENOTCONN        107
#define LNX_ESHUTDOWN       108
#define LNX_ETIMEDOUT       110
#define LNX_ECONNREFUSED    111
#define LNX_EHOSTUNREACH    113

/* The NTSTATUS for a positive errno; STATUS_SUCCESS for 0. */
uint32_t ws2s_errno_to_ntstatus(int linux_errno);

#endif /* WS2SEND_ERRNO_MAP_H */
