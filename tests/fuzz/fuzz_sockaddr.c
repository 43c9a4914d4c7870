/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target: Windows address translation.  The first four bytes are
 * the length the caller claims (which may exceed what is there: the copy is
 * as long as the claim allows, so a read past it is a real overread).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws2send/sockaddr_translate.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char out[LNX_SOCKADDR_MAX_SIZE + 8];
    size_t out_len = 0, have;
    int32_t claimed;
    unsigned char *copy;
    int family, ret;

    if (size < 4) return 0;
    memcpy(&claimed, data, 4);
    data += 4;
    size -= 4;
    /* A length larger than the buffer is the caller lying; the translator
     * trusts the length, so only lengths the bytes cover are fair. */
    if (claimed > 0 && (size_t)claimed > size) claimed = (int32_t)size;
    have = claimed > 0 ? (size_t)claimed : 0;
    copy = malloc(have ? have : 1);
    memcpy(copy, data, have);

    ret = ws2s_sockaddr_to_linux(copy, claimed, out, LNX_SOCKADDR_MAX_SIZE, &out_len);
    if (!ret && (out_len > LNX_SOCKADDR_MAX_SIZE || !out_len)) abort();
    if (!ret != (ws2s_sockaddr_win_port(copy, claimed) >= 0)) abort();
    if (!ws2s_sockaddr_win_family(copy, claimed, &family) && !ret && !ws2s_sockaddr_family_len(family)) abort();
    free(copy);
    return 0;
}
