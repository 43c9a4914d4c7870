/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * ws2bench: times the Winsock send path over loopback (127.0.0.1).
 *
 *   ws2bench [-r ROUNDS] [-t ROUND_MS] [-n SENDS] [-v] [CASE... | all]
 *
 * For each case it calibrates the number of sends N so that one round takes
 * about ROUND_MS (default 200 ms; or takes N from -n), runs ROUNDS rounds
 * (default 7) of N sends timed with QueryPerformanceCounter and prints one
 * line:
 *
 *   case=<name> n=<N> ns_per_op=<median of the rounds' ns per send> [mbps=<MB/s>] rounds=<R>
 *
 * mbps (10^6 bytes per second, from the median) is printed for the TCP and
 * batch cases.
 * A case that cannot run prints "case=<name> error=<WSA error> at=<step>"
 * and the exit code is 1.  Every case stops early (keeping the rounds done)
 * once it has used about 3 s.  Lines starting with '#' are comments: which
 * ws2_32.dll served the program and, when that is ws2send, which of its
 * providers served each case's sends.  bench/native_bench.c is the same
 * benchmark for Linux sockets; bench/run-bench.sh runs both and compares.
 *
 * The UDP receiver is never read while a round is timed: its big receive
 * buffer (SO_RCVBUF 4 MiB, as far as the host allows) queues the round's
 * datagrams and the host drops the rest once it is full; every send still
 * succeeds.  Between rounds, untimed, the receiver is replaced by a fresh
 * socket on the same port.  TCP cases have a reader thread draining the
 * connection all the time.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include("ws2send/stats.h")
#include "ws2send/stats.h"
#define HAVE_WS2SEND_STATS 1
#endif
#endif

#ifdef _WIN64
static const char arch[] = "x86_64";
#else
static const char arch[] = "i686";
#endif

#define CASE_BUDGET_NS  3.0e9   /* calibration + rounds of one case */
#define MAX_SENDS       20000000u
#define MAX_ROUNDS      64
#define UDP_RCVBUF      (4 << 20)
#define TCP_RCV_CHUNK   (256 << 10)

struct bench;

struct bench_case
{
    const char *name;
    int (*setup)(struct bench *b);       /* 0 or WSA error */
    int (*send_one)(struct bench *b);    /* 0 or WSA error */
    unsigned int bytes;                  /* per send */
    BOOL tcp;                            /* drained by a reader thread, reports MB/s */
    BOOL batch;                          /* a UDP_SEND_MSG_SIZE batch, reports MB/s */
};

struct bench
{
    const struct bench_case *c;
    SOCKET tx, rx, listener;             /* rx: UDP receiver or TCP peer */
    struct sockaddr_in rx_addr;
    HANDLE reader, port;
    LPFN_WSASENDMSG sendmsg_fn;
    WSAMSG msg;
    union
    {
        char buf[WSA_CMSG_SPACE(sizeof(DWORD))];
        WSACMSGHDR header;
    } control;
    WSABUF wsabuf;
    OVERLAPPED ov;
    char *buf;
    const char *step;                    /* what failed, for the error line */
};

static int verbose;
static LARGE_INTEGER qpc_freq;

static double now_ns(void)
{
    LARGE_INTEGER t;

    QueryPerformanceCounter(&t);
    return (double)t.QuadPart * 1e9 / (double)qpc_freq.QuadPart;
}

static int fail(struct bench *b, const char *step)
{
    int err = WSAGetLastError();

    b->step = step;
    return err ? err : -1;
}

/* Sockets. */

