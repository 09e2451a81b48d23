package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Native;

/** The process-level facts and settings the link needs from the operating system. */
public final class Os {
    private Os() {
    }

    public static int euid() {
        return LibC.geteuid();
    }

    public static int pid() {
        return LibC.getpid();
    }

    /** The calling thread's kernel thread id (what the BPF side sees as a task's pid). */
    public static int tid() {
        return LibC.gettid();
    }

    /**
     * Locks the process's memory, now and for what it maps later, so that the scheduling thread
     * never waits for a page to be read back.
     *
     * @return null on success, else why it failed
     */
    public static String lockMemory() {
        if (LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE) == 0) {
            return null;
        }
        return LibC.strerror(Native.getLastError());
    }
}
