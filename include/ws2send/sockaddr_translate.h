/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Windows socket address -> Linux socket address, for a host sendmsg.
 * AF_INET is 2 on both; AF_INET6 is 23 on Windows and 10 on Linux.  The rest
 * of sockaddr_in (16 bytes) and sockaddr_in6 (28 bytes: port, flowinfo,
 * address, scope id) has the same layout on both, so only the family moves.
 */
#ifndef WS2SEND_SOCKADDR_TRANSLATE_H
#define WS2SEND_SOCKADDR_TRANSLATE_H

#include <stddef.h>
#include <stdint.h>

#include "ws2send/linux_abi.h"
#include "ws2send/win_abi.h"

/* Size of the Windows address structure of a family (16 for AF_INET, 28 for
 * AF_INET6), or 0 for a family this module does not translate. */
size_t ws2s_sockaddr_family_len(int win_family);

/* Reads the family of an untrusted Windows address: 0 and *family set, or
 * WSAEFAULT when win is NULL or win_len < 2. */
int ws2s_sockaddr_win_family(const void *win, int win_len, int *family);

/* Translates the Windows address win (win_len bytes, untrusted: nothing past
 * win_len is read) into out (out_size bytes) and stores the Linux length in
 * *out_len.  Returns 0 or a Winsock error:
 *  - WSAEFAULT: win is NULL, or win_len is shorter than the family's
 *    structure (as Windows' sendto does for tolen < sizeof; Wine's
 *    sockaddr_to_unix rejects the same lengths, which try_send turns into
 *    STATUS_ACCESS_VIOLATION, i.e. WSAEFAULT).  A longer win_len is fine and
 *    the excess is ignored.  The 24-byte sockaddr_in6_old is refused.
 *  - WSAEAFNOSUPPORT: a family other than AF_INET/AF_INET6.  Deliberately
 *    not WSAEFAULT: Wine translates some other families itself (IPX, IrDA)
 *    and answers WSAEFAULT for the rest, so a caller should hand such a send
 *    to the wine-afd provider rather than report this code.
 *  - WSAENOBUFS: out_size is too small (a caller bug; LNX_SOCKADDR_MAX_SIZE
 *    is always enough).
 * The port is copied as is; Wine's rewrite of port 0 to 9 for datagram
 * sockets is the caller's decision (see ws2s_sockaddr_win_port). */
int ws2s_sockaddr_to_linux(const void *win, int win_len, void *out, size_t out_size,
                           size_t *out_len);

/* The port of a valid AF_INET/AF_INET6 Windows address in host byte order,
 * or -1 when ws2s_sockaddr_to_linux would refuse the address. */
int ws2s_sockaddr_win_port(const void *win, int win_len);

#endif /* WS2SEND_SOCKADDR_TRANSLATE_H */