static void loopback(struct sockaddr_in *addr)
{
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static SOCKET bound_socket(struct bench *b, int type, DWORD flags, struct sockaddr_in *addr)
{
    struct sockaddr_in local;
    int len = sizeof(local);
    SOCKET s;

    s = WSASocketW(AF_INET, type, type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP, NULL, 0, flags);
    if (s == INVALID_SOCKET) return s;
    loopback(&local);
    if (bind(s, (struct sockaddr *)&local, sizeof(local)) || getsockname(s, (struct sockaddr *)&local, &len))
    {
        int err = WSAGetLastError();
        closesocket(s);
        WSASetLastError(err);
        return INVALID_SOCKET;
    }
    if (addr) *addr = local;
    return s;
}

/* The UDP receiver: bound to rx_addr (a fresh port the first time, the same
 * one again after that), with a big receive buffer. */
static int udp_receiver(struct bench *b)
{
    int size = UDP_RCVBUF, len = sizeof(b->rx_addr);

    if (!b->rx_addr.sin_port) loopback(&b->rx_addr);
    if ((b->rx = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)) == INVALID_SOCKET)
        return fail(b, "receiver socket");
    setsockopt(b->rx, SOL_SOCKET, SO_RCVBUF, (const char *)&size, sizeof(size));
    if (bind(b->rx, (struct sockaddr *)&b->rx_addr, sizeof(b->rx_addr))
        || getsockname(b->rx, (struct sockaddr *)&b->rx_addr, &len))
        return fail(b, "receiver bind");
    return 0;
}

/* Empties the receiver between rounds, untimed: closing it and binding a
 * new one to the same port costs a few calls, reading thousands of queued
 * datagrams under Wine would cost seconds.  Nothing is sent meanwhile. */
static int udp_drain(struct bench *b)
{
    if (b->c->tcp) return 0;
    closesocket(b->rx);
    return udp_receiver(b);
}

static int udp_sender(struct bench *b, DWORD flags, BOOL do_connect)
{
    int err;

    if ((err = udp_receiver(b))) return err;
    /* Bound explicitly: the first datagram of an unbound socket would bind it. */
    if ((b->tx = bound_socket(b, SOCK_DGRAM, flags, NULL)) == INVALID_SOCKET)
        return fail(b, "sender socket");
    if (do_connect && connect(b->tx, (struct sockaddr *)&b->rx_addr, sizeof(b->rx_addr)))
        return fail(b, "connect");
    b->wsabuf.buf = b->buf;
    b->wsabuf.len = b->c->bytes;
    return 0;
}

static int setup_udp_connected(struct bench *b)
{
    return udp_sender(b, 0, TRUE);
}

static int setup_udp_unconnected(struct bench *b)
{
    return udp_sender(b, 0, FALSE);
}

static int setup_udp_sendmsg(struct bench *b)
{
    GUID guid = WSAID_WSASENDMSG;
    DWORD size = 0;
    int err;

    if ((err = udp_sender(b, 0, FALSE))) return err;
    if (WSAIoctl(b->tx, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                 &b->sendmsg_fn, sizeof(b->sendmsg_fn), &size, NULL, NULL) || !b->sendmsg_fn)
        return fail(b, "WSAIoctl(WSAID_WSASENDMSG)");
    memset(&b->msg, 0, sizeof(b->msg));
    b->msg.name = (struct sockaddr *)&b->rx_addr;
    b->msg.namelen = sizeof(b->rx_addr);
    b->msg.lpBuffers = &b->wsabuf;
    b->msg.dwBufferCount = 1;
    return 0;
}

static int setup_iocp(struct bench *b)
{
    int err;

    if ((err = udp_sender(b, WSA_FLAG_OVERLAPPED, TRUE))) return err;
    if (!(b->port = CreateIoCompletionPort((HANDLE)b->tx, NULL, 0x57, 1)))
    {
        b->step = "CreateIoCompletionPort";
        return (int)GetLastError();
    }
    return 0;
}

/* The Go/.NET/libuv shape: a port that skips both signals on success. */
static int setup_iocp_skip(struct bench *b)
{
    int err;

    if ((err = setup_iocp(b))) return err;
    if (!SetFileCompletionNotificationModes((HANDLE)b->tx, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
                                                           | FILE_SKIP_SET_EVENT_ON_HANDLE))
    {
        b->step = "SetFileCompletionNotificationModes";
        return (int)GetLastError();
    }
    return 0;
}

