/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: NTSTATUS to Winsock error mapping, for every status:
 * success maps to 0, every failure to a Winsock or overlapped error code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws2send/status_map.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    uint32_t status = 0;
    int error;

    memcpy(&status, data, size < sizeof(status) ? size : sizeof(status));
    error = ws2s_ntstatus_to_wsa(status);
    ws2s_ntstatus_is_known(status);
    if (status == WS2S_STATUS_SUCCESS && error) abort();
    if (!WS2S_NT_SUCCESS(status) && !((error >= 10004 && error <= 10112) || (error >= 995 && error <= 997)
                                      || error == 87 || error == 8))
        abort();
    return 0;
}
