/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * WSASendMsg(), both as the pointer WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER,
 * WSAID_WSASENDMSG) hands out and as the export of ws2_32.dll: argument
 * checks, implicit bind, gather, flags, socket types, control data
 * (IP_PKTINFO / IPV6_PKTINFO) and overlapped completion.  Every check runs
 * once per pointer, in the context "ioctl" or "export".
 *
 * Sources: facts as numbered in shared/reference/windows-send-facts.md (from
 * Wine's dlls/ws2_32/tests/sock.c test_WSASendMsg, run on Windows by Wine's
 * testbot); "MSDN WSASendMsg" is
 * sdk-api-src/content/winsock2/nf-winsock2-wsasendmsg.md.  Checks known only
 * from the documentation (or by analogy with a sibling function) end their
 * message with "[doc]".
 */

#include "sendtest.h"

static char teststr[12] = "hello world";

static void init_msg(WSAMSG *msg, WSABUF *bufs, DWORD count, struct sockaddr_storage *to)
{
    memset(msg, 0, sizeof(*msg));
    bufs[0].buf = teststr;
    bufs[0].len = sizeof(teststr);
    bufs[1].buf = teststr;
    bufs[1].len = sizeof(teststr) / 2;
    msg->lpBuffers = bufs;
    msg->dwBufferCount = count;
    if (to)
    {
        msg->name = (struct sockaddr *)to;
        msg->namelen = to->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    }
}

static void test_args(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    struct sockaddr_in6 addr6;
    SOCKET s, peer;
    WSABUF bufs[2];
    WSAMSG msg;
    DWORD bytes;
    int ret, len, err;

    peer = st_udp_bound(AF_INET, &addr);
    init_msg(&msg, bufs, 1, &addr);

    /* Windows: sock.c test_WSASendMsg (fact M2): the socket is checked
     * before the missing byte count. */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(INVALID_SOCKET, &msg, 0, NULL, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u\n", WSAGetLastError());

    /* The same order against the WSAMSG field rules: a NULL name with a
     * length on an invalid socket (fact M2 carried over; unverified). */
    msg.name = NULL;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(INVALID_SOCKET, &msg, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAENOTSOCK, "got error %u [doc]\n", WSAGetLastError());
    msg.name = (struct sockaddr *)&addr;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    /* The failing calls must not wait; nonblocking, so that one that waits
     * fails its check instead of hanging. */
    st_set_blocking(s, FALSE);

    /* Windows: sock.c test_WSASendMsg (fact M3). */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, NULL, 0, NULL, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, NULL, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());

    /* Windows: sock.c test_WSASendMsg (fact M9): a call without a message
     * does not bind the socket. */
    len = sizeof(local);
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());

    /* MSDN WSASendMsg: WSAEFAULT "if the name member of the WSAMSG structure
     * is NULL and the namelen member is not zero". */
    msg.name = NULL;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());
    msg.name = (struct sockaddr *)&addr;

    /* MSDN WSASendMsg: WSAEFAULT when "the Control.buf member ... is NULL and
     * the Control.len member is not zero".  Documentation only, and Wine's
     * builtin sends (it ignores all control data): ws2send sends too,
     * without the control data (conformance/EVIDENCE.md). */
    msg.Control.buf = NULL;
    msg.Control.len = 16;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(!ret || broken(ret == SOCKET_ERROR && err == WSAEFAULT), "got %d, error %u [doc]\n", ret, err);
    if (!ret) st_recvfrom(peer, (char *)&local, sizeof(local), NULL, NULL, ST_WAIT_MS);
    msg.Control.len = 0;

    /* MSDN WSASendMsg: WSAEFAULT for a message whose buffers are not in
     * valid memory (lpBuffers NULL with a count). */
    msg.lpBuffers = NULL;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());
    msg.lpBuffers = bufs;

    /* An address one byte too short: sendto and WSASendTo document WSAEFAULT
     * ("tolen too small"); WSASendMsg does not say.  Must fail. */
    msg.namelen = sizeof(struct sockaddr_in) - 1;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSAEFAULT || err == WSAEINVAL, "got error %u [doc]\n", err);

    /* An IPv6 address for an IPv4 socket: WSAEAFNOSUPPORT by the sendto and
     * WSASendTo documentation.  Must fail. */
    memset(&addr6, 0, sizeof(addr6));
    addr6.sin6_family = AF_INET6;
    addr6.sin6_addr = in6addr_loopback;
    addr6.sin6_port = ((struct sockaddr_in *)&addr)->sin_port;
    msg.name = (struct sockaddr *)&addr6;
    msg.namelen = sizeof(addr6);
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSAEAFNOSUPPORT || err == WSAEINVAL || err == WSAEFAULT, "got error %u [doc]\n", err);

    /* No address on an unconnected socket: MSDN WSASendMsg lists
     * WSAENOTCONN; sendto lists WSAEDESTADDRREQ as well.  Must fail. */
    msg.name = NULL;
    msg.namelen = 0;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(err == WSAENOTCONN || err == WSAEDESTADDRREQ, "got error %u [doc]\n", err);
    msg.name = (struct sockaddr *)&addr;
    msg.namelen = sizeof(struct sockaddr_in);

    /* Windows: sock.c test_WSASendMsg (fact M4): a byte count is required
     * without an overlapped. */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, NULL, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u\n", WSAGetLastError());
    closesocket(s);

    /* Windows: sock.c test_WSASendMsg ("a bad call to WSASendMsg will also
     * bind the socket"): the call with a message but no byte count fails,
     * yet binds the fresh socket to 0.0.0.0 and a port. */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    init_msg(&msg, bufs, 2, &addr);
    ret = pWSASendMsg(s, &msg, 0, NULL, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    len = sizeof(local);
    memset(&local, 0xcc, sizeof(local));
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(!ret, "getsockname failed: %u\n", WSAGetLastError());
    ok(!ret && local.sin_addr.s_addr == htonl(INADDR_ANY), "got address %#lx\n", (unsigned long)ntohl(local.sin_addr.s_addr));
    ok(!ret && local.sin_port, "got port 0\n");
    closesocket(s);

    closesocket(peer);
}

