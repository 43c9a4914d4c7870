/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fitting a send's buffers within the host's iovec limit (send_gather.c).
 */
#ifndef WS2SEND_SEND_GATHER_H
#define WS2SEND_SEND_GATHER_H

#include "provider.h"

struct send_gather
{
    WSABUF *buffers;    /* the fitted array */
    DWORD count;
    char *copy;         /* the copied tail, or NULL */
};

/* TRUE when the request has more buffers than one host sendmsg takes. */
BOOL gather_needed(const struct send_request *request);
/* Builds an array of at most the host's limit that sends the same bytes in
 * the same order; 0 or WSAENOBUFS. */
int gather_fit(const WSABUF *in, DWORD count, struct send_gather *gather);
/* Releases it after the send; pending: the send is an overlapped one Wine
 * still holds, so the copy lives until Wine is done with it. */
void gather_done(struct send_gather *gather, const struct send_request *request, BOOL pending);
void gather_free(struct send_gather *gather);

#endif /* WS2SEND_SEND_GATHER_H */
