package org.scxjavaland.link;

import org.osgi.annotation.versioning.ConsumerType;

/** Takes the task events a {@link TaskEventSource} drains, one call each. */
@ConsumerType
@FunctionalInterface
public interface TaskEventSink {
    /** It woke up (ops.runnable with SCX_ENQ_WAKEUP). */
    int KIND_WAKE = 1;
    /** It became runnable without waking: a new task, or a property change. */
    int KIND_RUNNABLE = 2;
    /** It started running (ops.running). */
    int KIND_RUNNING = 3;
    /** It stopped and is still runnable (ops.stopping, runnable). */
    int KIND_PREEMPTED = 4;
    /** It stopped and is not runnable (ops.stopping, not runnable). */
    int KIND_SLEEP = 5;

    /**
     * One state change of one task.
     *
     * @param kind one of the {@code KIND_*} above
     * @param ts when, on the kernel side's clock (ns; the queued records' clock)
     * @param comm the task's name, NUL-padded to 16 bytes; valid during the call only
     */
    void event(int kind, long ts, int pid, int tgid, int cpu, long weight, int nrCpusAllowed, byte[] comm);
}
