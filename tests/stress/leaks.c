/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Leaks and misdirection: many socket open/send/close cycles mixing
 * closesocket, CloseHandle, handle values the next socket reuses and
 * DuplicateHandle copies.  The process' host descriptors and Windows
 * handles must be as many after as before, and every datagram must reach
 * the socket it was sent to: each carries its receiver's number, and each
 * cycle sends to another receiver than the cycle before, so a stale
 * descriptor or cache entry behind a reused handle value shows at once.
 *
 * Options: --cycles N (10^5; --quick 10^4), --seed N, --kinds MASK (bit n:
 * enum cycle_kind n; for bisecting a failure).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "stress.h"

#define RECEIVERS       3
#define WARM_UP         300     /* cycles before the first count: Wine's own threads and caches settle */
#define TCP_EVERY       32      /* one cycle in this many uses a TCP connection */
#define TAG_MAGIC       0x4b41454cu     /* "LEAK" */

enum cycle_kind
{
    KIND_SENDTO_CLOSESOCKET,    /* sendto, closesocket */
    KIND_SENDTO_CLOSEHANDLE,    /* WSASendTo, CloseHandle */
    KIND_CONNECTED,             /* connect, send or WSASend, either close */
    KIND_SENDMSG,               /* WSASendMsg (direct or looked up), either close */
    KIND_DUPLICATE,             /* DuplicateHandle: both handles send, both are closed */
    KIND_DUPLICATE_EARLY_CLOSE, /* the original is closed first, then the copy sends */
    KIND_COUNT,
    KIND_TCP = KIND_COUNT,      /* connect, accept, send, close both */
};

struct tag
{
    UINT32 magic;
    UINT32 cycle;
    UINT32 receiver;
    UINT32 kind;
};

struct leak_run
{
    SOCKET receivers[RECEIVERS];
    struct sockaddr_in addrs[RECEIVERS];
    SOCKET listener;
    struct sockaddr_in listener_addr;
    LPFN_WSASENDMSG pWSASendMsg;
    struct rng rng;
    SOCKET previous_handle;
    UINT32 previous_receiver;
    /* figures */
    UINT64 sent, received, misdirected, malformed, send_failures, close_failures, reused, kinds[KIND_COUNT + 1];
    UINT64 early_close_sent, early_close_refused;
    char first_problem[200];
};

static void WSTEST_PRINTF(2, 3) problem(struct leak_run *run, const char *fmt, ...)
{
    va_list args;

    if (run->first_problem[0]) return;
    va_start(args, fmt);
    vsnprintf(run->first_problem, sizeof(run->first_problem), fmt, args);
    va_end(args);
}

/* Reads every datagram waiting at the receivers. */
static void drain(struct leak_run *run)
{
    char buf[64];

    for (UINT32 r = 0; r < RECEIVERS; r++)
    {
        int ret;

        while ((ret = recv(run->receivers[r], buf, sizeof(buf), 0)) > 0)
        {
            struct tag tag;

            if (ret != sizeof(tag))
            {
                run->malformed++;
                continue;
            }
            memcpy(&tag, buf, sizeof(tag));
            if (tag.magic != TAG_MAGIC)
                run->malformed++;
            else if (tag.receiver != r)
            {
                run->misdirected++;
                problem(run, "cycle %u: a datagram for receiver %u arrived at %u", tag.cycle, tag.receiver, r);
            }
            else
                run->received++;
        }
    }
}

static BOOL send_tag(struct leak_run *run, SOCKET s, UINT32 cycle, UINT32 receiver, enum cycle_kind kind,
                     BOOL connected)
{
    struct tag tag = { TAG_MAGIC, cycle, receiver, kind };
    const struct sockaddr *to = (const struct sockaddr *)&run->addrs[receiver];
    WSABUF buf = { sizeof(tag), (char *)&tag };
    DWORD sent = 0;
    int ret;

    switch (kind)
    {
    case KIND_SENDTO_CLOSEHANDLE:
        ret = WSASendTo(s, &buf, 1, &sent, 0, to, sizeof(run->addrs[0]), NULL, NULL) ? -1 : (int)sent;
        break;
    case KIND_CONNECTED:
        if (!connected) return FALSE;
        if (cycle & 1)
            ret = send(s, (const char *)&tag, sizeof(tag), 0);
        else
            ret = WSASend(s, &buf, 1, &sent, 0, NULL, NULL) ? -1 : (int)sent;
        break;
    case KIND_SENDMSG:
    {
        WSAMSG msg = { (struct sockaddr *)to, sizeof(run->addrs[0]), &buf, 1, { 0, NULL }, 0 };

        ret = ((cycle & 2) ? run->pWSASendMsg : WSASendMsg)(s, &msg, 0, &sent, NULL, NULL) ? -1 : (int)sent;
        break;
    }
    default:
        ret = sendto(s, (const char *)&tag, sizeof(tag), 0, to, sizeof(run->addrs[0]));
        break;
    }
    if (ret == sizeof(tag))
    {
        run->sent++;
        return TRUE;
    }
    return FALSE;
}

