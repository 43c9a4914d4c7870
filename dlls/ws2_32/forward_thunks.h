/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Assembler macros for the generated forwarding thunks.  Each forwarded
 * export is a single indirect jump through its slot in forward_slots[].  A
 * slot starts out pointing at the export's lazy entry, which loads the
 * export's index and enters forward_lazy (forward_lazy.S): that binds the
 * host once and continues into whatever the slot now holds.
 */
#ifndef WS2SEND_FORWARD_THUNKS_H
#define WS2SEND_FORWARD_THUNKS_H

#if defined(__x86_64__)

#define FORWARD_TEXT .text
#define FORWARD_THUNK(symbol, index) \
    .globl symbol; .def symbol; .scl 2; .type 32; .endef; .p2align 4; \
    symbol: jmp *(forward_slots + 8 * index)(%rip); \
    forward_lazy_##index: movl $index, %eax; jmp forward_lazy
#define FORWARD_DATA .data; .p2align 3; .globl forward_slots; forward_slots:
#define FORWARD_SLOT(index) .quad forward_lazy_##index

#elif defined(__i386__)

#define FORWARD_TEXT .text
#define FORWARD_THUNK(symbol, index) \
    .globl symbol; .def symbol; .scl 2; .type 32; .endef; .p2align 4; \
    symbol: jmp *(_forward_slots + 4 * index); \
    forward_lazy_##index: movl $index, %eax; jmp _forward_lazy
#define FORWARD_DATA .data; .p2align 2; .globl _forward_slots; _forward_slots:
#define FORWARD_SLOT(index) .long forward_lazy_##index

#else
#error "ws2send supports x86_64 and i386 only"
#endif

#endif /* WS2SEND_FORWARD_THUNKS_H */