/* Runs in a child process ("wsasendmsg badmsg-ioctl|badmsg-export"), so that an
 * implementation that dereferences the pointer crashes the child only. */
static void test_bad_msg_pointer(LPFN_WSASENDMSG pWSASendMsg)
{
    DWORD bytes;
    SOCKET s;
    int ret;

    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    st_set_blocking(s, FALSE);

    /* MSDN WSASendMsg: "WSAEFAULT: The lpMsg ... parameter is not totally
     * contained in a valid part of the user address space." */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, st_bad_pointer(), 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEFAULT, "got error %u [doc]\n", WSAGetLastError());

    closesocket(s);
}

static void test_send(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr;
    struct sockaddr_in local, from;
    SOCKET s, peer;
    WSABUF bufs[2];
    WSAMSG msg;
    DWORD bytes;
    char out[64];
    int ret, len;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    init_msg(&msg, bufs, 1, &addr);

    /* Windows: sock.c test_WSASendMsg (fact M5); the last error was left
     * alone by Windows Server 2008 and older. */
    bytes = 0;
    SetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(GetLastError() == 0 || broken(GetLastError() == 0xdeadbeef), "got error %lu\n", GetLastError());
    ok(bytes == sizeof(teststr), "got %lu bytes\n", bytes);

    len = sizeof(from);
    memset(out, 0, sizeof(out));
    ret = st_recvfrom(peer, out, sizeof(out), (struct sockaddr *)&from, &len, ST_WAIT_MS);
    ok(ret == sizeof(teststr) && !memcmp(out, teststr, sizeof(teststr)), "peer got %d, error %u\n", ret, WSAGetLastError());

    /* Windows: sock.c test_WSASendMsg (fact M6). */
    len = sizeof(local);
    memset(&local, 0xcc, sizeof(local));
    ret = getsockname(s, (struct sockaddr *)&local, &len);
    ok(!ret, "getsockname failed: %u\n", WSAGetLastError());
    ok(local.sin_addr.s_addr == htonl(INADDR_ANY), "got address %#lx\n", (unsigned long)ntohl(local.sin_addr.s_addr));
    ok(local.sin_port != 0, "got port 0\n");
    ok(from.sin_port == local.sin_port, "datagram from port %u, socket has %u\n", ntohs(from.sin_port), ntohs(local.sin_port));

    /* Windows: sock.c test_WSASendMsg (fact M7): two buffers, one datagram. */
    msg.dwBufferCount = 2;
    bytes = 0;
    SetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(teststr) + sizeof(teststr) / 2, "got %lu bytes\n", bytes);
    ok(GetLastError() == 0 || broken(GetLastError() == 0xdeadbeef), "got error %lu\n", GetLastError());
    memset(out, 0, sizeof(out));
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 18, "peer got %d\n", ret);
    ok(ret == 18 && !memcmp(out, teststr, 12) && !memcmp(out + 12, teststr, 6), "peer got %s\n", wine_dbgstr_an(out, max(ret, 0)));

    closesocket(s);
    closesocket(peer);
}

