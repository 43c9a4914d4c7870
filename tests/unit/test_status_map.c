/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ws2s_ntstatus_to_wsa against an independent table written with literal
 * numbers: NTSTATUS values from ntstatus.h, errors from winerror.h, the
 * mapping from map_status() in Wine's dlls/ws2_32/tests/sock.c (checked on
 * Windows by test_WSAGetOverlappedResult), except STATUS_PENDING, which a
 * send reports as WSA_IO_PENDING.
 */
#include <stdint.h>

#include "ws2send/status_map.h"
#include "unit_test.h"

static const struct
{
    uint32_t status;
    int error;
    const char *name;
}
expected[] =
{
    { 0x00000000, 0,     "SUCCESS" },
    { 0x00000103, 997,   "PENDING" },
    { 0x80000005, 10040, "BUFFER_OVERFLOW" },
    { 0xC0000002, 10045, "NOT_IMPLEMENTED" },
    { 0xC0000005, 10014, "ACCESS_VIOLATION" },
    { 0xC0000007, 10055, "PAGEFILE_QUOTA" },
    { 0xC0000008, 10038, "INVALID_HANDLE" },
    { 0xC000000D, 10022, "INVALID_PARAMETER" },
    { 0xC000000E, 10050, "NO_SUCH_DEVICE" },
    { 0xC000000F, 10050, "NO_SUCH_FILE" },
    { 0xC0000017, 10055, "NO_MEMORY" },
    { 0xC0000018, 10055, "CONFLICTING_ADDRESSES" },
    { 0xC0000022, 10013, "ACCESS_DENIED" },
    { 0xC0000023, 10014, "BUFFER_TOO_SMALL" },
    { 0xC0000024, 10038, "OBJECT_TYPE_MISMATCH" },
    { 0xC0000034, 10050, "OBJECT_NAME_NOT_FOUND" },
    { 0xC000003A, 10050, "OBJECT_PATH_NOT_FOUND" },
    { 0xC0000043, 10048, "SHARING_VIOLATION" },
    { 0xC0000044, 10055, "QUOTA_EXCEEDED" },
    { 0xC0000097, 10055, "TOO_MANY_PAGING_FILES" },
    { 0xC000009A, 10055, "INSUFFICIENT_RESOURCES" },
    { 0xC00000A1, 10055, "WORKING_SET_QUOTA" },
    { 0xC00000A3, 10035, "DEVICE_NOT_READY" },
    { 0xC00000B0, 10058, "PIPE_DISCONNECTED" },
    { 0xC00000B5, 10060, "IO_TIMEOUT" },
    { 0xC00000BB, 10045, "NOT_SUPPORTED" },
    { 0xC00000BC, 10061, "REMOTE_NOT_LISTENING" },
    { 0xC00000BE, 10051, "BAD_NETWORK_PATH" },
    { 0xC00000BF, 10050, "NETWORK_BUSY" },
    { 0xC00000C3, 10050, "INVALID_NETWORK_RESPONSE" },
    { 0xC00000C4, 10050, "UNEXPECTED_NETWORK_ERROR" },
    { 0xC00000D0, 10035, "REQUEST_NOT_ACCEPTED" },
    { 0xC0000120, 995,   "CANCELLED" },
    { 0xC000012D, 10055, "COMMITMENT_LIMIT" },
    { 0xC000013B, 10053, "LOCAL_DISCONNECT" },
    { 0xC000013C, 10054, "REMOTE_DISCONNECT" },
    { 0xC000013D, 10055, "REMOTE_RESOURCES" },
    { 0xC000013E, 10054, "LINK_FAILED" },
    { 0xC000013F, 10060, "LINK_TIMEOUT" },
    { 0xC0000140, 10057, "INVALID_CONNECTION" },
    { 0xC0000141, 10049, "INVALID_ADDRESS" },
    { 0xC0000206, 10040, "INVALID_BUFFER_SIZE" },
    { 0xC0000207, 10049, "INVALID_ADDRESS_COMPONENT" },
    { 0xC0000209, 10055, "TOO_MANY_ADDRESSES" },
    { 0xC000020A, 10048, "ADDRESS_ALREADY_EXISTS" },
    { 0xC000020C, 10054, "CONNECTION_DISCONNECTED" },
    { 0xC000020D, 10054, "CONNECTION_RESET" },
    { 0xC000020F, 10053, "TRANSACTION_ABORTED" },
    { 0xC0000236, 10061, "CONNECTION_REFUSED" },
    { 0xC0000237, 10101, "GRACEFUL_DISCONNECT" },
    { 0xC000023B, 10056, "CONNECTION_ACTIVE" },
    { 0xC000023C, 10051, "NETWORK_UNREACHABLE" },
    { 0xC000023D, 10065, "HOST_UNREACHABLE" },
    { 0xC000023E, 10051, "PROTOCOL_UNREACHABLE" },
    { 0xC000023F, 10054, "PORT_UNREACHABLE" },
    { 0xC0000240, 10004, "REQUEST_ABORTED" },
    { 0xC0000241, 10053, "CONNECTION_ABORTED" },
    { 0xC00002C5, 10014, "DATATYPE_MISALIGNMENT_ERROR" },
    { 0xC0000350, 10064, "HOST_DOWN" },
    { 0x800703E4, 996,   "0x80070000 | ERROR_IO_INCOMPLETE" },
    { 0xC00103E4, 996,   "0xc0010000 | ERROR_IO_INCOMPLETE" },
    { 0xC00703E4, 996,   "0xc0070000 | ERROR_IO_INCOMPLETE" },
};

