package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * In partial mode the scheduling thread is not one of the tasks the BPF side schedules, so it
 * cannot be held back there: it sleeps in epoll on the queued ring's fd (readable when records
 * are waiting) and on an eventfd that {@link #wakeup()} writes.
 */
final class PartialWait implements AutoCloseable {
    private static final int EVENT_SIZE = 12;
    private static final int WAIT_MS = 100;

    private final int epoll;
    private final int eventFd;
    private final Memory events = new Memory(2L * EVENT_SIZE);
    private final Memory counter = new Memory(8);
    private final Memory wake = new Memory(8);

    PartialWait(int ringFd) {
        epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        eventFd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (epoll < 0 || eventFd < 0) {
            throw new IllegalStateException("creating the partial mode's epoll set failed");
        }
        add(ringFd);
        add(eventFd);
        wake.setLong(0, 1);
    }

    private void add(int fd) {
        Memory event = new Memory(EVENT_SIZE);
        event.setInt(0, LibC.EPOLLIN);
        event.setLong(4, fd);
        if (LibC.epoll_ctl(epoll, LibC.EPOLL_CTL_ADD, fd, Pointer.nativeValue(event)) != 0) {
            throw new IllegalStateException("adding fd " + fd + " to the partial mode's epoll set failed");
        }
    }

    /** Sleeps until records are queued, {@link #wakeup()} is called, or 100 ms passed. */
    void await() {
        if (LibC.epoll_wait(epoll, Pointer.nativeValue(events), 2, WAIT_MS) > 0) {
            LibC.read(eventFd, Pointer.nativeValue(counter), 8);
        }
    }

    void wakeup() {
        LibC.write(eventFd, Pointer.nativeValue(wake), 8);
    }

    @Override
    public void close() {
        LibC.close(eventFd);
        LibC.close(epoll);
    }
}