static void test_flags(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr;
    SOCKET s, peer;
    WSABUF bufs[2];
    WSAMSG msg;
    DWORD bytes;
    char out[64];
    int ret, err;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    st_set_blocking(s, FALSE);
    init_msg(&msg, bufs, 1, &addr);

    /* MSDN WSASendMsg: dwFlags "can only contain ... MSG_DONTROUTE,
     * MSG_PARTIAL, MSG_OOB"; MSG_DONTROUTE: "A Windows Sockets service
     * provider can choose to ignore this flag". */
    bytes = 0;
    ret = pWSASendMsg(s, &msg, MSG_DONTROUTE, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u [doc]\n", ret, WSAGetLastError());
    ok(bytes == sizeof(teststr), "got %lu bytes [doc]\n", bytes);
    if (!ret)
    {
        ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
        ok(ret == sizeof(teststr), "peer got %d [doc]\n", ret);
    }

    /* MSDN WSASendMsg: MSG_PARTIAL "may give WSAEOPNOTSUPP" on transports
     * without partial messages.  Unverified: accept either. */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, MSG_PARTIAL, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSAEOPNOTSUPP), "got %d, error %u [doc]\n", ret, err);
    if (!ret) st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);

    /* MSDN WSASend and sendto: "WSAEOPNOTSUPP: MSG_OOB was specified, but
     * the socket is not stream-style". */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, MSG_OOB, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEOPNOTSUPP, "got error %u [doc]\n", WSAGetLastError());

    /* MSDN WSASendMsg: dwFlags "can only contain" the three flags above; an
     * unknown bit is refused (WSAEOPNOTSUPP per the WSASendMsg table, or
     * WSAEINVAL, send's "unknown flag").  Unverified which. */
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0x40000000, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(err == WSAEOPNOTSUPP || err == WSAEINVAL, "got error %u [doc]\n", err);

    /* MSDN WSASendMsg says WSAMSG.dwFlags is "ignored on input" but also
     * lists WSAEOPNOTSUPP for invalid control flags in it: accept either. */
    msg.dwFlags = MSG_TRUNC;
    bytes = 0;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok((!ret && bytes == sizeof(teststr)) || (ret == SOCKET_ERROR && err == WSAEOPNOTSUPP),
       "got %d, error %u, %lu bytes [doc]\n", ret, err, bytes);
    msg.dwFlags = 0;

    /* No buffers at all (open question 1): a zero-length datagram, or
     * WSAEINVAL as for WSARecv without buffers (sock.c test_empty_recv). */
    msg.dwBufferCount = 0;
    msg.lpBuffers = NULL;
    bytes = 0xdeadbeef;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok((!ret && !bytes) || (ret == SOCKET_ERROR && err == WSAEINVAL), "got %d, error %u, %lu bytes [doc]\n", ret, err, bytes);

    closesocket(s);
    closesocket(peer);
}

static void test_connected(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr1, addr2;
    SOCKET s, peer1, peer2;
    WSABUF bufs[2];
    WSAMSG msg;
    DWORD bytes;
    char out[64];
    int ret, err;

    peer1 = st_udp_bound(AF_INET, &addr1);
    peer2 = st_udp_bound(AF_INET, &addr2);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    st_set_blocking(s, FALSE);
    ret = connect(s, (struct sockaddr *)&addr1, sizeof(struct sockaddr_in));
    ok(!ret, "connect failed: %u\n", WSAGetLastError());

    /* A connected datagram socket needs no name: microsoft/msquic's Windows
     * datapath (datapath_winuser.c) connects its client sockets and sends
     * with name NULL, on Windows CI. */
    init_msg(&msg, bufs, 1, NULL);
    bytes = 0;
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(teststr), "got %lu bytes\n", bytes);
    ret = st_recvfrom(peer1, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == sizeof(teststr), "connected peer got %d\n", ret);

    /* A name on a connected datagram socket (open question 4): sendto and
     * WSASendTo document that the address overrides the connected one for
     * that datagram; WSAEISCONN would be the other plausible answer. */
    init_msg(&msg, bufs, 1, &addr2);
    bytes = 0;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSAEISCONN), "got %d, error %u [doc]\n", ret, err);
    if (!ret)
    {
        ret = st_recvfrom(peer2, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
        ok(ret == sizeof(teststr), "named peer got %d [doc]\n", ret);
    }

    closesocket(s);
    closesocket(peer1);
    closesocket(peer2);
}

