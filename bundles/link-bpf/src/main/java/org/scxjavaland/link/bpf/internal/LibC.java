package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls the link needs, bound with JNA's direct mapping: primitive arguments only
 * (pointers as {@code long} addresses), so a call allocates nothing. {@code errno} of the last
 * call is {@link Native#getLastError()}.
 */
final class LibC {
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final long MAP_FAILED = -1L;

    static final int MCL_CURRENT = 1;
    static final int MCL_FUTURE = 2;
    /** Lock pages as they are first touched instead of reading in every mapping at once (Linux 4.4). */
    static final int MCL_ONFAULT = 4;

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 1;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;

    static final int SC_PAGESIZE = 30;

    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long addr, long length);

    static native int mlockall(int flags);

    static native int sched_yield();

    static native int getpid();

    static native int gettid();

    static native int geteuid();

    static native long sysconf(int name);

    static native int epoll_create1(int flags);

    /** {@code event} points to a packed struct epoll_event {u32 events; u64 data} (12 bytes). */
    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMs);

    static native int eventfd(int initval, int flags);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native int close(int fd);

    /** Formats a va_list (as libbpf's print callback receives it) into {@code buf}. */
    static native int vsnprintf(long buf, long size, long format, long vaList);

    static native String strerror(int errnum);
}
