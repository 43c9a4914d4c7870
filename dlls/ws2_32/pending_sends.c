/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A small list of (socket, status block) under one lock.  Only sends through
 * Wine's driver are listed, which cost a server call anyway; the list stays
 * as long as the sends blocked at once plus the overlapped sends that pended
 * on sockets still open.  Wine matches a cancel by the socket and the status
 * block's address and never reads the block, so an entry whose send has long
 * completed is harmless: it can only meet a later request of the same socket
 * made with the same block, which closing the socket cancels on Windows too.
 */
#include "log.h"
#include "pending_sends.h"

#define MAX_LISTED 1024

struct pending_send
{
    SOCKET socket;              /* 0: a free slot */
    IO_STATUS_BLOCK *iosb;
    BOOL overlapped;
    ULONG age;                  /* when it was listed: the oldest overlapped entry goes first */
};

static struct pending_send listed[MAX_LISTED];
static unsigned int used;      /* entries past this one are all free */
static ULONG next_age;
static SRWLOCK lock = SRWLOCK_INIT;

static void free_entry(struct pending_send *entry)
{
    entry->socket = 0;
    while (used && !listed[used - 1].socket) used--;
}

void pending_send_begin(SOCKET s, IO_STATUS_BLOCK *iosb, BOOL overlapped)
{
    struct pending_send *slot = NULL, *oldest = NULL;
    static LONG warned;
    unsigned int i;

    AcquireSRWLockExclusive(&lock);
    for (i = 0; i < used; i++)
    {
        struct pending_send *entry = &listed[i];

        /* The same block again: the send it was listed for has ended. */
        if (entry->socket == s && entry->iosb == iosb)
        {
            slot = entry;
            break;
        }
        if (!entry->socket && !slot) slot = entry;
        if (entry->socket && entry->overlapped && (!oldest || (LONG)(entry->age - oldest->age) < 0))
            oldest = entry;
    }
    if (!slot && used < MAX_LISTED) slot = &listed[used++];
    if (!slot && (slot = oldest) && !InterlockedExchange(&warned, 1))
        WARN("more than %u sends pending in Wine's driver; closesocket no longer cancels the oldest",
             MAX_LISTED);
    if (slot)
    {
        slot->socket = s;
        slot->iosb = iosb;
        slot->overlapped = overlapped;
        slot->age = next_age++;
    }
    ReleaseSRWLockExclusive(&lock);
}

void pending_send_ended(SOCKET s, IO_STATUS_BLOCK *iosb)
{
    unsigned int i;

    AcquireSRWLockExclusive(&lock);
    for (i = 0; i < used; i++)
    {
        if (listed[i].socket == s && listed[i].iosb == iosb)
        {
            free_entry(&listed[i]);
            break;
        }
    }
    ReleaseSRWLockExclusive(&lock);
}

void pending_sends_cancel(SOCKET s)
{
    unsigned int i, cancelled = 0;

    AcquireSRWLockExclusive(&lock);
    for (i = used; i-- > 0;)
    {
        if (listed[i].socket != s) continue;
        if (CancelIoEx((HANDLE)s, (OVERLAPPED *)listed[i].iosb)) cancelled++;
        free_entry(&listed[i]);
    }
    ReleaseSRWLockExclusive(&lock);
    if (cancelled) TRACE("socket %#Ix: %u pending sends cancelled", (ULONG_PTR)s, cancelled);
}
