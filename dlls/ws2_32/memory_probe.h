/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Memory checks for caller pointers, shared by the API layer and the
 * providers: a wild pointer gets WSAEFAULT, never a crash, and a guard page
 * is found usable (its guard taken off), as Windows' probes find it.  A zero
 * length is always fine.
 */
#ifndef WS2SEND_MEMORY_PROBE_H
#define WS2SEND_MEMORY_PROBE_H

#include <windows.h>

BOOL memory_readable(const void *ptr, SIZE_T len);
BOOL memory_writable(void *ptr, SIZE_T len);
/* From DllMain: what the checks need (a guard-page handler). */
void memory_probe_attach(void);
void memory_probe_detach(void);

#endif /* WS2SEND_MEMORY_PROBE_H */
