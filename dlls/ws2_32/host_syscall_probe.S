/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * long host_syscall_probe(void): system call 0xffff, unused by Linux.  The
 * kernel answers -ENOSYS.  Under Proton's seccomp filter or syscall user
 * dispatch the call is trapped instead and Wine's handler returns its own
 * status, resuming a few bytes after the instruction: the run of ret
 * instructions makes every such resume point return cleanly.
 */

#if defined(__x86_64__)
    .text
    .globl host_syscall_probe
    .def host_syscall_probe; .scl 2; .type 32; .endef
    .p2align 4
host_syscall_probe:
    movl $0xffff, %eax
    syscall
    .rept 32
    ret
    .endr
#elif defined(__i386__)
    .text
    .globl _host_syscall_probe
    .def _host_syscall_probe; .scl 2; .type 32; .endef
    .p2align 4
_host_syscall_probe:
    movl $0xffff, %eax
    int $0x80
    .rept 32
    ret
    .endr
#endif
