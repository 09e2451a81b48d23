package org.scxjavaland.link;

import org.osgi.annotation.versioning.ProviderType;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

/**
 * One kernel side the connector schedules: it queues runnable tasks to user space and runs the
 * tasks user space dispatches. Implemented by the BPF link and by the simulated machine, with the
 * same records and counters, so the connector and the policies cannot tell them apart.
 *
 * <p>A link is registered as an OSGi service with the property {@link #KIND} ({@code sim} or
 * {@code bpf}). {@link #dequeue}, {@link #dispatch}, {@link #selectCpu} and
 * {@link #notifyComplete} are called from the connector's scheduling thread only; they must not
 * allocate once warm. The other methods may be called from any thread.
 */
@ProviderType
public interface KernelLink {

    /** Service property naming the kind of link: {@code sim} or {@code bpf}. */
    String KIND = "scx.link.kind";

    /** {@code sim} or {@code bpf}. */
    String kind();

    /** Number of CPUs of the machine. */
    int nrCpus();

    /** The machine's clock, in ns (virtual time on the simulated machine). */
    long now();

    /**
     * Takes the next task the kernel side queued to user space.
     *
     * @param into filled with the task's record when there is one
     * @return false when no task is queued
     */
    boolean dequeue(QueuedTask into);

    /**
     * Hands a dispatch decision to the kernel side.
     *
     * @return false when it cannot be queued now (the dispatched ring is full)
     */
    boolean dispatch(DispatchedTask task);

    /** An idle CPU the task may run on, or a negative number when there is none. */
    int selectCpu(int pid, int prevCpu, long flags);

    /**
     * Ends one scheduling round: user space still holds {@code nrPending} tasks. The link may
     * block here until there is work (a real kernel runs the scheduling thread only when tasks
     * are queued or pending; the simulated machine advances its clock here).
     */
    void notifyComplete(long nrPending);

    /** Makes a {@link #notifyComplete} that is blocked, or the next one, return soon (any thread). */
    void wakeup();

    /** True once the kernel side has stopped (the scheduler was detached, ejected, or the simulation ended). */
    boolean exited();

    /** Why the kernel side stopped, in one line (the kernel's exit reason and message); null while running. */
    String exitReason();

    /** What the kernel side counts, as of now (any thread). */
    LinkCounters counters();

    /**
     * Turns bypass on or off: while on, the kernel side dispatches every task by itself (to the
     * shared queue) instead of queueing it to user space, so nothing waits while user space is
     * busy (a swap, a long pause). Tasks already queued stay queued.
     */
    void setBypass(boolean bypass);

    /** What {@link #queuedInKernel()} returns from a link that does not count its queued tasks. */
    long NOT_COUNTED = -1;

    /**
     * How many tasks user space dispatched that have not started running yet: the records in the
     * dispatched ring the kernel side has not carried out, and the tasks it put on its dispatch
     * queues from them that still wait there. A task leaves the count when it starts running, or
     * when it leaves the queues without running (it is dequeued, changes class, exits). The
     * connector bounds it with its queue depth, so that the policy, not the kernel's queues,
     * chooses who runs next. Called on the scheduling thread; must not allocate.
     *
     * <p>The default: {@link #NOT_COUNTED}, for a link that does not keep the count (the connector
     * then cannot bound it and says so).
     */
    default long queuedInKernel() {
        return NOT_COUNTED;
    }

    /**
     * The connector keeps at most {@code tasks} tasks dispatched and not yet running (see
     * {@link #queuedInKernel}); 0: no bound. Called on the scheduling thread when it changes. A
     * kernel side that runs the scheduling thread only when it has something to do uses it: a
     * thread holding tasks has nothing to do while the bound is reached. The default: nothing.
     */
    default void queueBudget(long tasks) {
    }

    /**
     * The connector made {@code policy} the active one (at the start, and at every swap); called on
     * the scheduling thread. A kernel side may note it (the simulator marks it on its timeline).
     * The default: nothing.
     */
    default void policyActivated(String policy) {
    }

    /**
     * Starts recording every task's state changes, for a trace of the machine's scheduling (any
     * thread but the scheduling thread; one recording at a time). The events include the tasks the
     * kernel side runs without user space (direct wake-ups, kernel threads), which never reach
     * {@link #dequeue}. The default: this kernel side cannot record.
     *
     * @return the events, drained by one thread until it closes them; null when this kernel side
     *     cannot record
     * @throws IllegalStateException when a recording is already on
     */
    default TaskEventSource recordTaskEvents() {
        return null;
    }
}