/* msquic's shape: overlapped WSASendMsg batches of SEGMENT-byte datagrams
 * (UDP_SEND_MSG_SIZE) on a port with both skip modes. */
#define SEGMENT 1200
static int setup_iocp_batch(struct bench *b)
{
    GUID guid = WSAID_WSASENDMSG;
    DWORD size = 0;
    int err;

    if ((err = setup_iocp_skip(b))) return err;
    if (WSAIoctl(b->tx, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                 &b->sendmsg_fn, sizeof(b->sendmsg_fn), &size, NULL, NULL) || !b->sendmsg_fn)
        return fail(b, "WSAIoctl(WSAID_WSASENDMSG)");
    memset(&b->control, 0, sizeof(b->control));
    b->control.header.cmsg_len = WSA_CMSG_LEN(sizeof(DWORD));
    b->control.header.cmsg_level = IPPROTO_UDP;
    b->control.header.cmsg_type = 2;    /* UDP_SEND_MSG_SIZE */
    *(DWORD *)WSA_CMSG_DATA(&b->control.header) = SEGMENT;
    memset(&b->msg, 0, sizeof(b->msg));
    b->msg.lpBuffers = &b->wsabuf;
    b->msg.dwBufferCount = 1;
    b->msg.Control.buf = b->control.buf;
    b->msg.Control.len = sizeof(b->control.buf);
    return 0;
}

static DWORD WINAPI tcp_reader(void *arg)
{
    struct bench *b = arg;
    char *buf = malloc(TCP_RCV_CHUNK);

    if (buf)
        while (recv(b->rx, buf, TCP_RCV_CHUNK, 0) > 0) {}
    free(buf);
    return 0;
}

static int setup_tcp(struct bench *b)
{
    struct sockaddr_in addr;

    if ((b->listener = bound_socket(b, SOCK_STREAM, WSA_FLAG_OVERLAPPED, &addr)) == INVALID_SOCKET)
        return fail(b, "listener socket");
    if (listen(b->listener, 1)) return fail(b, "listen");
    if ((b->tx = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED)) == INVALID_SOCKET)
        return fail(b, "sender socket");
    if (connect(b->tx, (struct sockaddr *)&addr, sizeof(addr))) return fail(b, "connect");
    if ((b->rx = accept(b->listener, NULL, NULL)) == INVALID_SOCKET) return fail(b, "accept");
    if (!(b->reader = CreateThread(NULL, 0, tcp_reader, b, 0, NULL)))
    {
        b->step = "CreateThread";
        return (int)GetLastError();
    }
    b->wsabuf.buf = b->buf;
    b->wsabuf.len = b->c->bytes;
    return 0;
}

/* Go's, .NET's and libuv's TCP shape: a connection on a port that skips
 * both signals on success. */
static int setup_iocp_tcp(struct bench *b)
{
    int err;

    if ((err = setup_tcp(b))) return err;
    if (!(b->port = CreateIoCompletionPort((HANDLE)b->tx, NULL, 0x57, 1)))
    {
        b->step = "CreateIoCompletionPort";
        return (int)GetLastError();
    }
    if (!SetFileCompletionNotificationModes((HANDLE)b->tx, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS
                                                           | FILE_SKIP_SET_EVENT_ON_HANDLE))
    {
        b->step = "SetFileCompletionNotificationModes";
        return (int)GetLastError();
    }
    return 0;
}

static void teardown(struct bench *b)
{
    if (b->reader)
    {
        shutdown(b->tx, SD_SEND);
        if (WaitForSingleObject(b->reader, 5000) != WAIT_OBJECT_0)
            closesocket(b->rx), b->rx = INVALID_SOCKET;   /* unblocks the reader */
        WaitForSingleObject(b->reader, 5000);
        CloseHandle(b->reader);
    }
    if (b->tx != INVALID_SOCKET) closesocket(b->tx);
    if (b->rx != INVALID_SOCKET) closesocket(b->rx);
    if (b->listener != INVALID_SOCKET) closesocket(b->listener);
    if (b->port) CloseHandle(b->port);
}