static void test_stream(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr;
    SOCKET s, client, server;
    WSABUF bufs[2];
    WSAMSG msg;
    DWORD bytes;
    int ret;

    addr.ss_family = AF_INET;
    *(struct sockaddr_in *)&addr = st_loopback4("127.0.0.1", 9);
    init_msg(&msg, bufs, 1, &addr);

    /* Windows: sock.c test_WSASendMsg ("SOCK_STREAM sockets are not
     * supported"): WSAEINVAL on an unconnected stream socket. */
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    st_set_blocking(s, FALSE);
    bytes = 0;
    SetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());
    closesocket(s);

    /* MSDN WSASendMsg: the socket "must be opened with ... SOCK_DGRAM or
     * SOCK_RAW"; so also a connected stream socket is refused. */
    if (!st_tcp_pair(&client, &server)) return;
    st_set_blocking(client, FALSE);
    init_msg(&msg, bufs, 1, NULL);
    SetLastError(0xdeadbeef);
    ret = pWSASendMsg(client, &msg, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d [doc]\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u [doc]\n", WSAGetLastError());
    closesocket(client);
    closesocket(server);
}

union cmsg_space
{
    WSACMSGHDR hdr;
    char buf[WSA_CMSG_SPACE(sizeof(IN6_PKTINFO))];
};

static void set_pktinfo4(WSAMSG *msg, union cmsg_space *control, const char *source)
{
    WSACMSGHDR *hdr = &control->hdr;
    IN_PKTINFO *info;

    memset(control, 0, sizeof(*control));
    hdr->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
    hdr->cmsg_level = IPPROTO_IP;
    hdr->cmsg_type = IP_PKTINFO;
    info = (IN_PKTINFO *)WSA_CMSG_DATA(hdr);
    inet_pton(AF_INET, source, &info->ipi_addr);
    info->ipi_ifindex = 0;
    msg->Control.buf = control->buf;
    msg->Control.len = WSA_CMSG_SPACE(sizeof(IN_PKTINFO));
}

