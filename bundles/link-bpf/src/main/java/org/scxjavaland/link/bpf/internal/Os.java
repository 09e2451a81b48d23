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
     * never waits for a page to be read back. Pages are locked as they are touched (MCL_ONFAULT):
     * locking every mapping at once would first read all of it in, the JDK's 130 MB module image
     * included, which under emulation held the first round up for seconds. What the scheduling
     * path uses is resident by then anyway (a pre-touched heap, code it has run).
     *
     * @return null on success, else why it failed
     */
    public static String lockMemory() {
        if (LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE | LibC.MCL_ONFAULT) == 0) {
            return null;
        }
        // A kernel older than 4.4 refuses the flag: lock everything up front instead.
        if (LibC.mlockall(LibC.MCL_CURRENT | LibC.MCL_FUTURE) == 0) {
            return null;
        }
        return LibC.strerror(Native.getLastError());
    }
}
