/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Pure argument rules of the send entry points: dwFlags/flags, and the
 * WSAMSG fields WSASendMsg checks before sending.
 *
 * Where the rules come from:
 *  - WSASendMsg on a SOCK_STREAM socket fails with WSAEINVAL: Wine's
 *    test_WSASendMsg ("SOCK_STREAM sockets are not supported"; a plain ok()
 *    on Windows, todo_wine on Wine).  It is checked before the flags; that
 *    order is unverified on Windows.
 *  - Flags other than MSG_OOB, MSG_DONTROUTE and MSG_PARTIAL fail with
 *    WSAEOPNOTSUPP on every entry point: the pages of send, sendto, WSASend,
 *    WSASendTo and WSASendMsg list only those (WSASendMsg: "can only contain
 *    a combination of ... MSG_DONTROUTE, MSG_PARTIAL, and MSG_OOB"); a user
 *    saw WSAEOPNOTSUPP for send(MSG_WAITALL) on Windows (Kode/Kore#801);
 *    ReactOS' mswsock WSPSend rejects the other bits the same way.  So the
 *    recv-only MSG_PEEK, MSG_WAITALL and MSG_PUSH_IMMEDIATE fail too.
 *  - MSG_OOB on a socket that is not SOCK_STREAM: WSAEOPNOTSUPP.
 *    documentation-only, unverified on Windows: learn.microsoft.com
 *    send/sendto/WSASend/WSASendTo ("MSG_OOB was specified, but the socket
 *    is not stream-style such as type SOCK_STREAM").
 *  - MSG_PARTIAL on SOCK_STREAM is accepted: a user's send(SocketFlags.
 *    Partial) on TCP works on Windows Server (dotnet/corefx#35375); ReactOS
 *    passes it on as TDI_SEND_PARTIAL.
 *  - MSG_PARTIAL on any other socket: WSAEOPNOTSUPP.  documentation-only,
 *    unverified on Windows: learn.microsoft.com WSASend ("the error code
 *    WSAEOPNOTSUPP will be returned by transports that do not support
 *    partial message transmissions"); ReactOS' WSPSendTo accepts only
 *    MSG_DONTROUTE on datagram sockets.
 *  - MSG_DONTROUTE is always accepted ("A Windows Sockets service provider
 *    can choose to ignore this flag").
 * Wine's builtin never fails a send because of its flags (it passes MSG_OOB
 * on and ignores the rest), so applying these rules is a choice of the API
 * layer.
 */
#ifndef WS2SEND_SEND_FLAGS_H
#define WS2SEND_SEND_FLAGS_H

#include <stdint.h>

#include "ws2send/linux_abi.h"
#include "ws2send/win_abi.h"

enum ws2s_send_api
{
    WS2S_API_SEND,
    WS2S_API_SENDTO,
    WS2S_API_WSASEND,
    WS2S_API_WSASENDTO,
    WS2S_API_WSASENDMSG,
};

#define WS2S_SEND_FLAGS_VALID (WS2S_MSG_OOB | WS2S_MSG_DONTROUTE | WS2S_MSG_PARTIAL)

/* Checks the flags of a call to api on a socket of Windows type sock_type
 * (WS2S_SOCK_STREAM, _DGRAM, _RAW; other types are treated as message
 * oriented, like DGRAM).  Returns 0 or the Winsock error, per the rules
 * above. */
int ws2s_send_flags_check(uint32_t flags, enum ws2s_send_api api, int sock_type);

/* Linux sendmsg flags for valid Windows flags, as Wine's try_send maps them:
 * MSG_OOB passes; MSG_DONTROUTE and MSG_PARTIAL are dropped, so a host send
 * behaves as Wine's builtin would. */
uint32_t ws2s_send_flags_to_linux(uint32_t flags);

/* WSASendMsg's rules on the WSAMSG fields, given as plain values (nothing is
 * dereferenced).  Returns 0 or WSAEFAULT, checking in this order (the order
 * is unverified on Windows):
 *  - name == NULL with namelen != 0 (learn.microsoft.com WSASendMsg);
 *  - lpBuffers == NULL with dwBufferCount != 0 (WSASendMsg: lpMsg "not
 *    totally contained in a valid part of the user address space");
 *  - Control.buf == NULL with Control.len != 0 (WSASendMsg).
 * WSAMSG.dwFlags is not a parameter: the page says it "is ignored on input"
 * (its WSAEOPNOTSUPP row says otherwise; Wine ignores it too). */
int ws2s_wsamsg_check(const void *name, int namelen, const void *buffers,
                      uint32_t buffer_count, const void *control_buf, uint32_t control_len);

#endif /* WS2SEND_SEND_FLAGS_H */
