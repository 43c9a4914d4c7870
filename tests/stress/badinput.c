/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Bad input: generated calls of the five send entry points, the WSASendMsg
 * pointer from the extension lookup, and the lookup itself, with closed,
 * reused and non-socket handles; NULL, wild, guard-page, read-only, freed
 * and page-straddling pointers in every pointer argument; absurd counts and
 * lengths; malformed WSAMSG and control data.  Every call must come back
 * (no crash) with success or a Windows error code, and the sockets must
 * still send afterwards.
 *
 * First every argument is made bad alone (the error Windows gives is known:
 * WSAENOTSOCK for the handle, WSAEFAULT for a pointer it cannot use; sources
 * in the comments), then random mixes.  The completion routine is the one
 * pointer left valid: Windows calls it, so a wild one crashes there too.
 *
 * Options: --calls N (random calls; 1,000, --quick the same; full 20,000),
 * --seed N, --from N (skip calls before N: the runner resumes after a
 * crash, which is reported as "badinput: crashed in call N"), --verbose 1
 * (each call named before it is made).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "stress.h"

enum entry
{
    E_SEND,
    E_SENDTO,
    E_WSASEND,
    E_WSASENDTO,
    E_WSASENDMSG,
    E_WSASENDMSG_POINTER,   /* the pointer WSAIoctl hands out */
    E_LOOKUP,               /* WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) */
    E_COUNT
};

static const char *const entry_names[E_COUNT] =
    { "send", "sendto", "WSASend", "WSASendTo", "WSASendMsg", "WSASendMsg pointer", "lookup" };

enum handle_kind
{
    H_VALID,
    H_CLOSED,       /* a socket closed just before */
    H_REUSED,       /* a closed socket's value, now an event's */
    H_EVENT,
    H_FILE,
    H_INVALID,      /* INVALID_SOCKET */
    H_ZERO,
    H_RANDOM,
    H_COUNT
};

static const char *const handle_names[H_COUNT] =
    { "socket", "closed socket", "reused handle", "event", "file", "INVALID_SOCKET", "0", "random" };

enum pointer_kind
{
    P_VALID,
    P_NULL,
    P_WILD_LOW,     /* the first page */
    P_WILD_HIGH,    /* the top of the address space */
    P_GUARD,        /* a PAGE_GUARD page */
    P_READONLY,     /* a read-only copy of the valid contents */
    P_FREED,        /* decommitted with VirtualFree */
    P_STRADDLE,     /* the last byte of a page before an inaccessible one */
    P_COUNT
};

static const char *const pointer_names[P_COUNT] =
    { "valid", "NULL", "wild low", "wild high", "guard page", "read-only", "freed", "straddling" };

/* The pointer arguments (and pointers inside arguments) a call has. */
enum slot
{
    S_BUF,          /* send/sendto buffer, WSABUF.buf */
    S_BUFFERS,      /* the WSABUF array */
    S_ADDR,         /* destination address, WSAMSG.name */
    S_SENT,         /* lpNumberOfBytesSent */
    S_OVERLAPPED,
    S_MSG,          /* the WSAMSG */
    S_CONTROL,      /* WSAMSG.Control.buf */
    S_IN,           /* lookup: the GUID */
    S_OUT,          /* lookup: the pointer written */
    S_RET_SIZE,     /* lookup: lpcbBytesReturned */
    S_COUNT
};

static const char *const slot_names[S_COUNT] =
    { "buffer", "WSABUF array", "address", "byte count", "OVERLAPPED", "WSAMSG", "control data", "GUID",
      "output", "returned size" };

