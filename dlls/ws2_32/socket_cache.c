/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * An open-addressing table of socket states, keyed by handle value.  Handle
 * values are small and reused, so the table stays as large as the most
 * sockets alive at once; when it is full, new sockets simply do not get the
 * fast path.  Entries are never removed, which is what keeps a taint from
 * being forgotten.
 */
#include "host_syscall.h"
#include "memory_probe.h"
#include "socket_cache.h"

#define CACHE_SIZE 4096     /* power of two */
/* Overlapped sends one socket may have pending in Wine's driver before the
 * fast path leaves it for good; IOCP programs keep one or two per socket. */
#define WINE_PENDING_MAX 8
/* OVERLAPPED.Internal of a request still in progress. */
#define STATUS_PENDING_VALUE 0x103

struct cache_entry
{
    SOCKET handle;          /* 0: free; set once, never cleared */
    SRWLOCK lock;
    struct socket_state state;
    /* Overlapped sends Wine's driver held when they returned; a slot is
     * cleared, with an interlocked exchange, once its request is seen done. */
    WSAOVERLAPPED *wine_pending[WINE_PENDING_MAX];
};

static struct cache_entry cache[CACHE_SIZE];
static SRWLOCK table_lock = SRWLOCK_INIT;

/* Windows handles are multiples of 4. */
static unsigned int slot_of(SOCKET s)
{
    return ((ULONG_PTR)s >> 2) & (CACHE_SIZE - 1);
}

/* The entry of s, claimed if new; NULL when the table is full.  Handles are
 * only ever added, so a lookup that finds its handle needs no lock beyond
 * an acquire read of a pointer-sized, once-written field (a plain load on
 * x86, where the locked compare-exchange it replaces cost a bus lock per
 * lookup, two or three per send). */
static struct cache_entry *entry_of(SOCKET s)
{
    unsigned int slot = slot_of(s), i;
    struct cache_entry *entry = NULL;

    for (i = 0; i < CACHE_SIZE; i++)
    {
        entry = &cache[(slot + i) & (CACHE_SIZE - 1)];
        SOCKET handle = __atomic_load_n(&entry->handle, __ATOMIC_ACQUIRE);

        if (handle == s) return entry;
        if (!handle) break;
    }
    if (i == CACHE_SIZE) return NULL;

    AcquireSRWLockExclusive(&table_lock);
    for (; i < CACHE_SIZE; i++)
    {
        entry = &cache[(slot + i) & (CACHE_SIZE - 1)];
        if (entry->handle == s) break;
        if (!entry->handle)
        {
            InitializeSRWLock(&entry->lock);
            memset(&entry->state, 0, sizeof(entry->state));
            InterlockedExchangePointer((void **)&entry->handle, (void *)s);
            break;
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
    return i < CACHE_SIZE ? entry : NULL;
}

SRWLOCK *socket_cache_lock(SOCKET s)
{
    struct cache_entry *entry = entry_of(s);

    return entry ? &entry->lock : NULL;
}

BOOL socket_cache_get(SOCKET s, UINT64 cookie, struct socket_state *state)
{
    struct cache_entry *entry = entry_of(s);

    if (!entry) return FALSE;
    *state = entry->state;
    /* A taint recorded before the fast path saw the socket (cookie 0) is
     * kept: at worst a new socket on a reused handle goes the slow way. */
    return entry->state.cookie == cookie || (!entry->state.cookie && entry->state.tainted);
}

void socket_cache_put(SOCKET s, const struct socket_state *state)
{
    struct cache_entry *entry = entry_of(s);

    if (entry) entry->state = *state;
}

void socket_cache_taint(SOCKET s, UINT64 cookie, BOOL locked)
{
    struct cache_entry *entry = entry_of(s);

    if (!entry) return;
    if (!locked) AcquireSRWLockExclusive(&entry->lock);
    /* Another socket on this handle value: its state no longer applies. */
    if (cookie && entry->state.cookie != cookie)
    {
        memset(&entry->state, 0, sizeof(entry->state));
        entry->state.cookie = cookie;
    }
    entry->state.tainted = TRUE;
    if (!locked) ReleaseSRWLockExclusive(&entry->lock);
}

struct socket_completion *socket_cache_completion(SOCKET s)
{
    struct cache_entry *entry = entry_of(s);

    return entry ? &entry->state.completion : NULL;
}

BOOL socket_cache_is_stream(SOCKET s)
{
    struct cache_entry *entry = entry_of(s);

    return entry && entry->state.type == LINUX_SOCK_STREAM;
}


void socket_cache_forget(SOCKET s)
{
    struct cache_entry *entry = entry_of(s);

    /* A send of this socket may be waiting under the lock (a blocking one,
     * which this close is to end): then the cookie check does the work. */
    if (!entry || !TryAcquireSRWLockExclusive(&entry->lock)) return;
    memset(&entry->state, 0, sizeof(entry->state));
    ReleaseSRWLockExclusive(&entry->lock);
}

BOOL socket_cache_is_tainted(SOCKET s)
{
    struct cache_entry *entry = entry_of(s);

    return entry && entry->state.tainted;
}

BOOL socket_cache_note_wine_pending(SOCKET s, WSAOVERLAPPED *overlapped)
{
    struct cache_entry *entry = entry_of(s);

    if (!entry) return FALSE;
    for (unsigned int i = 0; i < WINE_PENDING_MAX; i++)
        if (!InterlockedCompareExchangePointer((void **)&entry->wine_pending[i], overlapped, NULL))
            return TRUE;
    return FALSE;
}

/* A request is done once Wine has written its final status: its data is in
 * the host socket by then (Wine writes before it reports).  The OVERLAPPED
 * belongs to the program, which may reuse or free it after the completion:
 * a reused one reads as pending only while it serves another request in
 * progress (the socket then waits a little longer for its fast path), and a
 * freed one is read only if it is still readable. */
static BOOL request_done(const WSAOVERLAPPED *overlapped)
{
    if (!memory_readable(overlapped, sizeof(overlapped->Internal))) return TRUE;
    return *(volatile ULONG_PTR *)&overlapped->Internal != STATUS_PENDING_VALUE;
}

BOOL socket_cache_wine_busy(SOCKET s)
{
    struct cache_entry *entry = entry_of(s);
    BOOL busy = FALSE;

    if (!entry) return TRUE;
    for (unsigned int i = 0; i < WINE_PENDING_MAX; i++)
    {
        WSAOVERLAPPED *overlapped = __atomic_load_n(&entry->wine_pending[i], __ATOMIC_ACQUIRE);

        if (!overlapped) continue;
        if (request_done(overlapped))
            InterlockedCompareExchangePointer((void **)&entry->wine_pending[i], NULL, overlapped);
        else
            busy = TRUE;
    }
    return busy;
}
