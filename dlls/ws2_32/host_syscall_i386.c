/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * i386: the kernel's fast system call entry.  Under Wine's 32-bit Unix side
 * PE code runs with glibc's %gs, whose thread block holds at 0x10 the
 * address of __kernel_vsyscall (the "sysinfo" word glibc itself calls
 * through).  It is used only if %gs is a readable segment reaching that far
 * and a probe through the candidate returns -ENOSYS; a fault on the first
 * instruction of the candidate is caught and turns it down.
 */
#include <windows.h>

#include "host_syscall.h"
#include "log.h"

#ifdef __i386__

void *host_vsyscall;

static void *gs_sysinfo(void)
{
    unsigned int selector, limit, ok;
    void *value;

    __asm__ volatile ("movl %%gs, %0" : "=r"(selector));
    if (!(selector & ~3u)) return NULL;
    __asm__ volatile ("verr %w1; setz %b0" : "=q"(ok) : "r"(selector) : "cc");
    if (!(ok & 0xff)) return NULL;
    __asm__ volatile ("lsl %2, %0; setz %b1" : "=r"(limit), "=q"(ok) : "r"(selector) : "cc");
    if (!(ok & 0xff) || limit < 0x13) return NULL;
    __asm__ volatile ("movl %%gs:0x10, %0" : "=r"(value));
    return value;
}

static void *volatile probing_entry;

/* A fault at the very first instruction of the candidate (not code at
 * all): return to the caller with a value no kernel gives. */
static LONG CALLBACK probe_fault(EXCEPTION_POINTERS *info)
{
    CONTEXT *context = info->ContextRecord;

    if (!probing_entry || (void *)context->Eip != probing_entry) return EXCEPTION_CONTINUE_SEARCH;
    context->Eip = *(DWORD *)context->Esp;
    context->Esp += 4;
    context->Eax = 0x5a5a5a5a;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static intptr_t probe_entry(void *entry)
{
    intptr_t ret;

    __asm__ volatile ("call *%[entry]"
                      : "=a"(ret)
                      : "a"(0xffff), [entry] "r"(entry)
                      : "memory", "ecx", "edx");
    return ret;
}

void host_syscall_init(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    BOOL pending;
    void *entry, *handler;
    intptr_t ret = 0;

    if (!InitOnceBeginInitialize(&once, 0, &pending, NULL) || !pending) return;
    if ((entry = gs_sysinfo()) && (handler = AddVectoredExceptionHandler(1, probe_fault)))
    {
        probing_entry = entry;
        ret = probe_entry(entry);
        probing_entry = NULL;
        RemoveVectoredExceptionHandler(handler);
        if (ret == -LINUX_ENOSYS) host_vsyscall = entry;
    }
    INFO("32-bit system calls through %s", host_vsyscall ? "the kernel's vsyscall entry" : "int $0x80");
    InitOnceComplete(&once, 0, NULL);
}

#else

void host_syscall_init(void)
{
}

#endif
