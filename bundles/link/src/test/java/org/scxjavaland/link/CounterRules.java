package org.scxjavaland.link;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

/**
 * How a kernel side counts the dispatches user space sends it, written once for both kernel
 * sides: each rule is one way a dispatched record ends, with what it adds to the four counts of
 * {@link LinkCounters} that only dispatches move (user, cancel, bounce, failed). The simulated
 * machine is held to it by sim's {@code CounterRulesTest}; the BPF side on a real kernel by
 * link-bpf's {@code BpfSmokeMain}, whose lines itests/vm's {@code BpfLinkVmIT} checks. Both send
 * the same {@link #sendProbe probe} and compare what the counts grew by with {@link #PROBE}'s
 * expectation; on a live kernel that is exact as long as user space sends nothing else meanwhile.
 *
 * <p>A dispatch the link refuses ({@link KernelLink#dispatch} false: its ring is full) never
 * reaches the kernel side and counts nothing; user space still holds the task.
 */
public enum CounterRules {
    /** The record as it was queued, to any CPU: the task goes on the shared queue. */
    INSERTED(1, 0, 0, 0),
    /**
     * To a CPU that does not exist: the task goes to the shared queue (a pinned task to its only
     * CPU), and still counts as a user dispatch.
     */
    BOUNCED(1, 0, 1, 0),
    /** With an older enq_cnt than the task's last record: it was queued again since; dropped. */
    STALE(0, 1, 0, 0),
    /** For a pid no task has (it exited): dropped. */
    NO_TASK(0, 0, 0, 1);

    /** A pid beyond any kernel's pid_max and any simulated workload's. */
    public static final int NO_SUCH_PID = Integer.MAX_VALUE;
    /** A CPU number no machine has, and none of DispatchedTask's special values. */
    public static final int NO_SUCH_CPU = 1 << 24;
    /** What {@link #sendProbe} sends, in order: two records, each dispatched twice. */
    public static final CounterRules[] PROBE = {STALE, INSERTED, NO_TASK, BOUNCED};

    private final long user;
    private final long cancel;
    private final long bounce;
    private final long failed;

    CounterRules(long user, long cancel, long bounce, long failed) {
        this.user = user;
        this.cancel = cancel;
        this.bounce = bounce;
        this.failed = failed;
    }

    /** The dispatch of {@code record} that ends by this rule, written into {@code out}. */
    public DispatchedTask dispatchOf(QueuedTask record, DispatchedTask out) {
        out.prepare(record).cpu(DispatchedTask.CPU_ANY).vtime(record.vtime());
        return switch (this) {
            case INSERTED -> out;
            case BOUNCED -> out.cpu(NO_SUCH_CPU);
            case STALE -> out.enqCnt(record.enqCnt() - 1);
            case NO_TASK -> out.pid(NO_SUCH_PID);
        };
    }

    /**
     * Sends {@link #PROBE} for two records user space holds: {@code a} stale then as queued, so it
     * still runs; a dispatch for no task made from {@code b}, then {@code b} to a CPU that does not
     * exist.
     *
     * @return false when the link refused one of them (its ring was full): the probe is void
     */
    public static boolean sendProbe(KernelLink link, QueuedTask a, QueuedTask b) {
        DispatchedTask out = new DispatchedTask();
        return link.dispatch(STALE.dispatchOf(a, out)) && link.dispatch(INSERTED.dispatchOf(a, out))
                && link.dispatch(NO_TASK.dispatchOf(b, out)) && link.dispatch(BOUNCED.dispatchOf(b, out));
    }

    /** What one dispatch by each of {@code rules} adds to the counts, in {@link #grown}'s words. */
    public static String expected(CounterRules... rules) {
        long user = 0;
        long cancel = 0;
        long bounce = 0;
        long failed = 0;
        for (CounterRules r : rules) {
            user += r.user;
            cancel += r.cancel;
            bounce += r.bounce;
            failed += r.failed;
        }
        return describe(user, cancel, bounce, failed);
    }

    /** What the four counts grew by from {@code before} to {@code after}. */
    public static String grown(LinkCounters before, LinkCounters after) {
        return describe(after.nrUserDispatches() - before.nrUserDispatches(),
                after.nrCancelDispatches() - before.nrCancelDispatches(),
                after.nrBounceDispatches() - before.nrBounceDispatches(),
                after.nrFailedDispatches() - before.nrFailedDispatches());
    }

    /**
     * The dispatches the kernel side has carried out so far: each record it read ends as exactly
     * one user dispatch, cancel or failure (a bounce is a user dispatch too). Equal to the
     * dispatches sent once none is left in the ring.
     */
    public static long carriedOut(LinkCounters c) {
        return c.nrUserDispatches() + c.nrCancelDispatches() + c.nrFailedDispatches();
    }

    private static String describe(long user, long cancel, long bounce, long failed) {
        return "user " + user + ", cancel " + cancel + ", bounce " + bounce + ", failed " + failed;
    }
}
