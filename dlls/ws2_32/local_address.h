/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * IP_PKTINFO source addresses Windows accepts (local_address.c).
 */
#ifndef WS2SEND_LOCAL_ADDRESS_H
#define WS2SEND_LOCAL_ADDRESS_H

#include <windows.h>

/* FALSE when Windows would refuse this IPv4 source (network order) with
 * WSAEINVAL but Linux would send from it: an address of 127.0.0.0/8 that no
 * interface has. */
BOOL local_source_allowed(const unsigned char addr[4]);

#endif /* WS2SEND_LOCAL_ADDRESS_H */
