/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * native_bench: bench/ws2bench.c's cases with plain Linux sockets, the
 * yardstick for what a send can cost on this host.  Built by
 * bench/run-bench.sh with the host compiler (cc -O2 -pthread), not by
 * Meson's cross build.
 *
 *   native_bench [-r ROUNDS] [-t ROUND_MS] [-n SENDS] [-v] [CASE... | all]
 *
 * Same calibration, rounds, budget and output as ws2bench:
 *
 *   case=<name> n=<N> ns_per_op=<median of the rounds' ns per send> [mbps=<MB/s>] rounds=<R>
 *
 * What each case calls:
 *   udp-send        send() on a connected UDP socket
 *   udp-wsasend     sendmsg() with one iovec on a connected UDP socket
 *   udp-wsasendto   sendto() with the address on an unconnected socket
 *   udp-wsasendmsg  sendmsg() with msg_name on an unconnected socket
 *   tcp-64, tcp-64k, tcp-1m
 *                   sendmsg() with one iovec on a connected TCP socket, a
 *                   reader thread draining the peer
 *   iocp-wsasend    sendmsg(MSG_DONTWAIT) on a connected UDP socket, then
 *                   epoll_wait for writability: Linux's nearest shape of
 *                   "start a send, then collect its completion"
 *   iocp-skip       sendmsg() with one iovec on a connected UDP socket: an
 *                   overlapped send that skips the port on success is
 *                   complete when the call returns
 *   iocp-batch      sendmsg() of 16 x 1200 bytes with UDP_SEGMENT 1200 on a
 *                   connected UDP socket (what ws2send makes of a
 *                   UDP_SEND_MSG_SIZE batch)
 *   iocp-tcp-64k    as tcp-64k: a TCP send that skips the port on success
 *                   is complete when the call returns
 * The UDP receiver is treated as in ws2bench: a big receive buffer, never
 * read; between rounds, untimed, a fresh socket on the same port.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CASE_BUDGET_NS  3.0e9
#define MAX_SENDS       20000000u
#define MAX_ROUNDS      64
#define UDP_RCVBUF      (4 << 20)
#define TCP_RCV_CHUNK   (256 << 10)

struct bench;

struct bench_case
{
    const char *name;
    int (*setup)(struct bench *b);       /* 0 or errno */
    int (*send_one)(struct bench *b);    /* 0 or errno */
    unsigned int bytes;
    int tcp;
    int batch;                           /* a UDP_SEGMENT batch, reports MB/s */
};

struct bench
{
    const struct bench_case *c;
    int tx, rx, listener, ep;
    struct sockaddr_in rx_addr;
    pthread_t reader;
    int have_reader;
    struct msghdr msg;
    struct iovec iov;
    union
    {
        char buf[CMSG_SPACE(sizeof(uint16_t))];
        struct cmsghdr header;
    } control;
    char *buf;
    const char *step;
};

static int verbose;

static double now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int fail(struct bench *b, const char *step)
{
    b->step = step;
    return errno ? errno : -1;
}