/* One send each. */

static int op_send(struct bench *b)
{
    if (send(b->tx, b->buf, b->c->bytes, 0) != (int)b->c->bytes) return fail(b, "send");
    return 0;
}

static int op_wsasend(struct bench *b)
{
    DWORD sent = 0;

    if (WSASend(b->tx, &b->wsabuf, 1, &sent, 0, NULL, NULL) || sent != b->c->bytes)
        return fail(b, "WSASend");
    return 0;
}

static int op_wsasendto(struct bench *b)
{
    DWORD sent = 0;

    if (WSASendTo(b->tx, &b->wsabuf, 1, &sent, 0, (struct sockaddr *)&b->rx_addr,
                  sizeof(b->rx_addr), NULL, NULL) || sent != b->c->bytes)
        return fail(b, "WSASendTo");
    return 0;
}

static int op_wsasendmsg(struct bench *b)
{
    DWORD sent = 0;

    if (b->sendmsg_fn(b->tx, &b->msg, 0, &sent, NULL, NULL) || sent != b->c->bytes)
        return fail(b, "WSASendMsg");
    return 0;
}

/* Dequeues the packet of the send in b->ov. */
static int collect_packet(struct bench *b)
{
    OVERLAPPED *done = NULL;
    ULONG_PTR key = 0;
    DWORD sent = 0;

    if (!GetQueuedCompletionStatus(b->port, &sent, &key, &done, 5000) || done != &b->ov
        || sent != b->c->bytes)
    {
        b->step = "GetQueuedCompletionStatus";
        return GetLastError() ? (int)GetLastError() : -1;
    }
    return 0;
}

static int op_iocp_wsasend(struct bench *b)
{
    DWORD sent = 0;

    memset(&b->ov, 0, sizeof(b->ov));
    if (WSASend(b->tx, &b->wsabuf, 1, &sent, 0, &b->ov, NULL) && WSAGetLastError() != WSA_IO_PENDING)
        return fail(b, "overlapped WSASend");
    return collect_packet(b);
}

/* An immediate success is complete when the call returns; a pending send
 * still posts its packet. */
static int op_iocp_skip_wsasend(struct bench *b)
{
    DWORD sent = 0;

    memset(&b->ov, 0, sizeof(b->ov));
    if (!WSASend(b->tx, &b->wsabuf, 1, &sent, 0, &b->ov, NULL))
        return sent == b->c->bytes ? 0 : fail(b, "overlapped WSASend count");
    if (WSAGetLastError() != WSA_IO_PENDING) return fail(b, "overlapped WSASend");
    return collect_packet(b);
}

static int op_iocp_batch(struct bench *b)
{
    DWORD sent = 0;

    memset(&b->ov, 0, sizeof(b->ov));
    if (!b->sendmsg_fn(b->tx, &b->msg, 0, &sent, &b->ov, NULL))
        return sent == b->c->bytes ? 0 : fail(b, "overlapped WSASendMsg count");
    if (WSAGetLastError() != WSA_IO_PENDING) return fail(b, "overlapped WSASendMsg");
    return collect_packet(b);
}

static const struct bench_case cases[] =
{
    { "udp-send",       setup_udp_connected,   op_send,         64,    FALSE },
    { "udp-wsasend",    setup_udp_connected,   op_wsasend,      64,    FALSE },
    { "udp-wsasendto",  setup_udp_unconnected, op_wsasendto,    64,    FALSE },
    { "udp-wsasendmsg", setup_udp_sendmsg,     op_wsasendmsg,   64,    FALSE },
    { "tcp-64",         setup_tcp,             op_wsasend,      64,    TRUE },
    { "tcp-64k",        setup_tcp,             op_wsasend,      65536, TRUE },
    { "tcp-1m",         setup_tcp,             op_wsasend,      1 << 20, TRUE },
    { "iocp-wsasend",   setup_iocp,            op_iocp_wsasend, 64,    FALSE },
    { "iocp-skip",      setup_iocp_skip,       op_iocp_skip_wsasend, 64, FALSE },
    { "iocp-batch",     setup_iocp_batch,      op_iocp_batch, 16 * SEGMENT, FALSE, TRUE },
    { "iocp-tcp-64k",   setup_iocp_tcp,        op_iocp_skip_wsasend, 65536, TRUE },
};
#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

