/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>

#include "ws2send/status_map.h"

struct status_row
{
    uint32_t status;
    int error;
};

/* Sources:
 *  [W] Windows: map_status() in Wine's dlls/ws2_32/tests/sock.c, the table
 *      test_WSAGetOverlappedResult checks for every status in 0xc0000000-
 *      0xc0001000 (and other ranges) on real Windows.  Rows not listed there
 *      fall to WSAEINVAL on Windows too.
 *  [N] Wine's NtStatusToWSAError (dlls/ws2_32/socket.c), which agrees with
 *      [W] on the send-path codes; named where only it lists a row. */
static const struct status_row status_rows[] =
{
    /* [W] warning */
    { WS2S_STATUS_BUFFER_OVERFLOW,             WS2S_WSAEMSGSIZE },
    /* [W] 0x8007xxxx: a Win32 error wrapped as an HRESULT-style status */
    { 0x80070000u | WS2S_ERROR_IO_INCOMPLETE,  WS2S_ERROR_IO_INCOMPLETE },
    /* [W] resources, handles and memory */
    { WS2S_STATUS_NOT_IMPLEMENTED,             WS2S_WSAEOPNOTSUPP },
    { WS2S_STATUS_ACCESS_VIOLATION,            WS2S_WSAEFAULT },
    { WS2S_STATUS_PAGEFILE_QUOTA,              WS2S_WSAENOBUFS },
    { WS2S_STATUS_INVALID_HANDLE,              WS2S_WSAENOTSOCK },
    /* [N] explicit there; Windows reaches WSAEINVAL through its default */
    { WS2S_STATUS_INVALID_PARAMETER,           WS2S_WSAEINVAL },
    /* [W] */
    { WS2S_STATUS_NO_SUCH_DEVICE,              WS2S_WSAENETDOWN },
    { WS2S_STATUS_NO_SUCH_FILE,                WS2S_WSAENETDOWN },
    { WS2S_STATUS_NO_MEMORY,                   WS2S_WSAENOBUFS },
    { WS2S_STATUS_CONFLICTING_ADDRESSES,       WS2S_WSAENOBUFS },
    { WS2S_STATUS_ACCESS_DENIED,               WS2S_WSAEACCES },
    { WS2S_STATUS_BUFFER_TOO_SMALL,            WS2S_WSAEFAULT },
    { WS2S_STATUS_OBJECT_TYPE_MISMATCH,        WS2S_WSAENOTSOCK },
    { WS2S_STATUS_OBJECT_NAME_NOT_FOUND,       WS2S_WSAENETDOWN },
    { WS2S_STATUS_OBJECT_PATH_NOT_FOUND,       WS2S_WSAENETDOWN },
    { WS2S_STATUS_SHARING_VIOLATION,           WS2S_WSAEADDRINUSE },
    { WS2S_STATUS_QUOTA_EXCEEDED,              WS2S_WSAENOBUFS },
    { WS2S_STATUS_TOO_MANY_PAGING_FILES,       WS2S_WSAENOBUFS },
    { WS2S_STATUS_INSUFFICIENT_RESOURCES,      WS2S_WSAENOBUFS },
    { WS2S_STATUS_WORKING_SET_QUOTA,           WS2S_WSAENOBUFS },
    /* [W] I/O state */
    { WS2S_STATUS_DEVICE_NOT_READY,            WS2S_WSAEWOULDBLOCK },
    { WS2S_STATUS_PIPE_DISCONNECTED,           WS2S_WSAESHUTDOWN },
    { WS2S_STATUS_IO_TIMEOUT,                  WS2S_WSAETIMEDOUT },
    { WS2S_STATUS_NOT_SUPPORTED,               WS2S_WSAEOPNOTSUPP },
    /* [W] network */
    { WS2S_STATUS_REMOTE_NOT_LISTENING,        WS2S_WSAECONNREFUSED },
    { WS2S_STATUS_BAD_NETWORK_PATH,            WS2S_WSAENETUNREACH },
    { WS2S_STATUS_NETWORK_BUSY,                WS2S_WSAENETDOWN },
    { WS2S_STATUS_INVALID_NETWORK_RESPONSE,    WS2S_WSAENETDOWN },
    { WS2S_STATUS_UNEXPECTED_NETWORK_ERROR,    WS2S_WSAENETDOWN },
    { WS2S_STATUS_REQUEST_NOT_ACCEPTED,        WS2S_WSAEWOULDBLOCK },
    { WS2S_STATUS_CANCELLED,                   WS2S_ERROR_OPERATION_ABORTED },
    { WS2S_STATUS_COMMITMENT_LIMIT,            WS2S_WSAENOBUFS },
    /* [W] connection state */
    { WS2S_STATUS_LOCAL_DISCONNECT,            WS2S_WSAECONNABORTED },
    { WS2S_STATUS_REMOTE_DISCONNECT,           WS2S_WSAECONNRESET },
    { WS2S_STATUS_REMOTE_RESOURCES,            WS2S_WSAENOBUFS },
    { WS2S_STATUS_LINK_FAILED,                 WS2S_WSAECONNRESET },
    { WS2S_STATUS_LINK_TIMEOUT,                WS2S_WSAETIMEDOUT },
    { WS2S_STATUS_INVALID_CONNECTION,          WS2S_WSAENOTCONN },
    { WS2S_STATUS_INVALID_ADDRESS,             WS2S_WSAEADDRNOTAVAIL },
    { WS2S_STATUS_INVALID_BUFFER_SIZE,         WS2S_WSAEMSGSIZE },
    { WS2S_STATUS_INVALID_ADDRESS_COMPONENT,   WS2S_WSAEADDRNOTAVAIL },
    { WS2S_STATUS_TOO_MANY_ADDRESSES,          WS2S_WSAENOBUFS },
    { WS2S_STATUS_ADDRESS_ALREADY_EXISTS,      WS2S_WSAEADDRINUSE },
    { WS2S_STATUS_CONNECTION_DISCONNECTED,     WS2S_WSAECONNRESET },
    { WS2S_STATUS_CONNECTION_RESET,            WS2S_WSAECONNRESET },
    { WS2S_STATUS_TRANSACTION_ABORTED,         WS2S_WSAECONNABORTED },
    { WS2S_STATUS_CONNECTION_REFUSED,          WS2S_WSAECONNREFUSED },
    { WS2S_STATUS_GRACEFUL_DISCONNECT,         WS2S_WSAEDISCON },
    { WS2S_STATUS_CONNECTION_ACTIVE,           WS2S_WSAEISCONN },
    { WS2S_STATUS_NETWORK_UNREACHABLE,         WS2S_WSAENETUNREACH },
    { WS2S_STATUS_HOST_UNREACHABLE,            WS2S_WSAEHOSTUNREACH },
    { WS2S_STATUS_PROTOCOL_UNREACHABLE,        WS2S_WSAENETUNREACH },
    { WS2S_STATUS_PORT_UNREACHABLE,            WS2S_WSAECONNRESET },
    { WS2S_STATUS_REQUEST_ABORTED,             WS2S_WSAEINTR },
    { WS2S_STATUS_CONNECTION_ABORTED,          WS2S_WSAECONNABORTED },
    { WS2S_STATUS_DATATYPE_MISALIGNMENT_ERROR, WS2S_WSAEFAULT },
    { WS2S_STATUS_HOST_DOWN,                   WS2S_WSAEHOSTDOWN },
    /* [W] Win32 errors wrapped with other facility/severity bits */
    { 0xC0010000u | WS2S_ERROR_IO_INCOMPLETE,  WS2S_ERROR_IO_INCOMPLETE },
    { 0xC0070000u | WS2S_ERROR_IO_INCOMPLETE,  WS2S_ERROR_IO_INCOMPLETE },
};

static const struct status_row *find_row(uint32_t status)
{
    size_t i;

    for (i = 0; i < sizeof(status_rows) / sizeof(status_rows[0]); i++)
        if (status_rows[i].status == status) return &status_rows[i];
    return NULL;
}

int ws2s_ntstatus_to_wsa(uint32_t status)
{
    const struct status_row *row;

    if (status == WS2S_STATUS_SUCCESS) return 0;
    if (status == WS2S_STATUS_PENDING) return WS2S_WSA_IO_PENDING;
    if ((row = find_row(status))) return row->error;
    return WS2S_NT_SUCCESS(status) ? 0 : WS2S_WSAEINVAL;
}

bool ws2s_ntstatus_is_known(uint32_t status)
{
    return status == WS2S_STATUS_SUCCESS || status == WS2S_STATUS_PENDING || find_row(status);
}