static void loopback(struct sockaddr_in *addr)
{
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

static int bound_socket(int type, struct sockaddr_in *addr)
{
    struct sockaddr_in local;
    socklen_t len = sizeof(local);
    int s = socket(AF_INET, type | SOCK_CLOEXEC, 0);

    if (s < 0) return s;
    loopback(&local);
    if (bind(s, (struct sockaddr *)&local, sizeof(local)) || getsockname(s, (struct sockaddr *)&local, &len))
    {
        int err = errno;
        close(s);
        errno = err;
        return -1;
    }
    if (addr) *addr = local;
    return s;
}

/* The UDP receiver: bound to rx_addr (a fresh port the first time, the same
 * one again after that), with a big receive buffer. */
static int udp_receiver(struct bench *b)
{
    socklen_t len = sizeof(b->rx_addr);
    int size = UDP_RCVBUF;

    if (!b->rx_addr.sin_port) loopback(&b->rx_addr);
    if ((b->rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) return fail(b, "receiver socket");
    setsockopt(b->rx, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    if (bind(b->rx, (struct sockaddr *)&b->rx_addr, sizeof(b->rx_addr))
        || getsockname(b->rx, (struct sockaddr *)&b->rx_addr, &len))
        return fail(b, "receiver bind");
    return 0;
}

/* Empties the receiver between rounds, untimed, as ws2bench does: a new
 * socket on the same port. */
static int udp_drain(struct bench *b)
{
    if (b->c->tcp) return 0;
    close(b->rx);
    return udp_receiver(b);
}

static int udp_sender(struct bench *b, int do_connect)
{
    int err;

    if ((err = udp_receiver(b))) return err;
    if ((b->tx = bound_socket(SOCK_DGRAM, NULL)) < 0) return fail(b, "sender socket");
    if (do_connect && connect(b->tx, (struct sockaddr *)&b->rx_addr, sizeof(b->rx_addr)))
        return fail(b, "connect");
    b->iov.iov_base = b->buf;
    b->iov.iov_len = b->c->bytes;
    memset(&b->msg, 0, sizeof(b->msg));
    b->msg.msg_iov = &b->iov;
    b->msg.msg_iovlen = 1;
    if (!do_connect)
    {
        b->msg.msg_name = &b->rx_addr;
        b->msg.msg_namelen = sizeof(b->rx_addr);
    }
    return 0;
}

static int setup_udp_connected(struct bench *b)
{
    return udp_sender(b, 1);
}

static int setup_udp_unconnected(struct bench *b)
{
    return udp_sender(b, 0);
}

static int setup_poll(struct bench *b)
{
    struct epoll_event ev = { .events = EPOLLOUT };
    int err;

    if ((err = udp_sender(b, 1))) return err;
    if ((b->ep = epoll_create1(EPOLL_CLOEXEC)) < 0) return fail(b, "epoll_create1");
    if (epoll_ctl(b->ep, EPOLL_CTL_ADD, b->tx, &ev)) return fail(b, "epoll_ctl");
    return 0;
}

static void *tcp_reader(void *arg)
{
    struct bench *b = arg;
    char *buf = malloc(TCP_RCV_CHUNK);

    if (buf)
        while (recv(b->rx, buf, TCP_RCV_CHUNK, 0) > 0) {}
    free(buf);
    return NULL;
}

static int setup_tcp(struct bench *b)
{
    struct sockaddr_in addr;
    int err;

    if ((b->listener = bound_socket(SOCK_STREAM, &addr)) < 0) return fail(b, "listener socket");
    if (listen(b->listener, 1)) return fail(b, "listen");
    if ((b->tx = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) return fail(b, "sender socket");
    if (connect(b->tx, (struct sockaddr *)&addr, sizeof(addr))) return fail(b, "connect");
    if ((b->rx = accept(b->listener, NULL, NULL)) < 0) return fail(b, "accept");
    if ((err = pthread_create(&b->reader, NULL, tcp_reader, b)))
    {
        b->step = "pthread_create";
        return err;
    }
    b->have_reader = 1;
    b->iov.iov_base = b->buf;
    b->iov.iov_len = b->c->bytes;
    memset(&b->msg, 0, sizeof(b->msg));
    b->msg.msg_iov = &b->iov;
    b->msg.msg_iovlen = 1;
    return 0;
}

static void teardown(struct bench *b)
{
    if (b->have_reader)
    {
        shutdown(b->tx, SHUT_WR);
        pthread_join(b->reader, NULL);
    }
    if (b->tx >= 0) close(b->tx);
    if (b->rx >= 0) close(b->rx);
    if (b->listener >= 0) close(b->listener);
    if (b->ep >= 0) close(b->ep);
}

static int op_send(struct bench *b)
{
    if (send(b->tx, b->buf, b->c->bytes, MSG_NOSIGNAL) != (ssize_t)b->c->bytes) return fail(b, "send");
    return 0;
}

static int op_sendmsg(struct bench *b)
{
    /* A blocking stream send returns everything unless interrupted. */
    if (sendmsg(b->tx, &b->msg, MSG_NOSIGNAL) != (ssize_t)b->c->bytes) return fail(b, "sendmsg");
    return 0;
}

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#define SEGMENT 1200

static int setup_batch(struct bench *b)
{
    uint16_t segment = SEGMENT;
    int err;

    if ((err = udp_sender(b, 1))) return err;
    memset(&b->control, 0, sizeof(b->control));
    b->control.header.cmsg_len = CMSG_LEN(sizeof(segment));
    b->control.header.cmsg_level = SOL_UDP;
    b->control.header.cmsg_type = UDP_SEGMENT;
    memcpy(CMSG_DATA(&b->control.header), &segment, sizeof(segment));
    b->msg.msg_control = b->control.buf;
    b->msg.msg_controllen = sizeof(b->control.buf);
    return 0;
}

static int op_sendto(struct bench *b)
{
    if (sendto(b->tx, b->buf, b->c->bytes, MSG_NOSIGNAL, (struct sockaddr *)&b->rx_addr,
               sizeof(b->rx_addr)) != (ssize_t)b->c->bytes)
        return fail(b, "sendto");
    return 0;
}

static int op_send_poll(struct bench *b)
{
    struct epoll_event ev;

    if (sendmsg(b->tx, &b->msg, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)b->c->bytes)
        return fail(b, "sendmsg");
    if (epoll_wait(b->ep, &ev, 1, 5000) != 1) return fail(b, "epoll_wait");
    return 0;
}

static const struct bench_case cases[] =
{
    { "udp-send",       setup_udp_connected,   op_send,      64,    0 },
    { "udp-wsasend",    setup_udp_connected,   op_sendmsg,   64,    0 },
    { "udp-wsasendto",  setup_udp_unconnected, op_sendto,    64,    0 },
    { "udp-wsasendmsg", setup_udp_unconnected, op_sendmsg,   64,    0 },
    { "tcp-64",         setup_tcp,             op_sendmsg,   64,    1 },
    { "tcp-64k",        setup_tcp,             op_sendmsg,   65536, 1 },
    { "tcp-1m",         setup_tcp,             op_sendmsg,   1 << 20, 1 },
    { "iocp-wsasend",   setup_poll,            op_send_poll, 64,    0 },
    { "iocp-skip",      setup_udp_connected,   op_sendmsg,   64,    0 },
    { "iocp-batch",     setup_batch,           op_sendmsg,   16 * SEGMENT, 0, 1 },
    { "iocp-tcp-64k",   setup_tcp,             op_sendmsg,   65536, 1 },
};
#define CASE_COUNT (sizeof(cases) / sizeof(cases[0]))

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

static int run_case(const struct bench_case *c, unsigned int rounds, double round_ns, unsigned int fixed_n)
{
    double times[MAX_ROUNDS], elapsed, start, per_op;
    struct bench b;
    unsigned int n, r, done = 0;
    int err;

    memset(&b, 0, sizeof(b));
    b.c = c;
    b.tx = b.rx = b.listener = b.ep = -1;
    b.step = "setup";
    if (!(b.buf = calloc(1, c->bytes)))
    {
        printf("case=%s error=%d at=malloc\n", c->name, ENOMEM);
        return 1;
    }
    memset(b.buf, 'x', c->bytes);
    start = now_ns();
    if ((err = c->setup(&b))) goto failed;

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
        if (elapsed + times[r] * n > CASE_BUDGET_NS) break;
    }

    qsort(times, done, sizeof(times[0]), compare_doubles);
    per_op = done % 2 ? times[done / 2] : (times[done / 2 - 1] + times[done / 2]) / 2;
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

static void usage(void)
{
    unsigned int i;

    fprintf(stderr, "usage: native_bench [-r ROUNDS] [-t ROUND_MS] [-n SENDS] [-v] [CASE... | all]\ncases:");
    for (i = 0; i < CASE_COUNT; i++) fprintf(stderr, " %s", cases[i].name);
    fprintf(stderr, "\n");
}

int main(int argc, char **argv)
{
    unsigned int rounds = 7, fixed_n = 0, i;
    double round_ms = 200;
    int want[CASE_COUNT] = {0}, selected = 0, a, failures = 0;

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
            for (i = 0; i < CASE_COUNT; i++) want[i] = 1;
            selected = 1;
        }
        else
        {
            for (i = 0; i < CASE_COUNT && strcmp(argv[a], cases[i].name); i++) {}
            if (i == CASE_COUNT) { usage(); return 2; }
            want[i] = 1;
            selected = 1;
        }
    }
    if (rounds < 1 || rounds > MAX_ROUNDS || round_ms <= 0 || fixed_n > MAX_SENDS)
    {
        fprintf(stderr, "native_bench: need 1 <= ROUNDS <= %u, ROUND_MS > 0, SENDS <= %u\n", MAX_ROUNDS, MAX_SENDS);
        return 2;
    }
    if (!selected)
        for (i = 0; i < CASE_COUNT; i++) want[i] = 1;

    printf("# arch=native\n");
    for (i = 0; i < CASE_COUNT; i++)
        if (want[i]) failures += run_case(&cases[i], rounds, round_ms * 1e6, fixed_n);
    return failures ? 1 : 0;
}
