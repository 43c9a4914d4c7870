/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The first call of any forwarded export lands here with the export's index
 * in %eax and the caller's arguments untouched.  forward_lazy_bind() binds the
 * host once (thread-safe) and returns the export's final target; we restore
 * the argument registers and jump there, so the caller never notices.
 * %eax is not an argument register in either calling convention.
 */

#if defined(__x86_64__)

    .text
    .globl forward_lazy
    .def forward_lazy; .scl 2; .type 32; .endef
    .p2align 4
forward_lazy:
    /* Entered by jmp from a thunk: %rsp = 8 mod 16. */
    pushq %rcx
    pushq %rdx
    pushq %r8
    pushq %r9
    subq $0x28, %rsp            /* shadow space, realigns to 16 */
    movl %eax, %ecx
    call forward_lazy_bind
    addq $0x28, %rsp
    popq %r9
    popq %r8
    popq %rdx
    popq %rcx
    jmp *%rax

#elif defined(__i386__)

    .text
    .globl _forward_lazy
    .def _forward_lazy; .scl 2; .type 32; .endef
    .p2align 4
_forward_lazy:
    /* stdcall arguments stay on the stack; the cdecl call clobbers only
     * %eax, %ecx and %edx. */
    pushl %eax
    call _forward_lazy_bind
    addl $4, %esp
    jmp *%eax

#endif
