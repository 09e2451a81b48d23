package org.scxjavaland.link;

import org.osgi.annotation.versioning.ConsumerType;

/** Takes the task events a {@link TaskEventSource} drains, one call each. */
@ConsumerType
@FunctionalInterface
public interface TaskEventSink {
    /**
     * One state change of one task.
     *
     * @param kind one of {@link TaskEventRecord}'s {@code KIND_*}
     * @param ts when, on the kernel side's clock (ns; the queued records' clock)
     * @param comm the task's name, NUL-padded to 16 bytes; valid during the call only
     */
    void event(int kind, long ts, int pid, int tgid, int cpu, long weight, int nrCpusAllowed, byte[] comm);
}
