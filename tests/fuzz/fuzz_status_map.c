/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: NTSTATUS to Winsock error mapping, for every status:
 * success maps to 0, every failure to a Winsock or overlapped error code;
 * and a host errno read as Wine's driver reads it (errno_map) is a failure
 * that maps to one too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws2send/errno_map.h"
#include "ws2send/status_map.h"

static int is_winsock_error(int error)
{
    return (error >= 10004 && error <= 10112) || (error >= 995 && error <= 997) || error == 87 || error == 8;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    uint32_t status = 0, from_errno;
    int32_t linux_errno = 0;
    int error;

    memcpy(&status, data, size < sizeof(status) ? size : sizeof(status));
    if (size > sizeof(status))
        memcpy(&linux_errno, data + sizeof(status),
               size - sizeof(status) < sizeof(linux_errno) ? size - sizeof(status) : sizeof(linux_errno));
    error = ws2s_ntstatus_to_wsa(status);
    ws2s_ntstatus_is_known(status);
    if (status == WS2S_STATUS_SUCCESS && error) abort();
    if (!WS2S_NT_SUCCESS(status) && !is_winsock_error(error)) abort();

    if (linux_errno > 0)
    {
        from_errno = ws2s_errno_to_ntstatus(linux_errno);
        if (WS2S_NT_SUCCESS(from_errno) || !is_winsock_error(ws2s_ntstatus_to_wsa(from_errno))) abort();
    }
    return 0;
}