/* Which slots an entry point has, and which of them it only writes. */
static const unsigned int entry_slots[E_COUNT] =
{
    [E_SEND] = 1u << S_BUF,
    [E_SENDTO] = 1u << S_BUF | 1u << S_ADDR,
    [E_WSASEND] = 1u << S_BUF | 1u << S_BUFFERS | 1u << S_SENT | 1u << S_OVERLAPPED,
    [E_WSASENDTO] = 1u << S_BUF | 1u << S_BUFFERS | 1u << S_ADDR | 1u << S_SENT | 1u << S_OVERLAPPED,
    [E_WSASENDMSG] = 1u << S_BUF | 1u << S_BUFFERS | 1u << S_ADDR | 1u << S_SENT | 1u << S_OVERLAPPED
                     | 1u << S_MSG | 1u << S_CONTROL,
    [E_WSASENDMSG_POINTER] = 1u << S_BUF | 1u << S_BUFFERS | 1u << S_ADDR | 1u << S_SENT | 1u << S_OVERLAPPED
                             | 1u << S_MSG | 1u << S_CONTROL,
    [E_LOOKUP] = 1u << S_IN | 1u << S_OUT | 1u << S_RET_SIZE | 1u << S_OVERLAPPED,
};
static const unsigned int output_slots = 1u << S_SENT | 1u << S_OVERLAPPED | 1u << S_OUT | 1u << S_RET_SIZE;

#define PAGE 4096

/* Memory the bad pointers point into. */
static struct
{
    BYTE *guard;        /* one PAGE_GUARD page, re-armed before each use */
    BYTE *readonly;     /* one page per slot, PAGE_READONLY */
    BYTE *freed;
    BYTE *straddle;     /* a read-write page followed by a PAGE_NOACCESS one */
} mem;

struct call
{
    enum entry entry;
    enum handle_kind handle;
    enum pointer_kind pointers[S_COUNT];
    BOOL overlapped;        /* a valid OVERLAPPED, when the slot is valid */
    BOOL routine;           /* a valid completion routine */
    int len;                /* send/sendto length */
    DWORD count;            /* WSABUF count, WSAMSG.dwBufferCount */
    int addr_len;
    DWORD flags;
    ULONG control_len;
    int control_shape;      /* 0: none, 1: valid IP_TOS, 2+: malformed */
    DWORD in_size, out_size;
    const char *absurd;     /* what is absurd about it, for the report */
    UINT32 random;          /* TCP or UDP for send/WSASend; the random handle */
};

struct sweep
{
    SOCKET udp, udp_connected, tcp, tcp_peer, receiver;
    struct sockaddr_in receiver_addr;
    LPFN_WSASENDMSG pWSASendMsg;
    HANDLE event, file, reused_event;
    UINT64 reused;
    struct rng rng;
    UINT32 index, from;
    BOOL verbose;
    UINT64 executed, succeeded, failed_codes[3];
    UINT64 crashes_seen, wrong_code, not_windows_code, unusable, pending_waits, stuck;
    UINT32 codes[64];
    volatile LONG routines_run;
    char description[256];
    HANDLE drainer;
    volatile LONG stop;
};

static struct sweep sweep;
static LPTOP_LEVEL_EXCEPTION_FILTER previous_filter;

static LONG WINAPI crash_filter(EXCEPTION_POINTERS *ptrs)
{
    printf("badinput: crashed in call %u: %s (exception %08lx at %p)\n", sweep.index, sweep.description,
           ptrs->ExceptionRecord->ExceptionCode, ptrs->ExceptionRecord->ExceptionAddress);
    fflush(stdout);
    return previous_filter ? previous_filter(ptrs) : EXCEPTION_CONTINUE_SEARCH;
}

static void CALLBACK routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    InterlockedIncrement(&sweep.routines_run);
}

static DWORD WINAPI drain_tcp(void *arg)
{
    static char sink[65536];

    while (!sweep.stop)
        if (recv_all(sweep.tcp_peer, sink, sizeof(sink), 200) < 0) break;
    return 0;
}