/* Closes with closesocket or CloseHandle; a refusal is counted, and the
 * handle is left as a program that trusts the call would leave it. */
static void close_either(struct leak_run *run, SOCKET s, UINT32 choice, UINT32 cycle)
{
    if (choice & 1)
    {
        if (closesocket(s))
        {
            run->close_failures++;
            problem(run, "cycle %u: closesocket(%p) failed, error %d", cycle, (void *)s, WSAGetLastError());
        }
    }
    else if (!CloseHandle((HANDLE)s))
    {
        run->close_failures++;
        problem(run, "cycle %u: CloseHandle(%p) failed, error %lu", cycle, (void *)s, GetLastError());
    }
}

static SOCKET new_udp(struct leak_run *run)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in local;

    /* Half bound here, half bound by their first send. */
    if (s != INVALID_SOCKET && rng_below(&run->rng, 2))
    {
        memset(&local, 0, sizeof(local));
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(s, (struct sockaddr *)&local, sizeof(local));
    }
    return s;
}

static void tcp_cycle(struct leak_run *run, UINT32 cycle)
{
    SOCKET client = socket(AF_INET, SOCK_STREAM, 0), accepted;
    struct tag tag = { TAG_MAGIC, cycle, RECEIVERS, KIND_TCP }, got;

    run->kinds[KIND_TCP]++;
    if (connect(client, (struct sockaddr *)&run->listener_addr, sizeof(run->listener_addr)))
    {
        run->send_failures++;
        problem(run, "cycle %u: connect failed, error %d", cycle, WSAGetLastError());
        closesocket(client);
        return;
    }
    accepted = accept(run->listener, NULL, NULL);
    if (send(client, (const char *)&tag, sizeof(tag), 0) != sizeof(tag))
    {
        run->send_failures++;
        problem(run, "cycle %u: TCP send failed, error %d", cycle, WSAGetLastError());
    }
    else if (recv_all(accepted, (char *)&got, sizeof(got), 5000) != sizeof(got) || memcmp(&got, &tag, sizeof(tag)))
    {
        run->misdirected++;
        problem(run, "cycle %u: the TCP peer did not get the cycle's bytes", cycle);
    }
    close_either(run, client, cycle >> 5, cycle);
    close_either(run, accepted, cycle >> 6, cycle);
}

