package org.scxjavaland.sim.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.trace.TracedTask;

/**
 * One simulated task: what the kernel and the BPF side know of it (the fields of the queued
 * record), its scheduling state, and what it wants to do next. Created when a workload is
 * installed; mutated only by the scheduling thread.
 */
final class SimTask {
    static final int SLEEPING = 0;
    /** Runnable and handed to user space (its record is in the queued ring or held by the policy). */
    static final int QUEUED = 1;
    /** Runnable and on a dispatch queue. */
    static final int DISPATCHED = 2;
    static final int RUNNING = 3;

    /** Remaining work of a CPU hog: never reached. */
    static final long FOREVER = Long.MAX_VALUE / 4;

    // Identity, fixed when the workload is installed.
    final int index;
    final int pid;
    final GroupState group;
    final Workload.Kind kind;
    final byte[] comm = new byte[QueuedTask.COMM_LEN];
    /** The same name as a record carries it ({@link QueuedTask#commWord}): set in one step per record. */
    final long commFirst;
    final long commSecond;
    final long weight;
    final long[] allowedMask;
    final int nrCpusAllowed;
    /** The only CPU of a pinned task, else -1. */
    final int onlyCpu;
    final boolean kthread;
    private final long runMeanNs;
    private final long sleepMeanNs;
    final long periodNs;
    private final double jitter;
    private final boolean exponential;
    /** Each task draws from its own stream: its demands do not depend on how it is scheduled. */
    private final SplittableRandom random;
    /** First wakeup, relative to the installation of the workload. */
    final long firstWakeNs;
    /** A replayed task's recorded bursts and the sleep after each (-1: it ends), else null. */
    private final long[] tracedRunNs;
    private final long[] tracedSleepNs;
    /** The replayed burst running or last run. */
    private int tracedBurst;

    // What the BPF side keeps for the task (the queued record's fields).
    int cpu;
    long startTs;
    long stopTs;
    long execRuntime;
    long vtime;
    long enqCnt;
    /** CPU time used since the task's last record: the next record's startTs is stopTs minus this. */
    long unreportedNs;
    /** With DispatchedTask.FLAG_WAKE_DIRECT, the slice of its last dispatch (see MachineCore.wakeDirect); else 0. */
    long wakeBudgetNs;

    // Simulation state.
    int state = SLEEPING;
    /** Slice of the current dispatch, ns. */
    long sliceNs;
    /** CPU work left in the current burst, ns. */
    long remainingNs;
    /** Since when the running task's CPU time has been accounted. */
    long accountedTs;
    /** When the task last became runnable (for the watchdog). */
    long runnableSinceTs;
    /** When it last woke up, until it runs: -1 once the wake-to-run latency is recorded. */
    long wakeTs = -1;
    /** On a dispatch queue by a user-space dispatch and not yet running (counted in MachineCore.userQueued). */
    boolean userQueued;

    // The topology's costs (see TopologyCosts); untouched on a flat machine.
    /** When the running task's slice ends (wall time). */
    long sliceEndTs;
    /** Work done per ns while running, in thousandths: below 1000 beside a busy SMT sibling. */
    int speedPermille = TopologyCosts.FULL_SPEED;
    /** Thousandths of a ns of work done at reduced speed and not yet counted. */
    long workCarry;
    /** False until the task first runs (before that it has no cache to lose). */
    boolean ranBefore;

    /**
     * @param traced the recorded task a {@link Workload.Kind#TRACED} task replays (its weight and
     *     first wakeup are the recording's), else null
     */
    SimTask(int index, int pid, GroupState group, Workload.Group spec, String comm, long[] allowedMask,
            int initialCpu, SplittableRandom random, TracedTask traced) {
        this.index = index;
        this.pid = pid;
        this.group = group;
        this.kind = spec.kind();
        byte[] name = comm.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, this.comm, 0, Math.min(name.length, QueuedTask.COMM_LEN - 1));
        QueuedTask named = new QueuedTask().comm(comm);    // truncated as above
        this.commFirst = named.commWord(0);
        this.commSecond = named.commWord(1);
        this.weight = traced != null ? Math.min(Math.max(traced.weight(), 1), 10_000) : spec.weight();
        this.allowedMask = allowedMask;
        int n = 0;
        int first = -1;
        for (int w = 0; w < allowedMask.length; w++) {
            n += Long.bitCount(allowedMask[w]);
            if (first < 0 && allowedMask[w] != 0) {
                first = w * 64 + Long.numberOfTrailingZeros(allowedMask[w]);
            }
        }
        this.nrCpusAllowed = n;
        this.onlyCpu = n == 1 ? first : -1;
        this.kthread = spec.kthread();
        this.runMeanNs = spec.runNs();
        this.sleepMeanNs = spec.sleepNs();
        this.periodNs = spec.periodNs();
        this.jitter = spec.jitter();
        this.exponential = spec.exponential();
        this.random = random;
        this.cpu = initialCpu;
        this.tracedRunNs = traced != null ? traced.runNs() : null;
        this.tracedSleepNs = traced != null ? traced.sleepNs() : null;
        this.firstWakeNs = traced != null ? Math.max(0, traced.firstWakeNs()) : drawFirstWake(spec.startNs());
    }

    boolean mayRunOn(int c) {
        return c >= 0 && (c >>> 6) < allowedMask.length && (allowedMask[c >>> 6] & (1L << c)) != 0;
    }

    /** CPU work of the next burst. */
    long drawBurst() {
        if (kind == Workload.Kind.TRACED) {
            return Math.max(1L, tracedRunNs[tracedBurst]);
        }
        return kind == Workload.Kind.HOG ? FOREVER : draw(runMeanNs);
    }

    /**
     * A replayed task whose burst ended: the recorded sleep after it, and the next burst becomes
     * due; -1 when it was the last burst (the task ends).
     */
    long nextTracedSleep() {
        long sleep = tracedSleepNs[tracedBurst];
        if (sleep < 0 || ++tracedBurst >= tracedRunNs.length) {
            return -1;
        }
        return sleep;
    }

    /** Length of the next sleep (bursty tasks). */
    long drawSleep() {
        return draw(sleepMeanNs);
    }

    /** A time around {@code mean}: uniform within the jitter, or exponential; at least 1 ns. */
    private long draw(long mean) {
        double factor;
        if (exponential) {
            factor = Math.min(50.0, -Math.log(1.0 - random.nextDouble()));
        } else {
            factor = 1.0 + jitter * (2.0 * random.nextDouble() - 1.0);
        }
        return Math.max(1L, (long) (mean * factor));
    }

    /** When the task first wakes, relative to the workload's start. */
    private long drawFirstWake(long startNs) {
        if (startNs >= 0) {
            return startNs;
        }
        switch (kind) {
            case PERIODIC: return random.nextLong(periodNs);
            case BURSTY: return sleepMeanNs > 0 ? random.nextLong(sleepMeanNs) : 0;
            default: return 0;
        }
    }
}
