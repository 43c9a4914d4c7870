/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: send flag rules, their Linux mapping and WSASendMsg's
 * WSAMSG field rules, on any values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws2send/send_flags.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    uint32_t v[6] = {0};
    int ret;

    memcpy(v, data, size < sizeof(v) ? size : sizeof(v));
    ret = ws2s_send_flags_check(v[0], (enum ws2s_send_api)(v[1] % 5), (int)v[2]);
    if (ret && ret != WS2S_WSAEOPNOTSUPP && ret != WS2S_WSAEINVAL) abort();
    if (!ret && (v[0] & ~(uint32_t)WS2S_SEND_FLAGS_VALID)) abort();
    if (!ret && (ws2s_send_flags_to_linux(v[0]) & ~(uint32_t)LNX_MSG_OOB)) abort();
    ret = ws2s_wsamsg_check((void *)(uintptr_t)(v[3] & 1), (int)v[4], (void *)(uintptr_t)(v[3] & 2), v[5]);
    if (ret && ret != WS2S_WSAEFAULT) abort();
    return 0;
}
