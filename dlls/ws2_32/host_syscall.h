/* SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Raw Linux system calls from PE code, for the host fast path.  Only used
 * after the probe (host_syscall_probe) showed that a system call from this
 * thread reaches the kernel rather than a Wine or Proton trap.  Return values
 * are the kernel's: >= 0, or -errno.  (intptr_t, not long: long is
 * 32 bits in the Windows x86_64 ABI.)
 */
#ifndef WS2SEND_HOST_SYSCALL_H
#define WS2SEND_HOST_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#define LINUX_EINTR         4
#define LINUX_EAGAIN        11
#define LINUX_EFAULT        14
#define LINUX_ENOSYS        38
#define LINUX_POLLIN        0x0001
#define LINUX_POLLOUT       0x0004
#define LINUX_SHUT_WR       1
#define LINUX_EFD_CLOEXEC   02000000
#define LINUX_EFD_NONBLOCK  04000
#define LINUX_SOL_SOCKET    1
#define LINUX_SO_TYPE       3
#define LINUX_SO_ACCEPTCONN 30
#define LINUX_SO_PROTOCOL   38
#define LINUX_SO_DOMAIN     39
#define LINUX_SO_MEMINFO    55      /* since Linux 4.6 */
#define LINUX_SO_COOKIE     57      /* since Linux 4.12 */
#define LINUX_TCP_INFO      11
/* struct tcp_info's tcpi_bytes_acked (since Linux 4.1): a u64 at this offset. */
#define LINUX_TCPI_BYTES_ACKED_OFFSET 120
#define LINUX_SIOCOUTQ      0x5411  /* TIOCOUTQ: for TCP, bytes written but not yet acknowledged */
/* SO_MEMINFO's array: bytes queued for sending, and the send buffer's size. */
#define LINUX_SK_MEMINFO_SNDBUF      3
#define LINUX_SK_MEMINFO_WMEM_QUEUED 5
#define LINUX_SK_MEMINFO_VARS        9
#define LINUX_SOCK_STREAM   1
#define LINUX_SOCK_DGRAM    2
#define LINUX_IPPROTO_TCP   6
#define LINUX_IPPROTO_UDP   17

/* Linux' struct iovec and struct msghdr in this build's word size (the
 * i386 build issues the 32-bit system call, the x86_64 build the 64-bit one). */
struct linux_iovec
{
    void *base;
    size_t len;
};

struct linux_pollfd
{
    int fd;
    short events;
    short revents;
};

struct linux_msghdr
{
    void *name;
    unsigned int namelen;
    struct linux_iovec *iov;
    size_t iovlen;
    void *control;
    size_t controllen;
    int flags;
};

#if defined(__x86_64__)

#define LINUX_NR_READ       0
#define LINUX_NR_WRITE      1
#define LINUX_NR_CLOSE      3
#define LINUX_NR_POLL       7
#define LINUX_NR_IOCTL      16
#define LINUX_NR_SENDMSG    46
#define LINUX_NR_SHUTDOWN   48
#define LINUX_NR_GETSOCKOPT 55
#define LINUX_NR_EVENTFD2   290

static inline intptr_t linux_syscall5(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3,
                                      intptr_t a4, intptr_t a5)
{
    register intptr_t r10 __asm__("r10") = a4;
    register intptr_t r8 __asm__("r8") = a5;
    intptr_t ret;

    __asm__ volatile ("syscall"
                      : "=a"(ret)
                      : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
                      : "rcx", "r11", "memory");
    return ret;
}

#elif defined(__i386__)

#define LINUX_NR_READ       3
#define LINUX_NR_WRITE      4
#define LINUX_NR_CLOSE      6
#define LINUX_NR_IOCTL      54
#define LINUX_NR_POLL       168
#define LINUX_NR_EVENTFD2   328
#define LINUX_NR_GETSOCKOPT 365
#define LINUX_NR_SENDMSG    370
#define LINUX_NR_SHUTDOWN   373

/* The kernel's fast 32-bit entry (__kernel_vsyscall, sysenter), when
 * host_syscall_init found it; int $0x80 otherwise.  Measured under Wine 8 on
 * this project's machines: int $0x80 from PE code ~4.3 us, the vsyscall
 * entry ~0.13 us. */
extern void *host_vsyscall;

static inline intptr_t linux_syscall5(intptr_t nr, intptr_t a1, intptr_t a2, intptr_t a3,
                                      intptr_t a4, intptr_t a5)
{
    intptr_t ret;

    if (host_vsyscall)
        __asm__ volatile ("call *%[entry]"
                          : "=a"(ret)
                          : "a"(nr), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5),
                            [entry] "m"(host_vsyscall)
                          : "memory");
    else
        __asm__ volatile ("int $0x80"
                          : "=a"(ret)
                          : "a"(nr), "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
                          : "memory");
    return ret;
}

#endif

static inline intptr_t linux_close(int fd)
{
    return linux_syscall5(LINUX_NR_CLOSE, fd, 0, 0, 0, 0);
}

static inline intptr_t linux_sendmsg(int fd, const struct linux_msghdr *msg, int flags)
{
    return linux_syscall5(LINUX_NR_SENDMSG, fd, (intptr_t)msg, flags, 0, 0);
}

static inline intptr_t linux_read(int fd, void *buf, size_t len)
{
    return linux_syscall5(LINUX_NR_READ, fd, (intptr_t)buf, len, 0, 0);
}

static inline intptr_t linux_write(int fd, const void *buf, size_t len)
{
    return linux_syscall5(LINUX_NR_WRITE, fd, (intptr_t)buf, len, 0, 0);
}

static inline intptr_t linux_poll(struct linux_pollfd *fds, unsigned int count, int timeout_ms)
{
    return linux_syscall5(LINUX_NR_POLL, (intptr_t)fds, count, timeout_ms, 0, 0);
}

static inline intptr_t linux_shutdown(int fd, int how)
{
    return linux_syscall5(LINUX_NR_SHUTDOWN, fd, how, 0, 0, 0);
}

static inline intptr_t linux_eventfd(unsigned int initval, int flags)
{
    return linux_syscall5(LINUX_NR_EVENTFD2, initval, flags, 0, 0, 0);
}

static inline intptr_t linux_ioctl(int fd, unsigned int request, void *arg)
{
    return linux_syscall5(LINUX_NR_IOCTL, fd, request, (intptr_t)arg, 0, 0);
}

static inline intptr_t linux_getsockopt(int fd, int level, int name, void *value, unsigned int *len)
{
    return linux_syscall5(LINUX_NR_GETSOCKOPT, fd, level, name, (intptr_t)value, (intptr_t)len);
}

/* host_syscall_probe.S: issues system call 0xffff, which Linux does not
 * have; returns -ENOSYS when the call reached the kernel. */
intptr_t host_syscall_probe(void);

/* i386: looks for the kernel's fast system call entry once per process
 * (after the probe passed); a no-op elsewhere. */
void host_syscall_init(void);

#endif /* WS2SEND_HOST_SYSCALL_H */