static void one_cycle(struct leak_run *run, UINT32 cycle)
{
    enum cycle_kind kind = rng_below(&run->rng, KIND_COUNT);
    UINT64 kinds = stress_option("--kinds", ~0ull);     /* bit mask of kinds, for bisecting */

    if (!(kinds & ((1u << KIND_COUNT) - 1)))
        kinds |= 1u << KIND_TCP;
    else
        while (!(kinds & (1u << kind))) kind = rng_below(&run->rng, KIND_COUNT);
    UINT32 receiver, close_choice = rng_next(&run->rng);
    HANDLE copy = NULL;
    SOCKET s;

    if ((kinds & (1u << KIND_TCP)) && (cycle % TCP_EVERY == TCP_EVERY - 1 || !(kinds & ((1u << KIND_COUNT) - 1))))
    {
        tcp_cycle(run, cycle);
        return;
    }
    run->kinds[kind]++;
    if ((s = new_udp(run)) == INVALID_SOCKET)
    {
        run->send_failures++;
        problem(run, "cycle %u: socket failed, error %d", cycle, WSAGetLastError());
        return;
    }
    /* Never the receiver of the cycle before, so that a send through
     * anything left of the previous socket goes astray visibly. */
    receiver = (run->previous_receiver + 1 + rng_below(&run->rng, RECEIVERS - 1)) % RECEIVERS;
    if (s == run->previous_handle) run->reused++;

    switch (kind)
    {
    case KIND_CONNECTED:
        if (connect(s, (struct sockaddr *)&run->addrs[receiver], sizeof(run->addrs[0])))
            problem(run, "cycle %u: UDP connect failed, error %d", cycle, WSAGetLastError());
        if (!send_tag(run, s, cycle, receiver, kind, TRUE)) goto failed;
        if (!send_tag(run, s, cycle, receiver, kind, TRUE)) goto failed;
        close_either(run, s, close_choice, cycle);
        break;
    case KIND_DUPLICATE:
    case KIND_DUPLICATE_EARLY_CLOSE:
        if (!DuplicateHandle(GetCurrentProcess(), (HANDLE)s, GetCurrentProcess(), &copy, 0, FALSE,
                             DUPLICATE_SAME_ACCESS))
        {
            problem(run, "cycle %u: DuplicateHandle failed, error %d", cycle, (int)GetLastError());
            copy = NULL;
        }
        if (!send_tag(run, s, cycle, receiver, kind, FALSE)) goto failed;
        if (kind == KIND_DUPLICATE)
        {
            if (copy && !send_tag(run, (SOCKET)copy, cycle, receiver, kind, FALSE)) goto failed;
            if (copy) close_either(run, (SOCKET)copy, close_choice >> 1, cycle);
            close_either(run, s, close_choice, cycle);
        }
        else
        {
            /* What Windows answers for a copy whose original was closed
             * is not pinned; whatever it is, a datagram may only go to
             * the receiver named. */
            close_either(run, s, close_choice, cycle);
            if (copy)
            {
                if (send_tag(run, (SOCKET)copy, cycle, receiver, kind, FALSE))
                    run->early_close_sent++;
                else
                    run->early_close_refused++;
                CloseHandle(copy);
            }
        }
        break;
    default:
        if (!send_tag(run, s, cycle, receiver, kind, FALSE)) goto failed;
        if (kind == KIND_SENDTO_CLOSESOCKET)
            close_either(run, s, 1, cycle);
        else if (kind == KIND_SENDTO_CLOSEHANDLE)
            close_either(run, s, 0, cycle);
        else
            close_either(run, s, close_choice, cycle);
        break;
    }
    run->previous_handle = s;
    run->previous_receiver = receiver;
    return;

failed:
    run->send_failures++;
    problem(run, "cycle %u: a send failed, error %d", cycle, WSAGetLastError());
    if (copy) CloseHandle(copy);
    closesocket(s);
    run->previous_handle = s;
    run->previous_receiver = receiver;
}

static void setup(struct leak_run *run)
{
    GUID guid = WSAID_WSASENDMSG;
    DWORD size;
    int len, rcvbuf = 4 << 20;

    for (UINT32 r = 0; r < RECEIVERS; r++)
    {
        run->receivers[r] = udp_bound(&run->addrs[r]);
        setsockopt(run->receivers[r], SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf));
        set_blocking(run->receivers[r], FALSE);
    }
    run->listener = socket(AF_INET, SOCK_STREAM, 0);
    memset(&run->listener_addr, 0, sizeof(run->listener_addr));
    run->listener_addr.sin_family = AF_INET;
    run->listener_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(run->listener, (struct sockaddr *)&run->listener_addr, sizeof(run->listener_addr));
    len = sizeof(run->listener_addr);
    getsockname(run->listener, (struct sockaddr *)&run->listener_addr, &len);
    listen(run->listener, 8);
    WSAIoctl(run->receivers[0], SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &run->pWSASendMsg,
             sizeof(run->pWSASendMsg), &size, NULL, NULL);
    ok(run->pWSASendMsg != NULL, "no WSASendMsg pointer, error %d\n", WSAGetLastError());
}

struct resources
{
    BOOL have_fds;
    int fds;            /* host descriptors */
    int socket_fds;     /* of those, sockets */
    DWORD handles;      /* Windows handles */
};

static void count_resources(struct resources *res, const char *label)
{
    res->have_fds = host_fd_count(label, &res->fds, &res->socket_fds);
    res->handles = handle_count();
}

static BOOL same_resources(const struct resources *a, const struct resources *b)
{
    return a->handles == b->handles
        && (!a->have_fds || (b->have_fds && a->fds == b->fds && a->socket_fds == b->socket_fds));
}

