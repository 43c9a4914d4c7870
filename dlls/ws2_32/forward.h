/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Forwarding of the exports ws2send does not implement.  The generated
 * thunks jump through forward_slots[]; forward_bind() fills the slots with
 * the host's functions, or with stubs that fail as the function documents
 * when the host lacks one.
 */
#ifndef WS2SEND_FORWARD_H
#define WS2SEND_FORWARD_H

#include <winsock2.h>

struct forward_export
{
    const char *name;
    void *missing;      /* stub used when the host lacks the export */
};

/* Generated from ws2_32.exports. */
extern const unsigned int forward_count;
extern const struct forward_export forward_exports[];
/* Defined by the generated thunks. */
extern void *forward_slots[];

void forward_bind(HMODULE host);
void *__cdecl forward_lazy_bind(unsigned int index);

INT_PTR forward_missing_sockerr(unsigned int index, int error);
INT_PTR forward_missing_null(unsigned int index, int error);
INT_PTR forward_missing_false(unsigned int index, int error);
INT_PTR forward_missing_allones(unsigned int index, int error);
INT_PTR forward_missing_return(unsigned int index, int error);
INT_PTR forward_missing_lasterrarg(unsigned int index, int *last_error, int error);
INT_PTR forward_missing_void(unsigned int index);

#endif /* WS2SEND_FORWARD_H */
