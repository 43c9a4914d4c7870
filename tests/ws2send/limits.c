/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Byte counts beyond 32 bits: lpNumberOfBytesSent and the completion's count
 * are DWORDs, and Wine's driver and Linux would send more than a DWORD can
 * report.  ws2send refuses such a send with WSAEINVAL and sends nothing
 * (Windows' answer is unverified: conformance/EVIDENCE.md).  ws2send-only:
 * Wine's builtin would start sending gigabytes.
 */
#include <string.h>

#include "util.h"

static void test_total_over_32_bits(void)
{
    static const SIZE_T sizes[] = { 1u << 30, 1u << 29, 1u << 28 };
    SOCKET client, server;
    WSABUF bufs[17];
    DWORD bytes, count = 0, i;
    SIZE_T size = 0;
    char *block = NULL, out[16];
    int ret;

    /* The same readable block many times over, so that the total passes
     * 4 GiB on i686 too. */
    for (i = 0; i < ARRAYSIZE(sizes) && !block; i++)
        if ((block = VirtualAlloc(NULL, sizes[i], MEM_RESERVE | MEM_COMMIT, PAGE_READONLY))) size = sizes[i];
    if (!block)
    {
        skip("no %u MiB block\n", (unsigned)(sizes[ARRAYSIZE(sizes) - 1] >> 20));
        return;
    }
    count = (DWORD)(((ULONGLONG)1 << 32) / size) + 1;
    for (i = 0; i < count; i++)
    {
        bufs[i].buf = block;
        bufs[i].len = (ULONG)size;
    }

    tcp_pair(&client, &server, WSA_FLAG_OVERLAPPED);
    set_blocking(client, FALSE);
    bytes = 0xdeadbeef;
    WSASetLastError(12345);
    ret = WSASend(client, bufs, count, &bytes, 0, NULL, NULL);
    ok(ret == SOCKET_ERROR, "%lu x %lu bytes: got %d\n", count, (unsigned long)size, ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %d\n", WSAGetLastError());
    ok(bytes == 0xdeadbeef, "got %lu bytes\n", bytes);

    /* Nothing was sent. */
    set_blocking(server, FALSE);
    ret = recv(server, out, sizeof(out), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "peer got %d bytes\n", ret);

    closesocket(client);
    closesocket(server);
    VirtualFree(block, 0, MEM_RELEASE);
}

START_TEST(limits)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_total_over_32_bits();
    WSACleanup();
}
