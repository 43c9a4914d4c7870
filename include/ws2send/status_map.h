/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * NTSTATUS -> Winsock error, as Windows' ws2_32 maps the result of a send.
 */
#ifndef WS2SEND_STATUS_MAP_H
#define WS2SEND_STATUS_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "ws2send/win_abi.h"
#include "ws2send/win_ntstatus.h"

/* Returns the Winsock error for a send-path NTSTATUS:
 *  - STATUS_SUCCESS and every other success or informational code: 0, the
 *    call succeeded (WSAGetOverlappedResult also returns TRUE for them);
 *  - STATUS_PENDING: WSA_IO_PENDING (997), what a send that was queued
 *    reports (WSAGetOverlappedResult reports ERROR_IO_INCOMPLETE instead,
 *    which is not this function's concern);
 *  - a code in the table: its error;
 *  - any other warning or error code: WSAEINVAL, as Windows does. */
int ws2s_ntstatus_to_wsa(uint32_t status);

/* True for STATUS_SUCCESS, STATUS_PENDING and the table's codes, so a caller
 * can log the codes that fall through to the default. */
bool ws2s_ntstatus_is_known(uint32_t status);

#endif /* WS2SEND_STATUS_MAP_H */