static void test_pktinfo(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr, addr6;
    struct sockaddr_in from;
    struct sockaddr_in6 from6;
    union cmsg_space control;
    SOCKET s, peer;
    WSABUF bufs[2];
    WSACMSGHDR *hdr;
    IN6_PKTINFO *info6;
    WSAMSG msg;
    DWORD bytes;
    char out[64];
    int ret, len, err;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    init_msg(&msg, bufs, 1, &addr);

    /* An in_pktinfo control message selects the datagram's source address
     * (MSDN WSASendMsg); with 127.0.0.1 it is sent from there on Windows:
     * envoy's udp_proxy_integration_test.cc HelloWorldOnNonLocalAddress
     * (127.0.0.1 on Windows) and quinn-udp's basic_src_ip, both run on
     * Windows CI. */
    set_pktinfo4(&msg, &control, "127.0.0.1");
    bytes = 0;
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(teststr), "got %lu bytes\n", bytes);
    len = sizeof(from);
    ret = st_recvfrom(peer, out, sizeof(out), (struct sockaddr *)&from, &len, ST_WAIT_MS);
    ok(ret == sizeof(teststr), "peer got %d\n", ret);
    ok(ret > 0 && from.sin_addr.s_addr == htonl(0x7f000001), "source %#lx\n", (unsigned long)ntohl(from.sin_addr.s_addr));

    /* 127.0.0.2 is on Windows' loopback route but no interface has it:
     * Windows refuses it as a source with WSAEINVAL (envoyproxy/envoy#12820,
     * which made udp_proxy_integration_test.cc use 127.0.0.1 on Windows;
     * Linux would send from it). */
    st_set_blocking(s, FALSE);
    set_pktinfo4(&msg, &control, "127.0.0.2");
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(ret == SOCKET_ERROR, "got %d\n", ret);
    ok(WSAGetLastError() == WSAEINVAL, "got error %u\n", WSAGetLastError());
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, 200);
    ok(ret == SOCKET_ERROR, "peer got %d bytes\n", ret);

    /* Malformed control data: a header whose cmsg_len is smaller than the
     * header itself, and one that claims more than Control.len holds.
     * Windows' answer is unverified (the WSA_CMSG_* macros only); Wine's
     * builtin sends, ignoring all control data, and so does ws2send, leaving
     * out what it cannot read (conformance/EVIDENCE.md). */
    set_pktinfo4(&msg, &control, "127.0.0.1");
    control.hdr.cmsg_len = sizeof(WSACMSGHDR) - 1;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(!ret || broken(ret == SOCKET_ERROR && (err == WSAEINVAL || err == WSAEFAULT)), "got %d, error %u [doc]\n", ret, err);
    if (!ret) st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);

    set_pktinfo4(&msg, &control, "127.0.0.1");
    control.hdr.cmsg_len = msg.Control.len + 64;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(!ret || broken(ret == SOCKET_ERROR && (err == WSAEINVAL || err == WSAEFAULT)), "got %d, error %u [doc]\n", ret, err);
    if (!ret) st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);

    /* A control buffer with a zero length: microsoft/msquic clears
     * Control.buf in that case because "Windows' networking stack doesn't
     * like a non-NULL Control.buf when len is 0" (datapath_winuser.c), so
     * Windows may refuse it; quinn-udp sends exactly this under Wine, where
     * the builtin (ignoring control data) sends it, and so does ws2send. */
    set_pktinfo4(&msg, &control, "127.0.0.1");
    msg.Control.len = 0;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    err = WSAGetLastError();
    ok(!ret || broken(ret == SOCKET_ERROR), "got %d, error %u\n", ret, err);
    if (!ret)
    {
        ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
        ok(ret == sizeof(teststr), "peer got %d\n", ret);
    }

    msg.Control.buf = NULL;
    msg.Control.len = 0;
    bufs[0].buf = (char *)"after";
    bufs[0].len = 5;
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == 5 && !memcmp(out, "after", 5), "peer got %d, %s [doc]\n", ret, wine_dbgstr_an(out, max(ret, 0)));

    closesocket(s);
    closesocket(peer);

    /* in6_pktinfo does the same for IPv6 (quinn-udp's basic_src_ip, with ::1,
     * on Windows CI). */
    peer = st_udp_bound(AF_INET6, &addr6);
    if (peer == INVALID_SOCKET)
    {
        skip("IPv6 loopback is not available\n");
        return;
    }
    s = socket(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    init_msg(&msg, bufs, 1, &addr6);
    memset(&control, 0, sizeof(control));
    hdr = &control.hdr;
    hdr->cmsg_len = WSA_CMSG_LEN(sizeof(IN6_PKTINFO));
    hdr->cmsg_level = IPPROTO_IPV6;
    hdr->cmsg_type = IPV6_PKTINFO;
    info6 = (IN6_PKTINFO *)WSA_CMSG_DATA(hdr);
    info6->ipi6_addr = in6addr_loopback;
    msg.Control.buf = control.buf;
    msg.Control.len = WSA_CMSG_SPACE(sizeof(IN6_PKTINFO));
    bytes = 0;
    ret = pWSASendMsg(s, &msg, 0, &bytes, NULL, NULL);
    ok(!ret, "got %d, error %u\n", ret, WSAGetLastError());
    ok(bytes == sizeof(teststr), "got %lu bytes\n", bytes);
    len = sizeof(from6);
    ret = st_recvfrom(peer, out, sizeof(out), (struct sockaddr *)&from6, &len, ST_WAIT_MS);
    ok(ret == sizeof(teststr) && IN6_IS_ADDR_LOOPBACK(&from6.sin6_addr), "peer got %d\n", ret);
    closesocket(s);
    closesocket(peer);
}

