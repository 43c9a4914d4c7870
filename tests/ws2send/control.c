/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * WSASendMsg control data that Wine's builtin drops and ws2send carries to
 * the host: IP_PKTINFO source selection (and the sources Windows refuses)
 * and UDP_SEND_MSG_SIZE segmentation.
 * (sdk-api nf-winsock2-wsasendmsg: in_pktinfo "specifies the source IPv4
 * address"; UDP_SEND_MSG_SIZE: learn.microsoft.com, "UDP segmentation
 * offload".)  With WS2SEND_FASTPATH=0 too: control data takes the host
 * route either way.
 */
#include <string.h>

#include "util.h"

#ifndef UDP_SEND_MSG_SIZE
#define UDP_SEND_MSG_SIZE 2
#endif

static SOCKET udp_any(void)
{
    struct sockaddr_in addr;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    bind(s, (struct sockaddr *)&addr, sizeof(addr));
    return s;
}

static void test_pktinfo_source(void)
{
    union
    {
        char buf[WSA_CMSG_SPACE(sizeof(IN_PKTINFO))];
        WSACMSGHDR align;
    } control;
    struct sockaddr_in dst_addr, from;
    WSACMSGHDR *cmsg = &control.align;
    IN_PKTINFO *pktinfo;
    WSABUF wsabuf = { 6, (char *)"source" };
    LPFN_WSASENDMSG pWSASendMsg;
    WSAOVERLAPPED ov;
    SOCKET src, dst;
    WSAMSG msg;
    DWORD sent = 0, flags;
    char buf[16];
    int from_len = sizeof(from), ret;

    dst = udp_bound(&dst_addr);
    src = udp_any();
    pWSASendMsg = wsasendmsg_of(src);

    memset(&control, 0, sizeof(control));
    cmsg->cmsg_len = WSA_CMSG_LEN(sizeof(IN_PKTINFO));
    cmsg->cmsg_level = IPPROTO_IP;
    cmsg->cmsg_type = IP_PKTINFO;
    pktinfo = (IN_PKTINFO *)WSA_CMSG_DATA(cmsg);
    pktinfo->ipi_addr.s_addr = inet_addr("127.0.0.1");
    pktinfo->ipi_ifindex = 0;

    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&dst_addr;
    msg.namelen = sizeof(dst_addr);
    msg.lpBuffers = &wsabuf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control.buf;
    msg.Control.len = sizeof(control.buf);

    SetLastError(0xdeadbeef);
    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    ok(!ret && sent == 6, "got %d, sent %lu, error %lu\n", ret, sent, GetLastError());
    ok(!GetLastError(), "last error %lu\n", GetLastError());
    ret = recvfrom(dst, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
    ok(ret == 6, "received %d\n", ret);
    ok(from.sin_addr.s_addr == inet_addr("127.0.0.1"), "the datagram came from %s\n", inet_ntoa(from.sin_addr));

    /* A wildcard pktinfo asks for nothing: the socket's own source. */
    pktinfo->ipi_addr.s_addr = INADDR_ANY;
    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    ok(!ret && sent == 6, "wildcard: got %d, sent %lu\n", ret, sent);
    from_len = sizeof(from);
    ret = recvfrom(dst, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
    ok(ret == 6 && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "wildcard: from %s\n", inet_ntoa(from.sin_addr));

    /* 127.0.0.2: Linux would send from it (all of 127/8 is local there),
     * Windows refuses an address no interface has (envoy#12820), and so
     * does ws2send, on the host route and on the overlapped one alike. */
    pktinfo->ipi_addr.s_addr = inet_addr("127.0.0.2");
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "127.0.0.2: got %d, error %d\n", ret, WSAGetLastError());
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(src, &msg, 0, NULL, &ov, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "127.0.0.2 overlapped: got %d, error %d\n",
       ret, WSAGetLastError());
    ok(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "127.0.0.2 overlapped: event signalled\n");

    /* Overlapped with an allowed source: Wine's driver must complete it and
     * cannot carry control data; ws2send sends the data without it
     * (documented in README). */
    pktinfo->ipi_addr.s_addr = inet_addr("127.0.0.1");
    ret = pWSASendMsg(src, &msg, 0, NULL, &ov, NULL);
    ok(!ret || WSAGetLastError() == WSA_IO_PENDING, "overlapped: got %d, error %d\n", ret, WSAGetLastError());
    ok(WSAGetOverlappedResult(src, &ov, &sent, TRUE, &flags) && sent == 6, "overlapped: sent %lu\n", sent);
    from_len = sizeof(from);
    ret = recvfrom(dst, buf, sizeof(buf), 0, (struct sockaddr *)&from, &from_len);
    ok(ret == 6, "overlapped: received %d\n", ret);
    WSACloseEvent(ov.hEvent);

    /* Nothing else arrived: the refused sends sent nothing. */
    set_blocking(dst, FALSE);
    ret = recv(dst, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "an extra datagram: %d\n", ret);

    closesocket(src);
    closesocket(dst);
}

static void test_udp_send_msg_size(void)
{
    union
    {
        char buf[WSA_CMSG_SPACE(sizeof(DWORD))];
        WSACMSGHDR align;
    } control;
    static char payload[3000], buf[4000];
    struct sockaddr_in dst_addr;
    WSACMSGHDR *cmsg = &control.align;
    WSABUF wsabuf = { sizeof(payload), payload };
    LPFN_WSASENDMSG pWSASendMsg;
    SOCKET src, dst;
    WSAMSG msg;
    DWORD sent = 0, timeout = 5000;
    int ret, sizes[4] = {0}, count = 0;

    dst = udp_bound(&dst_addr);
    src = udp_any();
    pWSASendMsg = wsasendmsg_of(src);
    for (int i = 0; i < (int)sizeof(payload); i++) payload[i] = (char)i;

    memset(&control, 0, sizeof(control));
    cmsg->cmsg_len = WSA_CMSG_LEN(sizeof(DWORD));
    cmsg->cmsg_level = IPPROTO_UDP;
    cmsg->cmsg_type = UDP_SEND_MSG_SIZE;
    *(DWORD *)WSA_CMSG_DATA(cmsg) = 1000;

    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&dst_addr;
    msg.namelen = sizeof(dst_addr);
    msg.lpBuffers = &wsabuf;
    msg.dwBufferCount = 1;
    msg.Control.buf = control.buf;
    msg.Control.len = sizeof(control.buf);

    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    ok(!ret && sent == sizeof(payload), "got %d, sent %lu, error %d\n", ret, sent, WSAGetLastError());
    /* Under CPU load the kernel can deliver loopback datagrams late (from a
     * thread of its own): wait for each of the three, then take a fourth
     * only if one is there. */
    setsockopt(dst, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout, sizeof(timeout));
    while (count < 3 && (ret = recv(dst, buf, sizeof(buf), 0)) > 0) sizes[count++] = ret;
    set_blocking(dst, FALSE);
    if (count == 3 && (ret = recv(dst, buf, sizeof(buf), 0)) > 0) sizes[count++] = ret;
    ok(count == 3 && sizes[0] == 1000 && sizes[1] == 1000 && sizes[2] == 1000,
       "got %d datagrams: %d %d %d\n", count, sizes[0], sizes[1], sizes[2]);

    /* 300 segments: more than Linux segments at once (EINVAL).  The host's
     * answer stands: Wine's driver, which cannot carry control data, must
     * not send the 3000 bytes as one datagram instead. */
    *(DWORD *)WSA_CMSG_DATA(cmsg) = 10;
    WSASetLastError(0xdeadbeef);
    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "300 segments: got %d, error %d\n",
       ret, WSAGetLastError());
    Sleep(50);
    ret = recv(dst, buf, sizeof(buf), 0);
    ok(ret == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK, "300 segments: the peer got %d bytes\n", ret);
    closesocket(src);

    /* A socket never bound: Wine's driver alone could not carry the batch;
     * the send binds it, as Windows' does, and the batch is segmented. */
    src = socket(AF_INET, SOCK_DGRAM, 0);
    *(DWORD *)WSA_CMSG_DATA(cmsg) = 1000;
    sent = 0;
    ret = pWSASendMsg(src, &msg, 0, &sent, NULL, NULL);
    ok(!ret && sent == sizeof(payload), "unbound: got %d, sent %lu, error %d\n", ret, sent, WSAGetLastError());
    Sleep(50);
    count = 0;
    while (count < 4 && (ret = recv(dst, buf, sizeof(buf), 0)) > 0) sizes[count++] = ret;
    ok(count == 3 && sizes[0] == 1000 && sizes[1] == 1000 && sizes[2] == 1000,
       "unbound: got %d datagrams: %d %d %d\n", count, sizes[0], sizes[1], sizes[2]);
    closesocket(src);
    closesocket(dst);
}

START_TEST(control)
{
    WSADATA data;

    WSAStartup(MAKEWORD(2, 2), &data);
    test_pktinfo_source();
    test_udp_send_msg_size();
    WSACleanup();
}
