/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: the control-message walker and its Linux translation
 * on untrusted bytes (an exact-size copy, so AddressSanitizer sees any read
 * past the end).  Both must agree, and a success must yield a well-formed
 * Linux control buffer no larger than promised.
 */
#include <stdlib.h>
#include <string.h>

#include "ws2send/cmsg_translate.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char out[WS2S_CMSG_LINUX_MAX_SIZE];
    struct ws2s_cmsg_info info, info2;
    size_t out_len = 0;
    unsigned char *copy = malloc(size ? size : 1);
    int ret, ret2;

    memcpy(copy, data, size);
    ret = ws2s_cmsg_validate(copy, size, &info);
    ret2 = ws2s_cmsg_to_linux(copy, size, out, sizeof(out), &out_len, &info2);
    if (ret != ret2 || (ret && ret != WS2S_WSAEINVAL)) abort();
    if (!ret && (memcmp(&info, &info2, sizeof(info)) || out_len > sizeof(out) || out_len % sizeof(size_t)
                 || info.supported + info.unsupported != info.count || info.noop > info.supported))
        abort();
    free(copy);
    return 0;
}