static void setup_memory(void)
{
    DWORD old;

    mem.guard = VirtualAlloc(NULL, PAGE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    mem.readonly = VirtualAlloc(NULL, PAGE * S_COUNT, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    /* Decommitted inside a reservation, so that no later allocation can
     * take the address. */
    mem.freed = VirtualAlloc(NULL, PAGE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    VirtualFree(mem.freed, PAGE, MEM_DECOMMIT);
    mem.straddle = VirtualAlloc(NULL, 2 * PAGE, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    VirtualProtect(mem.straddle + PAGE, PAGE, PAGE_NOACCESS, &old);
}

/* A pointer of the given kind for a slot whose valid contents are
 * valid/size. */
static void *make_pointer(enum pointer_kind kind, enum slot slot, void *valid, size_t size)
{
    DWORD old;
    BYTE *page;

    switch (kind)
    {
    case P_VALID: return valid;
    case P_NULL: return NULL;
    case P_WILD_LOW: return (void *)(ULONG_PTR)0x10;
    case P_WILD_HIGH: return (void *)~(ULONG_PTR)0xfff;
    case P_GUARD:
        VirtualProtect(mem.guard, PAGE, PAGE_READWRITE, &old);
        memcpy(mem.guard, valid, size);
        VirtualProtect(mem.guard, PAGE, PAGE_READWRITE | PAGE_GUARD, &old);
        return mem.guard;
    case P_READONLY:
        page = mem.readonly + slot * PAGE;
        VirtualProtect(page, PAGE, PAGE_READWRITE, &old);
        memcpy(page, valid, size);
        VirtualProtect(page, PAGE, PAGE_READONLY, &old);
        return page;
    case P_FREED: return mem.freed;
    case P_STRADDLE:
        /* One readable byte: anything longer runs into the next page. */
        page = mem.straddle + PAGE - 1;
        memcpy(page, valid, 1);
        return page;
    default: return NULL;
    }
}

static SOCKET make_handle(const struct call *call)
{
    SOCKET s;

    switch (call->handle)
    {
    case H_VALID:
        /* send and WSASend need a connected socket; the others send by
         * address (WSASendMsg takes datagram sockets only). */
        if (call->entry == E_SEND || call->entry == E_WSASEND)
            return (call->random & 1) ? sweep.tcp : sweep.udp_connected;
        return sweep.udp;
    case H_CLOSED:
    case H_REUSED:
        s = socket(AF_INET, SOCK_DGRAM, 0);
        closesocket(s);
        if (call->handle == H_REUSED)
        {
            /* Handle values are reused lowest first; the event usually
             * gets this one (closed below, after the call). */
            HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);

            if ((SOCKET)event != s)
                CloseHandle(event);
            else
                sweep.reused_event = event;
        }
        return s;
    case H_EVENT: return (SOCKET)sweep.event;
    case H_FILE: return (SOCKET)sweep.file;
    case H_INVALID: return INVALID_SOCKET;
    case H_ZERO: return 0;
    default: return (SOCKET)(ULONG_PTR)((call->random | 0x10000) & ~3u);
    }
}

/* The valid arguments every call starts from. */
struct arguments
{
    char data[64];
    WSABUF buffers[2];
    struct sockaddr_in addr;
    DWORD sent;
    WSAOVERLAPPED ov;
    WSAMSG msg;
    BYTE control[64];
    GUID guid;
    void *out;
    DWORD ret_size;
};

static ULONG build_control(BYTE *buf, int shape)
{
    WSACMSGHDR *c = (WSACMSGHDR *)buf;
    int tos = 0;

    memset(buf, 0, 64);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_TOS;
    c->cmsg_len = WSA_CMSG_LEN(sizeof(int));
    memcpy(WSA_CMSG_DATA(c), &tos, sizeof(tos));
    switch (shape)
    {
    case 1: return WSA_CMSG_SPACE(sizeof(int));
    case 2: c->cmsg_len = 0; return WSA_CMSG_SPACE(sizeof(int));
    case 3: c->cmsg_len = 1; return WSA_CMSG_SPACE(sizeof(int));
    case 4: c->cmsg_len = 1000; return WSA_CMSG_SPACE(sizeof(int));
    case 5: c->cmsg_len = ~(SIZE_T)0; return WSA_CMSG_SPACE(sizeof(int));
    case 6: return sizeof(WSACMSGHDR) - 2;              /* a cut header */
    case 7: c->cmsg_level = 0x7fffffff; c->cmsg_type = -1; return WSA_CMSG_SPACE(sizeof(int));
    default: return 0;
    }
}

static void note_stuck(int ret, int error)
{
    sweep.stuck++;
    trace("call %u (%s) returned %d, error %d, and never completed\n", sweep.index, sweep.description, ret, error);
}

/* Makes the call; returns its result with *error the last error. */
static int do_call(const struct call *call, SOCKET s, int *error)
{
    static struct arguments args;
    GUID guid = WSAID_WSASENDMSG;
    WSABUF *buffers;
    WSAMSG *msg;
    void *buf, *addr, *sent, *ov, *control, *in, *out, *ret_size;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE completion = call->routine ? routine : NULL;
    int ret;

    memset(&args, 0, sizeof(args));
    memset(args.data, 'b', sizeof(args.data));
    args.addr = sweep.receiver_addr;
    args.guid = guid;
    args.ov.hEvent = sweep.event;
    ResetEvent(sweep.event);

    buf = make_pointer(call->pointers[S_BUF], S_BUF, args.data, sizeof(args.data));
    args.buffers[0].buf = buf;
    args.buffers[0].len = call->len;
    args.buffers[1].buf = args.data;
    args.buffers[1].len = 4;
    buffers = make_pointer(call->pointers[S_BUFFERS], S_BUFFERS, args.buffers, sizeof(args.buffers));
    addr = make_pointer(call->pointers[S_ADDR], S_ADDR, &args.addr, sizeof(args.addr));
    sent = make_pointer(call->pointers[S_SENT], S_SENT, &args.sent, sizeof(args.sent));
    ov = call->overlapped || call->pointers[S_OVERLAPPED] != P_VALID
        ? make_pointer(call->pointers[S_OVERLAPPED], S_OVERLAPPED, &args.ov, sizeof(args.ov)) : NULL;
    build_control(args.control, call->control_shape);
    control = make_pointer(call->pointers[S_CONTROL], S_CONTROL, args.control, sizeof(args.control));
    args.msg.name = addr;
    args.msg.namelen = call->addr_len;
    args.msg.lpBuffers = buffers;
    args.msg.dwBufferCount = call->count;
    args.msg.Control.buf = call->control_shape || call->pointers[S_CONTROL] != P_VALID ? control : NULL;
    args.msg.Control.len = call->control_len;
    args.msg.dwFlags = call->flags;
    msg = make_pointer(call->pointers[S_MSG], S_MSG, &args.msg, sizeof(args.msg));
    in = make_pointer(call->pointers[S_IN], S_IN, &args.guid, sizeof(args.guid));
    out = make_pointer(call->pointers[S_OUT], S_OUT, &args.out, sizeof(args.out));
    ret_size = make_pointer(call->pointers[S_RET_SIZE], S_RET_SIZE, &args.ret_size, sizeof(args.ret_size));

    SetLastError(0xdeadbeef);
    switch (call->entry)
    {
    case E_SEND: ret = send(s, buf, call->len, call->flags); break;
    case E_SENDTO: ret = sendto(s, buf, call->len, call->flags, addr, call->addr_len); break;
    case E_WSASEND: ret = WSASend(s, buffers, call->count, sent, call->flags, ov, completion); break;
    case E_WSASENDTO:
        ret = WSASendTo(s, buffers, call->count, sent, call->flags, addr, call->addr_len, ov, completion);
        break;
    case E_WSASENDMSG: ret = WSASendMsg(s, msg, call->flags, sent, ov, completion); break;
    case E_WSASENDMSG_POINTER: ret = sweep.pWSASendMsg(s, msg, call->flags, sent, ov, completion); break;
    default:
        ret = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, in, call->in_size, out, call->out_size, ret_size,
                       ov, completion);
        break;
    }
    *error = WSAGetLastError();

    /* An overlapped call that started must end before its OVERLAPPED and
     * buffers are reused. */
    if (ov == &args.ov && (entry_slots[call->entry] & (1u << S_OVERLAPPED)) && (!ret || *error == WSA_IO_PENDING))
    {
        sweep.pending_waits++;
        if (completion)
        {
            UINT64 start = now_ms();
            LONG before = sweep.routines_run;

            while (sweep.routines_run == before && now_ms() - start < 5000) SleepEx(50, TRUE);
            if (sweep.routines_run == before) note_stuck(ret, *error);
        }
        else if (WaitForSingleObject(sweep.event, 5000) != WAIT_OBJECT_0)
            note_stuck(ret, *error);
    }
    SleepEx(0, TRUE);
    return ret;
}

static void record_code(int error)
{
    for (int i = 0; i < (int)ARRAY_SIZE(sweep.codes); i++)
    {
        if (sweep.codes[i] == (UINT32)error) return;
        if (!sweep.codes[i])
        {
            sweep.codes[i] = error;
            return;
        }
    }
}

/* The sockets still send: a datagram to the receiver arrives, and the
 * stream socket takes a byte. */
static BOOL sockets_usable(void)
{
    static UINT32 probe_id;
    char buf[2048];
    UINT32 id = ++probe_id;
    UINT64 start = now_ms();
    int ret;

    if (send(sweep.tcp, "p", 1, 0) != 1) return FALSE;
    if (sendto(sweep.udp, (char *)&id, sizeof(id), 0, (struct sockaddr *)&sweep.receiver_addr,
               sizeof(sweep.receiver_addr)) != sizeof(id))
        return FALSE;
    while (now_ms() - start < 2000)
    {
        fd_set set;
        struct timeval tv = { 0, 100000 };

        FD_ZERO(&set);
        FD_SET(sweep.receiver, &set);
        if (select(0, &set, NULL, NULL, &tv) <= 0) continue;
        ret = recv(sweep.receiver, buf, sizeof(buf), 0);
        if (ret == sizeof(id) && !memcmp(buf, &id, sizeof(id))) return TRUE;
    }
    return FALSE;
}

static void describe(const struct call *call, char *out, size_t size)
{
    int len = snprintf(out, size, "%s on %s", entry_names[call->entry], handle_names[call->handle]);

    for (int slot = 0; slot < S_COUNT; slot++)
        if ((entry_slots[call->entry] & (1u << slot)) && call->pointers[slot] != P_VALID && len < (int)size)
            len += snprintf(out + len, size - len, ", %s %s", slot_names[slot], pointer_names[call->pointers[slot]]);
    if (len < (int)size)
        snprintf(out + len, size - len, ", len %d, count %lu, addr_len %d, flags %#lx, control %lu/%d, in %lu, out %lu%s%s%s",
                 call->len, call->count, call->addr_len, call->flags, call->control_len, call->control_shape,
                 call->in_size, call->out_size, call->overlapped ? ", overlapped" : "",
                 call->routine ? ", routine" : "", call->absurd ? call->absurd : "");
}

/* Runs one call.  expected: the error Windows gives (0: success, -1: any
 * Windows error code or success). */
static void run_call(struct call *call, int expected)
{
    SOCKET s;
    int ret, error;
    BOOL bad_handle = call->handle != H_VALID;

    /* Drawn before the skip, so that --from N makes the same calls. */
    call->random = rng_next(&sweep.rng);
    sweep.index++;
    if (sweep.index < sweep.from) return;
    describe(call, sweep.description, sizeof(sweep.description));
    if (sweep.verbose)
    {
        printf("badinput: call %u: %s\n", sweep.index, sweep.description);
        fflush(stdout);
    }
    if (call->entry == E_WSASENDMSG || call->entry == E_WSASENDMSG_POINTER) call->routine &= !!call->overlapped;
    s = make_handle(call);
    ret = do_call(call, s, &error);
    sweep.executed++;
    if (sweep.verbose)
    {
        printf("badinput: call %u returned %d, error %d\n", sweep.index, ret, error);
        fflush(stdout);
    }
    if (sweep.reused_event)
    {
        CloseHandle(sweep.reused_event);
        sweep.reused_event = NULL;
        sweep.reused++;
    }

    if (!ret || (call->entry <= E_SENDTO && ret >= 0))
    {
        sweep.succeeded++;
        ok(!bad_handle, "call %u (%s): succeeded on a handle that is no socket\n", sweep.index, sweep.description);
        if (bad_handle) sweep.wrong_code++;
        else if (expected > 0)
        {
            ok(0, "call %u (%s): succeeded, expected error %d\n", sweep.index, sweep.description, expected);
            sweep.wrong_code++;
        }
    }
    else
    {
        record_code(error);
        if (!is_windows_error(error))
        {
            ok(0, "call %u (%s): returned %d with error %d, not a Windows error code\n", sweep.index,
               sweep.description, ret, error);
            sweep.not_windows_code++;
        }
        else if (bad_handle && error != WSAENOTSOCK && error != WSA_IO_PENDING)
        {
            /* Windows looks the socket up before anything else. */
            ok(0, "call %u (%s): error %d, expected WSAENOTSOCK\n", sweep.index, sweep.description, error);
            sweep.wrong_code++;
        }
        else if (expected >= 0 && !bad_handle && error != expected && error != WSA_IO_PENDING)
        {
            ok(0, "call %u (%s): error %d, expected %d\n", sweep.index, sweep.description, error, expected);
            sweep.wrong_code++;
        }
    }
    if (sweep.index % 16 == 0 || call->handle == H_VALID)
    {
        if (!sockets_usable())
        {
            ok(0, "call %u (%s): the sockets no longer send\n", sweep.index, sweep.description);
            sweep.unusable++;
        }
    }
}

static void valid_call(struct call *call, enum entry entry)
{
    memset(call, 0, sizeof(*call));
    call->entry = entry;
    call->len = 16;
    call->count = 1;
    call->addr_len = sizeof(struct sockaddr_in);
    call->in_size = sizeof(GUID);
    call->out_size = sizeof(void *);
}

/* The error Windows gives for one bad pointer in slot (sdk-api send,
 * sendto, WSASend, WSASendTo, WSASendMsg and WSAIoctl, WSAEFAULT: "not
 * totally contained in a valid part of the user address space"); -1 where
 * either answer is Windows' (a guard page is readable once its guard is
 * taken off by the first touch). */
static int expected_for_pointer(enum entry entry, enum slot slot, enum pointer_kind kind)
{
    if (kind == P_GUARD) return -1;
    /* sendto and WSASendTo without an address: what an unconnected socket
     * answers then (WSAENOTCONN, or WSAEFAULT) is not pinned. */
    if (slot == S_ADDR && kind == P_NULL && entry <= E_WSASENDTO) return -1;
    if (kind == P_READONLY) return (output_slots & (1u << slot)) ? WSAEFAULT : 0;
    /* No OVERLAPPED at all is a plain blocking call. */
    if (slot == S_OVERLAPPED && kind == P_NULL) return 0;
    /* Control data ws2send cannot read is left out and the data sent, as
     * Wine's builtin does: only documentation says Windows refuses
     * (conformance/EVIDENCE.md); either answer is accepted here. */
    if (slot == S_CONTROL) return -1;
    return WSAEFAULT;
}

static void single_faults(void)
{
    struct call call;

    for (enum entry entry = 0; entry < E_COUNT; entry++)
    {
        for (enum slot slot = 0; slot < S_COUNT; slot++)
        {
            if (!(entry_slots[entry] & (1u << slot))) continue;
            for (enum pointer_kind kind = P_NULL; kind < P_COUNT; kind++)
            {
                for (int overlapped = 0; overlapped < 2; overlapped++)
                {
                    valid_call(&call, entry);
                    call.pointers[slot] = kind;
                    call.overlapped = overlapped;
                    if (slot == S_CONTROL) call.control_shape = 1, call.control_len = WSA_CMSG_SPACE(sizeof(int));
                    if (overlapped && !(entry_slots[entry] & (1u << S_OVERLAPPED))) continue;
                    /* A NULL byte count is fine for an overlapped call. */
                    if (slot == S_SENT && kind == P_NULL && overlapped)
                        run_call(&call, 0);
                    else
                        run_call(&call, expected_for_pointer(entry, slot, kind));
                }
            }
        }
        for (enum handle_kind handle = H_CLOSED; handle < H_COUNT; handle++)
        {
            valid_call(&call, entry);
            call.handle = handle;
            run_call(&call, WSAENOTSOCK);
        }
    }
}

/* Counts, lengths and sizes no caller means, and malformed control data:
 * any Windows answer, but an answer. */
static void absurd_values(void)
{
    static const int lens[] = { -1, -16, INT_MAX, INT_MIN, 0x10000000, 4097 };
    static const DWORD counts[] = { 0, 2, 1024, 1025, 0x10000, 0x7fffffff, 0xffffffff };
    static const int addr_lens[] = { 0, 1, 15, 17, 28, -1, INT_MAX, INT_MIN };
    static const ULONG control_lens[] = { 1, 15, 4096, 0x7fffffff, 0xffffffff };
    static const DWORD sizes[] = { 0, 1, 15, 0x7fffffff, 0xffffffff };
    static const DWORD flags[] = { MSG_OOB, MSG_PARTIAL, MSG_DONTROUTE, 0x8, 0x40000000, 0xffffffff };
    struct call call;

    for (enum entry entry = 0; entry < E_LOOKUP; entry++)
    {
        for (size_t i = 0; i < ARRAY_SIZE(lens); i++)
        {
            valid_call(&call, entry);
            call.len = lens[i];
            call.absurd = ", absurd length";
            run_call(&call, -1);
        }
        for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
        {
            valid_call(&call, entry);
            call.flags = flags[i];
            run_call(&call, -1);
        }
        if (entry == E_SEND) continue;
        for (size_t i = 0; i < ARRAY_SIZE(addr_lens); i++)
        {
            valid_call(&call, entry);
            call.addr_len = addr_lens[i];
            run_call(&call, -1);
        }
        if (entry == E_SENDTO) continue;
        for (size_t i = 0; i < ARRAY_SIZE(counts); i++)
        {
            valid_call(&call, entry);
            call.count = counts[i];
            run_call(&call, -1);
        }
        if (entry < E_WSASENDMSG) continue;
        for (int shape = 1; shape <= 7; shape++)
        {
            valid_call(&call, entry);
            call.control_shape = shape;
            call.control_len = build_control((BYTE[64]){0}, shape);
            call.absurd = ", malformed control data";
            run_call(&call, -1);
            for (size_t i = 0; i < ARRAY_SIZE(control_lens); i++)
            {
                call.control_len = control_lens[i];
                run_call(&call, -1);
            }
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
    {
        valid_call(&call, E_LOOKUP);
        call.in_size = sizes[i];
        run_call(&call, sizes[i] < sizeof(GUID) ? WSAEFAULT : -1);
        valid_call(&call, E_LOOKUP);
        call.out_size = sizes[i];
        run_call(&call, sizes[i] < sizeof(void *) ? WSAEFAULT : -1);
    }
}

static void random_calls(UINT32 count)
{
    static const int lens[] = { 0, 1, 16, 64, -1, INT_MAX, 4096 };
    static const DWORD counts[] = { 0, 1, 2, 1025, 0xffffffff };
    static const int addr_lens[] = { 16, 28, 0, -1, 1, INT_MAX };
    struct call call;

    for (UINT32 i = 0; i < count; i++)
    {
        enum entry entry = rng_below(&sweep.rng, E_COUNT);

        valid_call(&call, entry);
        call.handle = rng_below(&sweep.rng, 4) ? H_VALID : rng_below(&sweep.rng, H_COUNT);
        for (int slot = 0; slot < S_COUNT; slot++)
            if (!rng_below(&sweep.rng, 4)) call.pointers[slot] = rng_below(&sweep.rng, P_COUNT);
        call.overlapped = rng_below(&sweep.rng, 3) == 0;
        call.routine = call.overlapped && rng_below(&sweep.rng, 2);
        if (!rng_below(&sweep.rng, 4)) call.len = lens[rng_below(&sweep.rng, ARRAY_SIZE(lens))];
        if (!rng_below(&sweep.rng, 4)) call.count = counts[rng_below(&sweep.rng, ARRAY_SIZE(counts))];
        if (!rng_below(&sweep.rng, 4)) call.addr_len = addr_lens[rng_below(&sweep.rng, ARRAY_SIZE(addr_lens))];
        if (!rng_below(&sweep.rng, 8)) call.flags = rng_next(&sweep.rng) & 0x8037;
        if (!rng_below(&sweep.rng, 3))
        {
            call.control_shape = 1 + rng_below(&sweep.rng, 7);
            call.control_len = rng_below(&sweep.rng, 4) ? build_control((BYTE[64]){0}, call.control_shape)
                                                        : rng_next(&sweep.rng);
        }
        if (!rng_below(&sweep.rng, 4)) call.in_size = rng_below(&sweep.rng, 32);
        if (!rng_below(&sweep.rng, 4)) call.out_size = rng_below(&sweep.rng, 16);
        run_call(&call, -1);
    }
}

START_TEST(badinput)
{
    UINT32 random_count = stress_option("--calls", stress_quick() ? 1000 : 20000);
    GUID guid = WSAID_WSASENDMSG;
    char codes[512] = "";
    WSADATA data;
    DWORD size;
    int len = 0;

    WSAStartup(MAKEWORD(2, 2), &data);
    rng_seed(&sweep.rng, stress_option("--seed", 12));
    sweep.from = stress_option("--from", 0);
    sweep.verbose = stress_option("--verbose", 0) != 0;
    setup_memory();
    sweep.receiver = udp_bound(&sweep.receiver_addr);
    sweep.udp = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    sweep.udp_connected = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    connect(sweep.udp_connected, (struct sockaddr *)&sweep.receiver_addr, sizeof(sweep.receiver_addr));
    tcp_pair(&sweep.tcp, &sweep.tcp_peer, WSA_FLAG_OVERLAPPED);
    sweep.event = CreateEventW(NULL, TRUE, FALSE, NULL);
    sweep.file = CreateFileA("NUL", GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    WSAIoctl(sweep.udp, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &sweep.pWSASendMsg,
             sizeof(sweep.pWSASendMsg), &size, NULL, NULL);
    ok(sweep.pWSASendMsg != NULL, "no WSASendMsg pointer\n");
    sweep.drainer = CreateThread(NULL, 0, drain_tcp, NULL, 0, NULL);
    if (sweep.verbose)
        printf("badinput: sockets: udp %p, connected udp %p, tcp %p (peer %p), receiver %p\n", (void *)sweep.udp,
               (void *)sweep.udp_connected, (void *)sweep.tcp, (void *)sweep.tcp_peer, (void *)sweep.receiver);
    previous_filter = SetUnhandledExceptionFilter(crash_filter);
    ok(sockets_usable(), "the sockets do not send before the sweep\n");

    single_faults();
    absurd_values();
    random_calls(random_count);

    ok(sockets_usable(), "the sockets do not send after the sweep\n");
    sweep.stop = 1;
    join_thread(sweep.drainer, 5000);
    for (int i = 0; i < (int)ARRAY_SIZE(sweep.codes) && sweep.codes[i] && len < (int)sizeof(codes) - 8; i++)
        len += snprintf(codes + len, sizeof(codes) - len, "%s%u", i ? "," : "", sweep.codes[i]);
    figure("badinput calls=%llu (from %u) succeeded=%llu failed=%llu crashes=0 wrong_code=%llu not_windows_code=%llu "
           "unusable_after=%llu overlapped_waits=%llu stuck=%llu reused_handles=%llu", sweep.executed, sweep.from,
           sweep.succeeded, sweep.executed - sweep.succeeded, sweep.wrong_code, sweep.not_windows_code, sweep.unusable,
           sweep.pending_waits, sweep.stuck, sweep.reused);
    figure("badinput error codes seen: %s", codes);
    ok(!sweep.stuck, "%llu overlapped calls never completed\n", sweep.stuck);
    ok(sweep.executed >= 1000 || sweep.from, "only %llu calls\n", sweep.executed);
    closesocket(sweep.udp);
    closesocket(sweep.udp_connected);
    closesocket(sweep.tcp);
    closesocket(sweep.tcp_peer);
    closesocket(sweep.receiver);
    CloseHandle(sweep.event);
    CloseHandle(sweep.file);
    WSACleanup();
}