static void test_overlapped(LPFN_WSASENDMSG pWSASendMsg)
{
    struct sockaddr_storage addr;
    WSAOVERLAPPED ov, *pov;
    SOCKET s, peer;
    ULONG_PTR key;
    HANDLE port;
    WSABUF bufs[2];
    WSAMSG msg;
    DWORD bytes, flags, wait;
    char out[64];
    BOOL bret;
    int ret, err;

    peer = st_udp_bound(AF_INET, &addr);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    init_msg(&msg, bufs, 1, &addr);

    /* MSDN WSASendMsg: lpNumberOfBytesSent "can be NULL only if the
     * lpOverlapped parameter is not NULL"; the event and
     * WSAGetOverlappedResult report the completion. */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(s, &msg, 0, NULL, &ov, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSA_IO_PENDING), "got %d, error %u [doc]\n", ret, err);
    ok(WaitForSingleObject(ov.hEvent, ST_WAIT_MS) == WAIT_OBJECT_0, "event not signalled [doc]\n");
    bytes = 0xdeadbeef;
    flags = 0;
    bret = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
    ok(bret, "WSAGetOverlappedResult failed: %u [doc]\n", WSAGetLastError());
    ok(bytes == sizeof(teststr), "got %lu bytes [doc]\n", bytes);
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == sizeof(teststr), "peer got %d\n", ret);
    CloseHandle(ov.hEvent);

    /* MSDN WSASendMsg: the completion routine runs at the next alertable wait
     * with the byte count. */
    memset(&ov, 0, sizeof(ov));
    st_apc_reset();
    bytes = 0xdeadbeef;
    ret = pWSASendMsg(s, &msg, 0, &bytes, &ov, st_completion_routine);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSA_IO_PENDING), "got %d, error %u [doc]\n", ret, err);
    wait = SleepEx(ST_WAIT_MS, TRUE);
    ok(wait == WAIT_IO_COMPLETION, "SleepEx returned %lu [doc]\n", wait);
    ok(st_apc.count == 1, "routine ran %u times [doc]\n", st_apc.count);
    ok(st_apc.error == 0 && st_apc.transferred == sizeof(teststr) && st_apc.overlapped == &ov,
       "got error %lu, %lu bytes, overlapped %p [doc]\n", st_apc.error, st_apc.transferred, st_apc.overlapped);
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == sizeof(teststr), "peer got %d\n", ret);

    /* MSDN SetFileCompletionNotificationModes: an immediate success queues a
     * completion entry "ordinarily" (see wsasend.c). */
    port = CreateIoCompletionPort((HANDLE)s, NULL, 99, 0);
    memset(&ov, 0, sizeof(ov));
    ret = pWSASendMsg(s, &msg, 0, &bytes, &ov, NULL);
    err = WSAGetLastError();
    ok(!ret || (ret == SOCKET_ERROR && err == WSA_IO_PENDING), "got %d, error %u\n", ret, err);
    key = 0;
    pov = NULL;
    bytes = 0xdeadbeef;
    bret = GetQueuedCompletionStatus(port, &bytes, &key, &pov, ST_WAIT_MS);
    ok(bret && bytes == sizeof(teststr) && key == 99 && pov == &ov, "got %d, %lu bytes, key %lu, overlapped %p [doc]\n",
       bret, bytes, (unsigned long)key, pov);
    ret = st_recvfrom(peer, out, sizeof(out), NULL, NULL, ST_WAIT_MS);
    ok(ret == sizeof(teststr), "peer got %d\n", ret);

    closesocket(s);
    CloseHandle(port);
    closesocket(peer);
}

static void run_all(LPFN_WSASENDMSG func)
{
    test_args(func);
    test_send(func);
    test_flags(func);
    test_connected(func);
    test_stream(func);
    test_pktinfo(func);
    test_overlapped(func);
}

START_TEST(wsasendmsg)
{
    LPFN_WSASENDMSG from_ioctl, from_export;
    const char *child = st_child_arg();
    SOCKET s;

    st_startup();

    if (child)
    {
        s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        from_ioctl = !strcmp(child, "badmsg-ioctl") ? st_sendmsg_from_ioctl(s) : st_sendmsg_from_export();
        closesocket(s);
        if (from_ioctl) test_bad_msg_pointer(from_ioctl);
        st_cleanup();
        return;
    }

    /* Windows: sock.c test_WSASendMsg (fact M1): the pointer from a
     * datagram socket. */
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    from_ioctl = st_sendmsg_from_ioctl(s);
    closesocket(s);
    ok(from_ioctl != NULL, "no WSASendMsg pointer\n");

    /* WSASendMsg is also exported from Ws2_32.dll: quinn-udp (windows.rs)
     * calls the export, through windows-sys, on Windows CI. */
    from_export = st_sendmsg_from_export();
    ok(from_export != NULL, "no WSASendMsg export\n");

    if (from_ioctl)
    {
        winetest_push_context("ioctl");
        run_all(from_ioctl);
        st_run_child("wsasendmsg", "badmsg-ioctl");
        winetest_pop_context();
    }
    if (from_export)
    {
        winetest_push_context("export");
        run_all(from_export);
        st_run_child("wsasendmsg", "badmsg-export");
        winetest_pop_context();
    }

    st_cleanup();
}