static int expected_error(uint32_t status, int *known)
{
    size_t i;

    for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
    {
        if (expected[i].status != status) continue;
        *known = 1;
        return expected[i].error;
    }
    *known = 0;
    return status < 0x80000000u ? 0 : 10022;
}

static void test_rows(void)
{
    size_t i;

    for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
    {
        unit_context = expected[i].name;
        CHECK_EQ(ws2s_ntstatus_to_wsa(expected[i].status), expected[i].error);
        CHECK(ws2s_ntstatus_is_known(expected[i].status));
    }
    unit_context = "";
}

/* The names the brief and Wine's NtStatusToWSAError use, through the
 * header's constants, so a typo in win_ntstatus.h shows up here too. */
static void test_named(void)
{
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_SUCCESS), 0);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_PENDING), WS2S_WSA_IO_PENDING);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_DEVICE_NOT_READY), WS2S_WSAEWOULDBLOCK);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_BUFFER_OVERFLOW), WS2S_WSAEMSGSIZE);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_INVALID_CONNECTION), WS2S_WSAENOTCONN);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_CONNECTION_RESET), WS2S_WSAECONNRESET);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_PIPE_DISCONNECTED), WS2S_WSAESHUTDOWN);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_ACCESS_VIOLATION), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_BUFFER_TOO_SMALL), WS2S_WSAEFAULT);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_INVALID_HANDLE), WS2S_WSAENOTSOCK);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_OBJECT_TYPE_MISMATCH), WS2S_WSAENOTSOCK);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_IO_TIMEOUT), WS2S_WSAETIMEDOUT);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_CANCELLED), WS2S_ERROR_OPERATION_ABORTED);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_NOT_SUPPORTED), WS2S_WSAEOPNOTSUPP);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_NO_MEMORY), WS2S_WSAENOBUFS);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_INSUFFICIENT_RESOURCES), WS2S_WSAENOBUFS);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_HOST_UNREACHABLE), WS2S_WSAEHOSTUNREACH);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_NETWORK_UNREACHABLE), WS2S_WSAENETUNREACH);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_CONNECTION_REFUSED), WS2S_WSAECONNREFUSED);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_CONNECTION_ABORTED), WS2S_WSAECONNABORTED);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_LOCAL_DISCONNECT), WS2S_WSAECONNABORTED);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_INVALID_PARAMETER), WS2S_WSAEINVAL);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_ACCESS_DENIED), WS2S_WSAEACCES);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_NETWORK_BUSY), WS2S_WSAENETDOWN);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_CONNECTION_ACTIVE), WS2S_WSAEISCONN);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_INVALID_ADDRESS_COMPONENT), WS2S_WSAEADDRNOTAVAIL);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_GRACEFUL_DISCONNECT), WS2S_WSAEDISCON);
    CHECK_EQ(ws2s_ntstatus_to_wsa(WS2S_STATUS_PORT_UNREACHABLE), WS2S_WSAECONNRESET);
}

/* Codes outside the table: errors and warnings give WSAEINVAL, success and
 * informational codes 0, and none of them is "known". */
static void test_defaults(void)
{
    static const uint32_t unknown_errors[] =
    {
        0xC0000001 /* UNSUCCESSFUL */, 0xC0000010 /* INVALID_DEVICE_REQUEST */,
        0x80000001, 0x80000006, 0xC0FFFFFF, 0xD0000000, 0xE0000000, 0xFFFFFFFF,
    };
    static const uint32_t unknown_successes[] =
    {
        0x00000001, 0x00000101 /* ALERTED */, 0x00000102 /* TIMEOUT */, 0x00000104,
        0x40000000, 0x40000003, 0x7FFFFFFF,
    };
    size_t i;

    for (i = 0; i < sizeof(unknown_errors) / sizeof(unknown_errors[0]); i++)
    {
        CHECK_EQ(ws2s_ntstatus_to_wsa(unknown_errors[i]), 10022);
        CHECK(!ws2s_ntstatus_is_known(unknown_errors[i]));
    }
    for (i = 0; i < sizeof(unknown_successes) / sizeof(unknown_successes[0]); i++)
    {
        CHECK_EQ(ws2s_ntstatus_to_wsa(unknown_successes[i]), 0);
        CHECK(!ws2s_ntstatus_is_known(unknown_successes[i]));
    }
}

/* The ranges test_WSAGetOverlappedResult sweeps on Windows, code by code. */
static void test_sweep(void)
{
    static const uint32_t ranges[][2] =
    {
        { 0x00000000, 0x00010000 }, { 0x40000000, 0x40001000 },
        { 0x80000000, 0x80001000 }, { 0x80070000, 0x80080000 },
        { 0xc0000000, 0xc0001000 }, { 0xc0070000, 0xc0080000 },
        { 0xd0000000, 0xd0001000 }, { 0xd0070000, 0xd0080000 },
    };
    unsigned int mismatches = 0;
    size_t i;

    for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
    {
        uint32_t status;

        for (status = ranges[i][0]; status < ranges[i][1]; status++)
        {
            int known, expect = expected_error(status, &known);

            if (ws2s_ntstatus_to_wsa(status) != expect || ws2s_ntstatus_is_known(status) != !!known)
            {
                if (mismatches++ < 10)
                    fprintf(stderr, "status %#x: got %d (known %d), expected %d (known %d)\n", status,
                            ws2s_ntstatus_to_wsa(status), ws2s_ntstatus_is_known(status), expect, known);
            }
        }
    }
    CHECK_EQ(mismatches, 0);
}

int main(void)
{
    test_rows();
    test_named();
    test_defaults();
    test_sweep();
    return unit_done("status_map");
}
