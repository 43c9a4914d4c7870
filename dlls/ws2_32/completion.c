/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Completing an overlapped send from user mode (see completion.h).
 *
 * What can be known, and at what cost (Wine 8.0, server/fd.c, async.c):
 * - the socket's completion modes: NtQueryInformationFile with
 *   FileIoCompletionNotificationInformation, answered by the server from
 *   the file's comp_flags (one call).  Modes can only be added, never
 *   cleared (Windows and Wine's set_fd_completion_mode both OR them in), so
 *   a mode once seen set stays set and is remembered; a mode not seen may
 *   be set later and is asked again, though not on every send.
 * - the socket's completion port and key: not at all.  Windows has no query
 *   for them and neither has Wine; NtSetIoCompletion needs both.
 *
 * And what Wine offers to complete an async from user mode: its
 * IOCTL_AFD_WINE_COMPLETE_ASYNC (what Wine's ws2_32 uses for ioctls it
 * answers itself) sets the event, queues the routine and posts the port
 * packet, but always with a count of 0 (ntdll/unix/socket.c,
 * complete_async), and a packet's count is what GetQueuedCompletionStatus
 * reports; it never signals the socket handle either.  So a send whose
 * success must post a packet (no FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, the
 * low bit of hEvent clear) or signal the handle (no
 * FILE_SKIP_SET_EVENT_ON_HANDLE and no event) cannot be completed exactly
 * here.  A completion routine is left to Wine too: Wine and Windows refuse
 * one on a socket bound to a port, which cannot be known.  Events alone
 * could be set with NtSetEvent, but a wild event handle must fail the send
 * before anything is sent, which costs the call that the event saves.
 */
#include <winternl.h>

#include "completion.h"

#define SKIP_COMPLETION_PORT_ON_SUCCESS 0x1     /* FILE_SKIP_COMPLETION_PORT_ON_SUCCESS */
#define SKIP_SET_EVENT_ON_HANDLE        0x2     /* FILE_SKIP_SET_EVENT_ON_HANDLE */
#define SILENT_MODES (SKIP_COMPLETION_PORT_ON_SUCCESS | SKIP_SET_EVENT_ON_HANDLE)

/* FILE_INFORMATION_CLASS FileIoCompletionNotificationInformation */
#define FILE_IO_COMPLETION_NOTIFICATION_CLASS ((FILE_INFORMATION_CLASS)41)

/* Overlapped sends of a socket without both modes between two questions:
 * programs set the modes once, right after creating the socket. */
#define RECHECK_INTERVAL 64

static LONG query_modes(SOCKET s)
{
    IO_STATUS_BLOCK io;
    ULONG flags = 0;

    if (NtQueryInformationFile((HANDLE)s, &io, &flags, sizeof(flags), FILE_IO_COMPLETION_NOTIFICATION_CLASS))
        return 0;
    return flags;
}

BOOL completion_may_be_silent(const struct send_request *request)
{
    return request->overlapped && !request->completion && !request->overlapped->hEvent;
}

BOOL completion_worth_trying(const struct send_request *request, struct socket_completion *known)
{
    if (!completion_may_be_silent(request) || !known) return FALSE;
    if ((known->modes & SILENT_MODES) == SILENT_MODES) return TRUE;
    /* Modes not seen set: asked again once every RECHECK_INTERVAL sends. */
    if (InterlockedDecrement(&known->countdown) >= 0) return FALSE;
    InterlockedExchange(&known->countdown, RECHECK_INTERVAL);
    return TRUE;
}

BOOL completion_is_silent(const struct send_request *request, struct socket_completion *known)
{
    LONG modes;

    if (!completion_may_be_silent(request) || !known) return FALSE;
    if ((known->modes & SILENT_MODES) == SILENT_MODES) return TRUE;
    modes = query_modes(request->socket);
    InterlockedOr(&known->modes, modes);
    return (modes & SILENT_MODES) == SILENT_MODES;
}

void completion_succeed(const struct send_request *request, ULONG_PTR bytes)
{
    IO_STATUS_BLOCK *iosb = (IO_STATUS_BLOCK *)request->overlapped;

    iosb->Information = bytes;
    iosb->Status = 0;   /* STATUS_SUCCESS */
    if (request->bytes_sent) *request->bytes_sent = bytes;
}