/* Counts again for a while when the numbers differ: Wine's own threads
 * open and close descriptors now and then. */
static void settle(const struct resources *before, struct resources *after)
{
    UINT64 start = now_ms();
    char label[32];
    int round = 0;

    do
    {
        snprintf(label, sizeof(label), "after-%d", round++);
        count_resources(after, label);
        if (same_resources(before, after)) return;
        Sleep(200);
    } while (now_ms() - start < 5000);
}

START_TEST(leaks)
{
    static struct leak_run run;
    UINT32 cycles = stress_option("--cycles", stress_quick() ? 10000 : 100000);
    UINT64 seed = stress_option("--seed", 12), start, elapsed, quiet;
    struct resources before, after;
    WSADATA data;
    UINT32 cycle = 0;

    WSAStartup(MAKEWORD(2, 2), &data);
    rng_seed(&run.rng, seed);
    setup(&run);
    run.previous_receiver = 0;

    for (; cycle < WARM_UP; cycle++)
    {
        one_cycle(&run, cycle);
        drain(&run);
    }
    count_resources(&before, "before");

    start = now_ms();
    for (; cycle < WARM_UP + cycles; cycle++)
    {
        one_cycle(&run, cycle);
        drain(&run);
    }
    elapsed = now_ms() - start;
    /* The last datagrams may still be on their way. */
    for (quiet = now_ms(); run.received < run.sent && now_ms() - quiet < 2000; Sleep(10)) drain(&run);
    settle(&before, &after);

    figure("leaks cycles=%u seconds=%.1f cycles/s=%.0f seed=%llu", cycles, elapsed / 1000.0,
           elapsed ? cycles * 1000.0 / elapsed : 0.0, seed);
    figure("leaks host_fds before=%d after=%d host_socket_fds before=%d after=%d windows_handles before=%lu after=%lu",
           before.fds, after.fds, before.socket_fds, after.socket_fds, before.handles, after.handles);
    figure("leaks datagrams sent=%llu received=%llu misdirected=%llu malformed=%llu send_failures=%llu "
           "close_failures=%llu handle_reused=%llu", run.sent, run.received, run.misdirected, run.malformed,
           run.send_failures, run.close_failures, run.reused);
    figure("leaks kinds sendto/closesocket=%llu WSASendTo/CloseHandle=%llu connected=%llu WSASendMsg=%llu "
           "duplicate=%llu duplicate_early_close=%llu (copy sent %llu, refused %llu) tcp=%llu",
           run.kinds[KIND_SENDTO_CLOSESOCKET], run.kinds[KIND_SENDTO_CLOSEHANDLE], run.kinds[KIND_CONNECTED],
           run.kinds[KIND_SENDMSG], run.kinds[KIND_DUPLICATE], run.kinds[KIND_DUPLICATE_EARLY_CLOSE],
           run.early_close_sent, run.early_close_refused, run.kinds[KIND_TCP]);
    if (run.first_problem[0]) trace("first problem: %s\n", run.first_problem);

    if (!before.have_fds)
        skip("no runner to count host descriptors (run through tools/run_stress.py)\n");
    else
    {
        ok(after.have_fds, "the runner did not count the descriptors after the cycles\n");
        ok(after.socket_fds == before.socket_fds, "host socket descriptors: %d before, %d after %u cycles\n",
           before.socket_fds, after.socket_fds, cycles);
        ok(after.fds == before.fds, "host descriptors: %d before, %d after %u cycles\n", before.fds, after.fds, cycles);
    }
    ok(before.handles && after.handles == before.handles, "Windows handles: %lu before, %lu after %u cycles\n",
       before.handles, after.handles, cycles);
    ok(!run.misdirected, "%llu datagrams reached a socket they were not sent to\n", run.misdirected);
    ok(!run.malformed, "%llu malformed datagrams\n", run.malformed);
    ok(run.received == run.sent, "%llu datagrams sent, %llu received\n", run.sent, run.received);
    ok(!run.send_failures, "%llu sends failed (%s)\n", run.send_failures, run.first_problem);
    ok(!run.close_failures, "%llu closes failed (%s)\n", run.close_failures, run.first_problem);
    ok(run.reused > 0, "no handle value was ever reused: the reuse case went untested\n");

    for (UINT32 r = 0; r < RECEIVERS; r++) closesocket(run.receivers[r]);
    closesocket(run.listener);
    WSACleanup();
}
