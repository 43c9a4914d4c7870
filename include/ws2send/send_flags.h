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
 *    a combination of ... MSG_DONTROUTE, MSG_PARTIAL, and MSG_OOB"), and
 *    Windows was seen to refuse send(MSG_WAITALL) with WSAEOPNOTSUPP, sending
 *    nothing (Kode/Kore#801): a flag Windows knows, but not for sends, so it
 *    checks against the list of send flags.  ReactOS' mswsock WSPSend
 *    rejects the other bits the same way.  So the recv-only MSG_PEEK,
 *    MSG_WAITALL and MSG_PUSH_IMMEDIATE fail too.
 *  - MSG_OOB on a socket that is not SOCK_STREAM: WSAEOPNOTSUPP
 *    (learn.microsoft.com send/sendto/WSASend/WSASendTo: "MSG_OOB was
 *    specified, but the socket is not stream-style").  Not verified on
 *    Windows, but no divergence from Wine's builtin: Linux refuses MSG_OOB
 *    on datagram sockets with EOPNOTSUPP, which Wine reports the same way.
 *  - MSG_PARTIAL is accepted on every socket type and ignored, as Wine's
 *    builtin does: on SOCK_STREAM a user's send(SocketFlags.Partial) works on
 *    Windows Server (dotnet/corefx#35375); on other sockets the documents
 *    say only that transports without partial messages "may" refuse it
 *    (WSAEOPNOTSUPP), which is no ground to fail a call that works under
 *    Wine (conformance/EVIDENCE.md).
 *  - MSG_DONTROUTE is always accepted ("A Windows Sockets service provider
 *    can choose to ignore this flag").
 * Wine's builtin fails a send because of its flags only where Linux does
 * (MSG_OOB on datagrams); it ignores the rest.  Refusing the unknown ones is
 * the API layer's choice, made on the evidence above.
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
 *  - name == NULL with namelen != 0 (learn.microsoft.com WSASendMsg; Wine's
 *    builtin refuses it too, with WSAEINVAL);
 *  - lpBuffers == NULL with dwBufferCount != 0 (WSASendMsg: lpMsg "not
 *    totally contained in a valid part of the user address space").
 * The Control field is not checked here: control data ws2send cannot use is
 * left out, as Wine's builtin leaves out all of it (api_send.c).
 * WSAMSG.dwFlags is not a parameter: the page says it "is ignored on input"
 * (its WSAEOPNOTSUPP row says otherwise; Wine ignores it too). */
int ws2s_wsamsg_check(const void *name, int namelen, const void *buffers, uint32_t buffer_count);

#endif /* WS2SEND_SEND_FLAGS_H */