/* Runs n sends; the elapsed time in *ns. */
static int timed_sends(struct bench *b, unsigned int n, double *ns)
{
    double start;
    unsigned int i;
    int err;

    if ((err = udp_drain(b))) return err;
    start = now_ns();
    for (i = 0; i < n; i++)
        if ((err = b->c->send_one(b))) return err;
    *ns = now_ns() - start;
    return 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#ifdef HAVE_WS2SEND_STATS
static const char *const provider_names[] = { "host-fast", "wine-afd", "host-api" };

static BOOL get_stats(SOCKET s, struct ws2send_stats *stats)
{
    DWORD size = 0;

    memset(stats, 0, sizeof(*stats));
    return !WSAIoctl(s, SIO_WS2SEND_GET_STATS, NULL, 0, stats, sizeof(*stats), &size, NULL, NULL)
           && size == sizeof(*stats);
}

/* "# case=X providers host-fast=N wine-afd=N host-api=N" for ws2send. */
static void print_providers(const char *name, SOCKET s, const struct ws2send_stats *before)
{
    struct ws2send_stats after;
    unsigned int p, e;

    if (!get_stats(s, &after)) return;
    printf("# case=%s providers", name);
    for (p = 0; p < WS2SEND_PROVIDER_COUNT; p++)
    {
        unsigned int total = 0;
        for (e = 0; e < WS2SEND_ENTRY_COUNT; e++) total += after.calls[e][p] - before->calls[e][p];
        printf(" %s=%u", provider_names[p], total);
    }
    printf("\n");
}
#endif

static int run_case(const struct bench_case *c, unsigned int rounds, double round_ns, unsigned int fixed_n)
{
    double times[MAX_ROUNDS], elapsed = 0, start, per_op;
    struct bench b;
    unsigned int n, r, done = 0;
    int err;
#ifdef HAVE_WS2SEND_STATS
    struct ws2send_stats before;
    BOOL have_stats;
#endif

    memset(&b, 0, sizeof(b));
    b.c = c;
    b.tx = b.rx = b.listener = INVALID_SOCKET;
    b.step = "setup";
    if (!(b.buf = calloc(1, c->bytes)))
    {
        printf("case=%s error=%d at=malloc\n", c->name, (int)ERROR_OUTOFMEMORY);
        return 1;
    }
    memset(b.buf, 'x', c->bytes);
    start = now_ns();
    if ((err = c->setup(&b))) goto failed;
#ifdef HAVE_WS2SEND_STATS
    have_stats = get_stats(b.tx, &before);
#endif

    /* Calibrate: double a batch (which also warms up) until it takes an
     * eighth of a round, then scale to a round. */
    if (fixed_n)
        n = fixed_n;
    else
    {
        double ns = 0;

        for (n = 4;; n *= 2)
        {
            if ((err = timed_sends(&b, n, &ns))) goto failed;
            if (ns >= round_ns / 8 || n >= MAX_SENDS / 2 || now_ns() - start > CASE_BUDGET_NS / 4) break;
        }
        per_op = ns > 0 ? ns / n : 1;
        n = round_ns / per_op > MAX_SENDS ? MAX_SENDS : (unsigned int)(round_ns / per_op);
        if (n < 1) n = 1;
    }

    for (r = 0; r < rounds; r++)
    {
        if ((err = timed_sends(&b, n, &times[r]))) goto failed;
        times[r] /= n;
        done++;
        if (verbose) fprintf(stderr, "# %s round %u: %.1f ns/op\n", c->name, r, times[r]);
        elapsed = now_ns() - start;
        /* Stop when one more round would overrun the case's budget. */
        if (elapsed + times[r] * n > CASE_BUDGET_NS) break;
    }

    qsort(times, done, sizeof(times[0]), compare_doubles);
    per_op = done % 2 ? times[done / 2] : (times[done / 2 - 1] + times[done / 2]) / 2;
#ifdef HAVE_WS2SEND_STATS
    if (have_stats) print_providers(c->name, b.tx, &before);
#endif
    printf("case=%s n=%u ns_per_op=%.1f", c->name, n, per_op);
    if (c->tcp || c->batch) printf(" mbps=%.1f", c->bytes / per_op * 1e3);
    printf(" rounds=%u\n", done);
    fflush(stdout);
    teardown(&b);
    free(b.buf);
    return 0;

failed:
    printf("case=%s error=%d at=%s\n", c->name, err, b.step);
    fflush(stdout);
    teardown(&b);
    free(b.buf);
    return 1;
}

/* "# ws2_32=<path of the DLL serving WSASend> ws2send=<version|no>" */
static void print_serving_dll(void)
{
    char path[MAX_PATH] = "?";
    HMODULE module = NULL;
    HRSRC res = NULL;
    const char *version = NULL;

    if (GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                           (const char *)(void *)WSASend, &module))
    {
        GetModuleFileNameA(module, path, sizeof(path));
        if ((res = FindResourceA(module, "WS2SEND", (const char *)RT_RCDATA)))
            version = LockResource(LoadResource(module, res));
    }
    printf("# arch=%s ws2_32=%s ws2send=%s\n", arch, path, version ? version : "no");
}

