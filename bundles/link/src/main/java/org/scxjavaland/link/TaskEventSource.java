package org.scxjavaland.link;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every task's state changes (woke, runnable, running, stopped) as a kernel side reports them
 * while it records: see {@link KernelLink#recordTaskEvents()}. One thread drains it, never the
 * scheduling thread; the kernel side keeps the events in a bounded buffer meanwhile, and counts
 * those it had to drop when it was full.
 */
@ProviderType
public interface TaskEventSource extends AutoCloseable {

    /**
     * Hands the events waiting to {@code sink}, oldest first, at most {@code max}.
     *
     * @return how many were handed; 0 when none waits, or once the kernel side stopped
     */
    int drain(TaskEventSink sink, int max);

    /** Events lost so far because the kernel side's buffer was full. */
    long dropped();

    /** Stops recording: the kernel side writes no more events. Closing twice does nothing. */
    @Override
    void close();
}