static void usage(void)
{
    unsigned int i;

    fprintf(stderr, "usage: ws2bench [-r ROUNDS] [-t ROUND_MS] [-n SENDS] [-v] [CASE... | all]\ncases:");
    for (i = 0; i < CASE_COUNT; i++) fprintf(stderr, " %s", cases[i].name);
    fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
    unsigned int rounds = 7, fixed_n = 0, i, selected = 0;
    double round_ms = 200;
    BOOL want[CASE_COUNT] = {0};
    WSADATA wsa;
    int a, failures = 0;

    for (a = 1; a < argc; a++)
    {
        if (!strcmp(argv[a], "-r") && a + 1 < argc) rounds = strtoul(argv[++a], NULL, 10);
        else if (!strcmp(argv[a], "-t") && a + 1 < argc) round_ms = strtod(argv[++a], NULL);
        else if (!strcmp(argv[a], "-n") && a + 1 < argc) fixed_n = strtoul(argv[++a], NULL, 10);
        else if (!strcmp(argv[a], "-v")) verbose = 1;
        else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) { usage(); return 0; }
        else if (!strcmp(argv[a], "--list"))
        {
            for (i = 0; i < CASE_COUNT; i++) printf("%s\n", cases[i].name);
            return 0;
        }
        else if (!strcmp(argv[a], "all"))
        {
            for (i = 0; i < CASE_COUNT; i++) want[i] = TRUE;
            selected = 1;
        }
        else
        {
            for (i = 0; i < CASE_COUNT && strcmp(argv[a], cases[i].name); i++) {}
            if (i == CASE_COUNT) { usage(); return 2; }
            want[i] = TRUE;
            selected = 1;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || round_ms <= 0 || fixed_n > MAX_SENDS)
    {
        fprintf(stderr, "ws2bench: need 1 <= ROUNDS <= %u, ROUND_MS > 0, SENDS <= %u\n", MAX_ROUNDS, MAX_SENDS);
        return 2;
    }
    if (!selected)
        for (i = 0; i < CASE_COUNT; i++) want[i] = TRUE;

    QueryPerformanceFrequency(&qpc_freq);
    if (WSAStartup(MAKEWORD(2, 2), &wsa))
    {
        printf("# WSAStartup failed\n");
        return 1;
    }
    print_serving_dll();
    for (i = 0; i < CASE_COUNT; i++)
        if (want[i]) failures += run_case(&cases[i], rounds, round_ms * 1e6, fixed_n);
    WSACleanup();
    return failures ? 1 : 0;
}
