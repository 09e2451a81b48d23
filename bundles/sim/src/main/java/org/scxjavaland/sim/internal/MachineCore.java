package org.scxjavaland.sim.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.sim.HeldTasks;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.Topology;
import org.scxjavaland.sim.machine.Workload;

/**
 * The simulated kernel and BPF side: CPUs, dispatch queues, the two rings, the timers and the
 * tasks' life (wake, run, use up a slice or finish a burst, sleep). Driven by
 * {@code SimulatedMachine} on the scheduling thread; other threads only read the published
 * counters, clock and population.
 *
 * <p>What the BPF side does, as modelled here (each step's method is named after the function of
 * {@code bpf/javaland.bpf.c} it models, and counts what that function counts):
 * <ul>
 * <li>A task that becomes runnable is queued to user space as a record (its {@code enq_cnt}
 *     incremented), except: per-CPU kthreads go straight to their CPU's local FIFO; in bypass
 *     everything goes to the shared queue; when the queued ring is full the task goes to the
 *     shared queue (congested). These three count as kernel dispatches.</li>
 * <li>A dispatched record whose task no longer exists fails; one whose task is not waiting for
 *     user space, or that carries another {@code enq_cnt}, is cancelled. {@code CPU_ANY} goes to
 *     the shared queue; a pinned task goes to its only CPU (a bounce if user space named another);
 *     a CPU the task may not use sends it to the shared queue (a bounce). Each record put on a
 *     queue counts as a user dispatch, bounced or not; a dispatch the full dispatched ring refuses
 *     counts nothing (link's CounterRules, which the BPF side is held to as well).</li>
 * <li>Per-CPU queues and the shared queue are ordered by the record's vtime (the BPF side
 *     inserts with the vtime), equal vtimes first-come first-served. The task's {@code vtime}
 *     field becomes the vtime of its last dispatch.</li>
 * <li>A free CPU takes from its local FIFO, then its own queue, then the first task of the shared
 *     queue it may run. A running task is never preempted before its slice ends; at slice end it
 *     goes back through the enqueue path only when something waits (on its queues, the shared
 *     queue, or in user space); otherwise its slice is refilled with the default slice, which counts
 *     as a kernel dispatch (the BPF side inserts it again, enqueued with SCX_ENQ_LAST).</li>
 * <li>A task the policy dispatched with {@link DispatchedTask#FLAG_WAKE_DIRECT} wakes without user
 *     space until it has used that dispatch's slice: on an idle CPU, or in place of a running task
 *     of the users whose vtime is later than its own by more than that slice and that has run a
 *     quarter of it; its own CPU first, then the one whose task comes last. The preempted task goes
 *     back to the front of its CPU's local queue, behind the waking one, with what is left of its
 *     slice (to user space when nothing is). Both count as kernel dispatches.</li>
 * <li>Idle CPUs are picked as the BPF side gets them from the kernel; on a machine with a
 *     {@link Topology} (SMT siblings, LLCs, nodes) by {@link IdlePick}, whose costs (SMT speed,
 *     cache refills) and locality figures {@link TopologyCosts} keeps; on a flat machine by
 *     {@link #findIdleCpu}, the first idle CPU from the previous one on.</li>
 * <li>Tasks user space dispatched that have not started running are counted, as the BPF side
 *     counts them for the connector's queue depth ({@link #queuedInKernel()}): a task is counted
 *     once when its record is put on a dispatch queue, and leaves the count when it starts running
 *     (or when its workload is replaced); records not yet delivered count too.</li>
 * <li>{@code stop_ts} is set when a task stops, {@code start_ts} is reported as {@code stop_ts}
 *     minus the CPU time used since the task's last record, {@code exec_runtime} adds each stint
 *     and is reset when the task wakes from a sleep.</li>
 * <li>Unless its costs are both 0, the user-space scheduling thread is a task too: a round occupies
 *     a CPU (see {@link SchedulingThread}). With news (records queued, tasks held) and no CPU it
 *     takes an idle CPU; else, for a task that woke up, it preempts the task running on that task's
 *     CPU (which goes back through user space); else the next CPU that looks for work takes it,
 *     after its local FIFO and before its queues. It keeps its CPU while it has work right away,
 *     unless a kernel thread waits in that CPU's local FIFO or the users' tasks queued to that CPU
 *     have waited 10 ms (the BPF side's USER_WAIT_MAX_NS); else it leaves it. (Unlike the BPF side: no 2 ms gap between preempt kicks, since a kick
 *     here takes effect at once and the BPF side clears the gap when the thread runs; no
 *     preemption through the waker's CPU; no spinning while it holds tasks and no CPU is idle.)</li>
 * </ul>
 */
public final class MachineCore {
    /** Enqueue flag of a task that woke up (SCX_ENQ_WAKEUP); a preempted task has flags 0. */
    public static final long ENQ_WAKEUP = 1L;

    private static final int NR_RUNNING = 0;
    private static final int NR_QUEUED = 1;
    private static final int USER = 2;
    private static final int KERNEL = 3;
    private static final int CANCEL = 4;
    private static final int BOUNCE = 5;
    private static final int FAILED = 6;
    private static final int CONGESTED = 7;
    private static final int TASK_RUNS = 8;
    private static final int EVENTS = 9;
    private static final int NR_COUNTERS = 10;

    /**
     * How long the users' tasks queued to the scheduling thread's CPU may wait behind it, in virtual
     * ns (the BPF side's USER_WAIT_MAX_NS).
     */
    private static final long USER_WAIT_MAX_NS = 10_000_000L;
    /** How often the watchdog looks for a task waiting too long, in virtual ns. */
    private static final long WATCHDOG_CHECK_NS = 100_000_000L;
    /**
     * How often the CPU time of the tasks still running reaches their groups' figures, in virtual
     * ns (besides at every stop, slice end and exit): a pass over every CPU at each round would
     * cost more than the rest of the round on a large machine.
     */
    private static final long SETTLE_NS = 10_000_000L;

    private final SimOptions options;
    private final int nrCpus;
    private final long defaultSliceNs;

    // Published to other threads.
    private final AtomicLongArray counters = new AtomicLongArray(NR_COUNTERS);
    private final AtomicLong publishedNow = new AtomicLong();
    private final AtomicReference<String> exitReason = new AtomicReference<>();
    private volatile Population published;
    private volatile boolean bypass;

    // CPUs and dispatch queues.
    private final SimTask[] running;
    /** One bit per CPU without a running task, so that finding one does not visit every CPU. */
    private final long[] idleCpus;
    /** One bit per CPU handed out as idle this round (see selectCpu). */
    private final long[] claimedCpus;
    private final VtimeQueue[] localQueues;
    private final VtimeQueue[] cpuQueues;
    private final VtimeQueue sharedQueue;
    private int nrRunning;

    // The tasks user space holds, as it says at the end of each round (see heldTasks).
    private static final int HELD_MAX = 0;
    private static final int HELD_NS = 1;
    private static final int HELD_LAST = 2;
    private static final int HELD_LAST_AT = 3;
    private static final int HELD_FROM = 4;
    private final AtomicLongArray heldPublished = new AtomicLongArray(5);
    private long heldLast;
    private long heldLastAt;
    private long heldNs;
    private long heldMax;
    /** Tasks on a dispatch queue by a user-space dispatch, not yet running (SimTask.userQueued). */
    private int userQueued;
    /** The connector's bound on userQueued plus undelivered records; 0: none (see queueBudget). */
    private long queueBudget;
    /** One bit per CPU that freed up and waits for user space's choice (see cpuFreed). */
    private final long[] awaitingChoice;

    // The two rings between the kernel side and user space, preallocated records.
    private final QueuedTask[] queuedRing;
    private int queuedHead;
    private int queuedCount;
    private final DispatchedTask[] dispatchedRing;
    private int dispatchedHead;
    private int dispatchedCount;

    // The current workload and the clock.
    private Population population;
    private SimTask[] tasks;
    private EventHeap events;
    private long now;
    private long nrPending;
    private int roundActivity;
    private long nextWatchdogCheck;
    private long taskRuns;
    private long eventCount;
    /** The clock at the end of the last round: the running tasks' CPU time is due up to it. */
    private long lastRoundEnd;
    /** When the running tasks' CPU time next goes into their groups' figures. */
    private long nextSettle;
    /** The timeline, or null (SimOptions.traceEvents 0). */
    private final SimTrace trace;
    /** The idle pick that follows the topology, or null for the flat pick (findIdleCpu). */
    private final IdlePick idlePick;
    /** What the topology costs, or null on a flat machine (nothing to cost). */
    private final TopologyCosts costs;
    /** Where every task's state changes go while a recording is on (set from the recorder's thread), or null. */
    private volatile TaskEventRing taskEvents;
    /** The scheduling thread as a task, or null when it is free (SimOptions.schedulerOnCpus false). */
    private final SchedulingThread sched;
    /** Every CPU: the scheduling thread's affinity. */
    private final long[] allCpus;

    public MachineCore(SimOptions options, int nrCpus) {
        this(options, Topology.flat(nrCpus));
    }

    /** A machine of {@code topology}'s CPUs; a flat one behaves as the machine always did. */
    public MachineCore(SimOptions options, Topology topology) {
        int nrCpus = topology.cpus();
        this.options = options;
        this.nrCpus = nrCpus;
        this.defaultSliceNs = options.defaultSliceNs();
        running = new SimTask[nrCpus];
        idleCpus = new long[(nrCpus + 63) >>> 6];
        claimedCpus = new long[idleCpus.length];
        awaitingChoice = new long[idleCpus.length];
        allCpus = new long[idleCpus.length];
        for (int c = 0; c < nrCpus; c++) {
            idleCpus[c >>> 6] |= 1L << c;
            allCpus[c >>> 6] |= 1L << c;
        }
        sched = options.schedulerOnCpus() ? new SchedulingThread(options.schedRoundNs(), options.schedTaskNs()) : null;
        localQueues = new VtimeQueue[nrCpus];
        cpuQueues = new VtimeQueue[nrCpus];
        for (int c = 0; c < nrCpus; c++) {
            localQueues[c] = new VtimeQueue(4);
            cpuQueues[c] = new VtimeQueue(16);
        }
        sharedQueue = new VtimeQueue(64);
        trace = options.traceEvents() > 0 ? new SimTrace(options.traceEvents()) : null;
        queuedRing = new QueuedTask[options.queuedCapacity()];
        for (int i = 0; i < queuedRing.length; i++) {
            queuedRing[i] = new QueuedTask();
        }
        dispatchedRing = new DispatchedTask[options.dispatchedCapacity()];
        for (int i = 0; i < dispatchedRing.length; i++) {
            dispatchedRing[i] = new DispatchedTask();
        }
        boolean followTopology = !topology.isFlat() && options.idlePick() == SimOptions.IdlePick.TOPOLOGY;
        idlePick = followTopology ? new IdlePick(topology, idleCpus, claimedCpus) : null;
        costs = topology.isFlat() ? null
                : new TopologyCosts(topology, options.idlePick().name().toLowerCase(java.util.Locale.ROOT),
                        options.numaLocal());
    }

    // ---------------------------------------------------------------- workload

    /**
     * Makes {@code next} the running workload from now on. The previous workload's tasks vanish
     * like exited tasks: off the CPUs and queues; records of theirs still in the queued ring stay
     * there, and their dispatches will be cancelled.
     */
    public void install(Population next) {
        for (int c = 0; c < nrCpus; c++) {
            if (running[c] != null) {
                account(running[c]);
                if (trace != null) {
                    trace.run(c, running[c].pid, running[c].startTs, now);
                }
                emit(TaskEventSink.KIND_SLEEP, running[c], c);
                running[c] = null;
                idleCpus[c >>> 6] |= 1L << c;
            }
            localQueues[c].clear();
            cpuQueues[c].clear();
        }
        if (sched != null && sched.cpu >= 0) {
            // It starts the next workload without a CPU, like every task (and without a look at the
            // queues, which still hold the previous workload's tasks until below).
            idleCpus[sched.cpu >>> 6] |= 1L << sched.cpu;
            sched.cpu = -1;
        }
        if (sched != null) {
            sched.waiting = false;
            sched.kickCpu = -1;
        }
        Arrays.fill(claimedCpus, 0);
        Arrays.fill(awaitingChoice, 0);
        sharedQueue.clear();
        nrRunning = 0;
        if (tasks != null) {
            for (SimTask t : tasks) {
                t.userQueued = false;   // gone with its workload, as a task that exits leaves the queues
            }
        }
        userQueued = 0;
        counters.setOpaque(NR_RUNNING, 0);

        population = next;
        tasks = next.tasks;
        if (trace != null) {
            trace.learn(tasks);
        }
        events = new EventHeap(tasks.length + nrCpus);
        next.startNs = now;
        restartHeldFigures();
        next.runsAtStart = taskRuns;
        next.schedulerAtStart = schedulerTotals();
        for (SimTask t : tasks) {
            events.schedule(t.index, now + t.firstWakeNs);
        }
        nextWatchdogCheck = now + WATCHDOG_CHECK_NS;
        published = next;
    }

    /** The workload being simulated (any thread). */
    public Population population() {
        return published;
    }

    // ---------------------------------------------------------------- the link, as user space calls it

    public boolean dequeue(QueuedTask into) {
        if (queuedCount == 0) {
            return false;
        }
        into.copyFrom(queuedRing[queuedHead]);
        if (++queuedHead == queuedRing.length) {
            queuedHead = 0;
        }
        queuedCount--;
        counters.setOpaque(NR_QUEUED, queuedCount);
        roundActivity++;
        return true;
    }

    public boolean dispatch(DispatchedTask task) {
        if (dispatchedCount == dispatchedRing.length) {
            return false; // never reaches the kernel side: counts nothing, user space still holds the task
        }
        int slot = dispatchedHead + dispatchedCount;
        if (slot >= dispatchedRing.length) {
            slot -= dispatchedRing.length;
        }
        dispatchedRing[slot].copyFrom(task);
        dispatchedCount++;
        roundActivity++;
        return true;
    }

    /**
     * An idle CPU the task may use, preferring {@code prevCpu}, or -1. The CPU is claimed until
     * the end of the round, so the next call does not return it again (as the kernel clears a
     * CPU's idle bit when it is picked).
     */
    public int selectCpu(int pid, int prevCpu, long flags) {
        SimTask t = population.byPid(pid);
        if (t == null) {
            return -1;
        }
        int c = selectIdleCpu(t, prevCpu, options.numaLocal());
        if (c >= 0) {
            claimedCpus[c >>> 6] |= 1L << c;
        }
        return c;
    }

    public void setBypass(boolean on) {
        bypass = on;
    }

    /**
     * Tasks user space dispatched that have not started running: the records not yet delivered and
     * the tasks they put on a dispatch queue (the scheduling thread).
     */
    public long queuedInKernel() {
        return userQueued + dispatchedCount;
    }

    /** The connector keeps at most {@code tasks} in {@link #queuedInKernel()}; 0: no bound (the scheduling thread). */
    public void queueBudget(long tasks) {
        queueBudget = Math.max(0, tasks);
    }

    // ---------------------------------------------------------------- rounds

    /** Starts the end-of-round processing: user space still holds {@code pending} tasks. */
    public void beginRound(long pending) {
        nrPending = Math.max(0, pending);
        noteHeld(nrPending);
    }

    /** Adds the tasks held since the last round to the figures, and {@code held} from now on. */
    private void noteHeld(long held) {
        heldNs += heldLast * (now - heldLastAt);
        heldLastAt = now;
        heldLast = held;
        if (held > heldMax) {
            heldMax = held;
        }
        heldPublished.setOpaque(HELD_MAX, heldMax);
        heldPublished.setOpaque(HELD_NS, heldNs);
        heldPublished.setOpaque(HELD_LAST, held);
        heldPublished.setOpaque(HELD_LAST_AT, now);
    }

    /** The held tasks' figures start afresh from now (with the groups' figures). */
    private void restartHeldFigures() {
        heldNs = 0;
        heldMax = heldLast;
        heldLastAt = now;
        heldPublished.setOpaque(HELD_FROM, now);
        noteHeld(heldLast);
    }

    /** The tasks user space held since the figures last started afresh (any thread). */
    public HeldTasks heldTasks() {
        long from = heldPublished.getOpaque(HELD_FROM);
        long at = heldPublished.getOpaque(HELD_LAST_AT);
        long span = at - from;
        double mean = span > 0 ? (double) heldPublished.getOpaque(HELD_NS) / span : heldPublished.getOpaque(HELD_LAST);
        return new HeldTasks(heldPublished.getOpaque(HELD_MAX), mean);
    }

    /** True when user space did or has something to do this round (so the round costs time). */
    public boolean roundHadWork() {
        return roundActivity > 0 || userSpaceHasWork();
    }

    /** True when user space should run again right away: queued records, or held tasks and an idle CPU. */
    public boolean userSpaceHasWork() {
        return queuedCount > 0 || (nrPending > 0 && anyIdleCpu());
    }

    /**
     * drain_dispatched: carries out every dispatched record (free CPUs start running at once).
     */
    public void drainDispatched() {
        while (dispatchedCount > 0) {
            DispatchedTask d = dispatchedRing[dispatchedHead];
            if (++dispatchedHead == dispatchedRing.length) {
                dispatchedHead = 0;
            }
            dispatchedCount--;
            dispatchFromUser(d);
        }
        runCpusAwaitingChoice();
        // CPUs still idle went through their dispatch path and found nothing: selectable again.
        Arrays.fill(claimedCpus, 0);
    }

    /** Time of the next timer, or Long.MAX_VALUE when nothing is scheduled. */
    public long nextEventTime() {
        return events.isEmpty() ? Long.MAX_VALUE : events.peekTime();
    }

    /** Runs every event due up to {@code target}, then sets the clock to {@code target}. */
    public void advanceTo(long target) {
        while (!events.isEmpty()) {
            long at = events.peekTime();
            if (at > target) {
                break;
            }
            if (at > now) {
                now = at;
            }
            int id = events.poll();
            eventCount++;
            if (id < tasks.length) {
                onTaskTimer(tasks[id]);
            } else {
                onSliceEnd(id - tasks.length);
            }
            if (now >= nextWatchdogCheck && watchdogFired()) {
                publishedNow.setOpaque(now);
                return;
            }
        }
        if (target > now) {
            now = target;
        }
        if (now >= nextWatchdogCheck) {
            watchdogFired();
        }
        publishedNow.setOpaque(now);
    }

    /**
     * Ends the round and publishes the counters. The running tasks' CPU time is due up to here:
     * it goes into their groups' figures every {@link #SETTLE_NS} and at the end (see
     * {@link #settle()}); the total is the same as if it went in at every round, to the ns.
     */
    public void endRound() {
        lastRoundEnd = now;
        if (now >= nextSettle || exited()) {
            settle();
        }
        roundActivity = 0;
        counters.setOpaque(TASK_RUNS, taskRuns);
        counters.setOpaque(EVENTS, eventCount);
    }

    /**
     * Charges the running tasks' CPU time up to the end of the last round (the scheduling thread:
     * when the machine has stopped, before its report, and before figures start afresh).
     */
    public void settle() {
        for (int c = 0; c < nrCpus; c++) {
            SimTask t = running[c];
            if (t != null) {
                accountUpTo(t, lastRoundEnd);
            }
        }
        nextSettle = lastRoundEnd + SETTLE_NS;
    }

    /** The clock (scheduling thread). */
    public long now() {
        return now;
    }

    /** The clock as last published (any thread). */
    public long publishedNow() {
        return publishedNow.getOpaque();
    }

    // ---------------------------------------------------------------- the scheduling thread as a task

    /** True when the scheduling thread occupies a CPU and its rounds cost time (SimOptions.schedulerOnCpus). */
    public boolean schedulerOnCpus() {
        return sched != null;
    }

    /** True when the scheduling thread is on a CPU. */
    public boolean schedulerHasCpu() {
        return sched != null && sched.cpu >= 0;
    }

    /** Records dequeued plus records dispatched so far this round. */
    public int roundTasks() {
        return roundActivity;
    }

    /** What this round costs the scheduling thread: per round plus per task handled so far. */
    public long schedulerRoundNs() {
        return sched.roundCost(roundActivity);
    }

    /** The scheduling thread ran a round of {@code ns} (less than its cost when the machine stopped meanwhile). */
    public void schedulerRan(long ns) {
        sched.ran(ns, roundActivity);
    }

    /**
     * The scheduling thread needs a CPU: it takes an idle one, or preempts the task running on the
     * CPU of a task that woke and was queued to it, or else waits for the next CPU that looks for
     * work (see {@link #schedulerHasCpu()}).
     */
    public void schedulerWantsCpu() {
        if (sched.cpu >= 0) {
            return;
        }
        int c = nrRunning < nrCpus ? nextIdleCpu(allCpus, sched.lastCpu, true) : -1;
        if (c < 0 && nrRunning < nrCpus) {
            c = nextIdleCpu(allCpus, sched.lastCpu, false);
        }
        if (c >= 0) {
            takeCpu(c);
            return;
        }
        int k = sched.kickCpu;
        if (k >= 0 && running[k] != null && !running[k].kthread) {
            SimTask preempted = running[k];
            account(preempted);
            jlStopping(k, preempted);
            emit(TaskEventSink.KIND_PREEMPTED, preempted, k);
            takeCpu(k);
            sched.preemptKicked();
            jlEnqueue(preempted, 0); // its slice is gone: back through user space, as after SCX_KICK_PREEMPT
            return;
        }
        sched.waiting = true;
    }

    /**
     * True when the scheduling thread may run another round on its CPU: no kernel thread waits in
     * that CPU's local FIFO (the kernel runs it before asking the BPF side), and the users' tasks
     * queued to that CPU have not waited behind it for USER_WAIT_MAX_NS.
     */
    public boolean schedulerMayStay() {
        int cpu = sched.cpu;
        return cpu < 0 || (localQueues[cpu].isEmpty()
                && (cpuQueues[cpu].isEmpty() || now - sched.onCpuSince < USER_WAIT_MAX_NS));
    }

    /**
     * The scheduling thread rests: its CPU looks for work. While it still has news (tasks held) it
     * waits for the next CPU that looks for work.
     */
    public void schedulerRests() {
        leaveCpu();
        sched.waiting = queuedCount > 0 || (nrPending > 0 && (queueBudget == 0 || queuedInKernel() < queueBudget));
    }

    /** The scheduling thread's figures since the machine started, or null when it is free (any thread). */
    public org.scxjavaland.sim.SimReport.SchedulerReport schedulerTotals() {
        return sched == null ? null : sched.totals();
    }

    private void takeCpu(int cpu) {
        sched.cpu = cpu;
        sched.lastCpu = cpu;
        sched.onCpuSince = now;
        sched.waiting = false;
        sched.kickCpu = -1;
        idleCpus[cpu >>> 6] &= ~(1L << cpu);
        claimedCpus[cpu >>> 6] &= ~(1L << cpu);
    }

    private void leaveCpu() {
        int cpu = sched.cpu;
        if (cpu < 0) {
            return;
        }
        sched.cpu = -1;
        idleCpus[cpu >>> 6] |= 1L << cpu;
        jlDispatch(cpu);
    }

    // ---------------------------------------------------------------- the timeline

    /** The timeline, or null when the options keep none. */
    public SimTrace trace() {
        return trace;
    }

    /**
     * A policy was activated (the scheduling thread): the groups' figures start afresh, so each
     * table belongs to one policy, and the timeline marks it.
     */
    public void markPolicy(String policy) {
        settle(); // the CPU time before the activation belongs to the previous figures
        if (population != null) {
            population.measureFrom(now, taskRuns, schedulerTotals());
        }
        if (costs != null) {
            costs.reset();
        }
        restartHeldFigures();
        if (trace != null) {
            trace.mark(now, policy);
        }
    }

    /** Closes the runs still going on the timeline at the clock's time (once the machine has stopped). */
    public void traceRunningTasks() {
        if (trace != null) {
            for (int c = 0; c < nrCpus; c++) {
                SimTask t = running[c];
                if (t != null) {
                    trace.run(c, t.pid, t.startTs, now);
                }
            }
        }
    }

    // ---------------------------------------------------------------- exit and counters (any thread)

    /** Stops the machine with {@code reason}, unless it has already stopped. */
    public void exit(String reason) {
        exitReason.compareAndSet(null, reason);
    }

    public boolean exited() {
        return exitReason.get() != null;
    }

    public String exitReason() {
        return exitReason.get();
    }

    public LinkCounters counters() {
        return new LinkCounters(counters.getOpaque(NR_RUNNING), nrCpus, counters.getOpaque(NR_QUEUED),
                counters.getOpaque(USER), counters.getOpaque(KERNEL), counters.getOpaque(CANCEL),
                counters.getOpaque(BOUNCE), counters.getOpaque(FAILED), counters.getOpaque(CONGESTED));
    }

    /** Times a task was put on a CPU, as of the last round. */
    public long taskRuns() {
        return counters.getOpaque(TASK_RUNS);
    }

    /** Where wake-ups ran and what the topology cost, or null on a flat machine. */
    public org.scxjavaland.sim.SimReport.TopologyFigures topologyFigures() {
        return costs == null ? null : costs.figures();
    }

    /** Timer events processed, as of the last round. */
    public long events() {
        return counters.getOpaque(EVENTS);
    }

    // ---------------------------------------------------------------- task life

    /** A task's timer: the end of its sleep, or the next release of a periodic task. */
    private void onTaskTimer(SimTask t) {
        if (t.kind == Workload.Kind.PERIODIC) {
            boolean stillBusy = t.state != SimTask.SLEEPING;
            t.group.countPeriod(stillBusy);
            events.schedule(t.index, now + t.periodNs);
            if (stillBusy) {
                return; // missed: the late work goes on, this period's work is dropped
            }
        }
        t.execRuntime = 0;
        t.wakeTs = now;
        t.remainingNs = t.drawBurst();
        t.group.countWakeup();
        emit(TaskEventSink.KIND_WAKE, t, t.cpu);
        jlEnqueue(t, ENQ_WAKEUP);
    }

    /** The running task of {@code cpu} finished its burst or used up its slice. */
    private void onSliceEnd(int cpu) {
        SimTask t = running[cpu];
        account(t);
        if (t.remainingNs <= 0) {
            jlStopping(cpu, t);
            emit(TaskEventSink.KIND_SLEEP, t, cpu);
            t.state = SimTask.SLEEPING;
            if (t.kind == Workload.Kind.BURSTY) {
                events.schedule(t.index, now + t.drawSleep());
            } else if (t.kind == Workload.Kind.TRACED) {
                replayNextSleep(t);
            } // a periodic task's next release is already scheduled
            cpuFreed(cpu);
            return;
        }
        if (!workWaitingFor(cpu)) {
            // Nobody waits: jl_enqueue with SCX_ENQ_LAST refills the slice, the task keeps the CPU.
            t.sliceEndTs = now + defaultSliceNs;
            scheduleStop(cpu, t);
            increment(KERNEL);
            return;
        }
        jlStopping(cpu, t);
        emit(TaskEventSink.KIND_PREEMPTED, t, cpu);
        cpuFreed(cpu);
        jlEnqueue(t, 0);
    }

    /**
     * A replayed task finished a burst: it sleeps as recorded from now (closed loop), or it ran
     * its last burst and ends; the replay ends with the last task.
     */
    private void replayNextSleep(SimTask t) {
        long sleep = t.nextTracedSleep();
        if (sleep >= 0) {
            events.schedule(t.index, now + sleep);
        } else if (population.tracedTaskEnded()) {
            exit("The replay of " + population.workloadName() + " ended: every recorded task ran all its bursts.");
        }
    }

    /**
     * A CPU whose task stopped looks for the next one. With a queue depth, as on the BPF side
     * (ops.dispatch runs the scheduling thread first when it has news: records queued to it, or
     * tasks held while the queues have room), it waits for user space's round when user space has
     * news, and takes what is queued after that round's dispatches ({@link #drainDispatched});
     * tasks on its local queue do not wait. Without a depth it takes what is queued at once.
     */
    private void cpuFreed(int cpu) {
        boolean news = queuedCount > 0 || (nrPending > 0 && queuedInKernel() < queueBudget);
        if (queueBudget > 0 && news && localQueues[cpu].isEmpty()) {
            awaitingChoice[cpu >>> 6] |= 1L << cpu;
            return;
        }
        jlDispatch(cpu);
    }

    /** The CPUs that waited for user space's round take what is queued now. */
    private void runCpusAwaitingChoice() {
        for (int w = 0; w < awaitingChoice.length; w++) {
            long bits = awaitingChoice[w];
            awaitingChoice[w] = 0;
            while (bits != 0) {
                int cpu = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                jlDispatch(cpu);
            }
        }
    }

    /** jl_enqueue: a task became runnable. */
    private void jlEnqueue(SimTask t, long flags) {
        t.runnableSinceTs = now;
        if (t.kthread) {
            t.sliceNs = defaultSliceNs;
            t.state = SimTask.DISPATCHED;
            localQueues[t.onlyCpu].add(t, 0);
            increment(KERNEL);
            kick(t.onlyCpu);
            return;
        }
        if (bypass) {
            dispatchShared(t);
            return;
        }
        if (options.directIdleDispatch() && (flags & ENQ_WAKEUP) != 0 && sharedQueue.isEmpty()) {
            // jl_select_cpu's idle pick for a waking task (woke_direct)
            int c = selectIdleCpu(t, t.cpu, false);
            if (c >= 0) {
                t.sliceNs = defaultSliceNs;
                insertOnCpu(c, t, t.vtime);
                increment(KERNEL);
                return;
            }
        }
        if ((flags & ENQ_WAKEUP) != 0 && wakeDirect(t)) {
            increment(KERNEL);
            return;
        }
        if (!queueToUser(t, flags)) {
            increment(CONGESTED);
            dispatchShared(t);
        }
    }

    /** dispatch_shared: the kernel side dispatches the task itself, to the shared queue. */
    private void dispatchShared(SimTask t) {
        t.sliceNs = defaultSliceNs;
        insertShared(t, t.vtime);
        increment(KERNEL);
    }

    /** queue_to_user: sends the task's record to user space; false when the queued ring is full. */
    private boolean queueToUser(SimTask t, long flags) {
        if (queuedCount == queuedRing.length) {
            return false;
        }
        t.enqCnt++;
        int slot = queuedHead + queuedCount;
        if (slot >= queuedRing.length) {
            slot -= queuedRing.length;
        }
        QueuedTask r = queuedRing[slot];
        long startTs = t.stopTs > t.unreportedNs ? t.stopTs - t.unreportedNs : 0;
        t.unreportedNs = 0;
        r.pid(t.pid).cpu(t.cpu).nrCpusAllowed(t.nrCpusAllowed).flags(flags).startTs(startTs).stopTs(t.stopTs)
                .execRuntime(t.execRuntime).weight(t.weight).vtime(t.vtime).enqCnt(t.enqCnt);
        r.commWords(t.commFirst, t.commSecond);
        queuedCount++;
        counters.setOpaque(NR_QUEUED, queuedCount);
        t.state = SimTask.QUEUED;
        if (sched != null && sched.cpu < 0 && (flags & ENQ_WAKEUP) != 0) {
            sched.kickCpu = t.cpu; // kick_for_usersched: the CPU to preempt if none is idle
        }
        return true;
    }

    /**
     * A waking task the policy lets skip user space (its last dispatch had FLAG_WAKE_DIRECT and it
     * has used less than that slice since): runs it now on an idle CPU or in place of a running
     * task that comes after it (may_wake_direct, preemptible_cpu, woke_direct). False when it must
     * go to user space.
     */
    private boolean wakeDirect(SimTask t) {
        if (t.wakeBudgetNs == 0 || t.unreportedNs >= t.wakeBudgetNs || t.vtime == 0) {
            return false;
        }
        int idle = selectIdleCpu(t, t.cpu, false);
        if (idle >= 0) {
            t.sliceNs = defaultSliceNs;
            insertOnCpu(idle, t, t.vtime);
            return true;
        }
        int cpu = comesBefore(t, t.cpu) ? t.cpu : latestPreemptible(t);
        if (cpu < 0) {
            return false;
        }
        SimTask preempted = running[cpu];
        long sliceLeft = preempted.sliceNs - (now - preempted.startTs);
        account(preempted);
        jlStopping(cpu, preempted);
        emit(TaskEventSink.KIND_PREEMPTED, preempted, cpu);
        t.sliceNs = defaultSliceNs;
        t.state = SimTask.DISPATCHED;
        jlRunning(cpu, t);
        if (!requeuePreempted(cpu, preempted, sliceLeft)) {
            jlEnqueue(preempted, 0);
        }
        return true;
    }

    /**
     * requeue_preempted: a task a direct wake-up preempted keeps its place and the rest of its
     * slice, on its CPU's local queue (a fresh slice at each preemption would keep it from ever
     * going back to the policy, and the tasks behind it from running); false when none is left.
     */
    private boolean requeuePreempted(int cpu, SimTask preempted, long sliceLeft) {
        if (sliceLeft <= 0) {
            return false;
        }
        preempted.sliceNs = sliceLeft;
        preempted.state = SimTask.DISPATCHED;
        preempted.runnableSinceTs = now;
        localQueues[cpu].add(preempted, 0);
        increment(KERNEL);
        return true;
    }

    /** Of the CPUs whose task the waking {@code t} comes before, the one whose task comes last; -1 if none. */
    private int latestPreemptible(SimTask t) {
        int cpu = -1;
        for (int c = 0; c < nrCpus; c++) {
            if (comesBefore(t, c) && (cpu < 0 || Long.compareUnsigned(running[c].vtime, running[cpu].vtime) > 0)) {
                cpu = c;
            }
        }
        return cpu;
    }

    /**
     * True when {@code cpu} runs a task of the users that the waking {@code t} comes before: its
     * vtime is later than t's by more than t's slice, and it has run a quarter of that slice.
     */
    private boolean comesBefore(SimTask t, int cpu) {
        SimTask r = cpu >= 0 && cpu < nrCpus ? running[cpu] : null;
        return r != null && !r.kthread && t.mayRunOn(cpu)
                && Long.compareUnsigned(r.vtime, t.vtime + t.wakeBudgetNs) > 0
                && now - r.startTs >= t.wakeBudgetNs / 4;
    }

    /** dispatch_from_user: carries out one dispatched record. */
    private void dispatchFromUser(DispatchedTask d) {
        SimTask t = population.byPid(d.pid());
        if (t == null) {
            increment(FAILED); // the task exited meanwhile
            return;
        }
        if (t.state != SimTask.QUEUED || d.enqCnt() != t.enqCnt) {
            increment(CANCEL);
            return;
        }
        increment(USER);
        t.sliceNs = d.sliceNs() > 0 ? d.sliceNs() : defaultSliceNs;
        t.wakeBudgetNs = (d.flags() & DispatchedTask.FLAG_WAKE_DIRECT) != 0 ? t.sliceNs : 0;
        t.vtime = d.vtime();
        t.userQueued = true;    // every branch below puts it on a dispatch queue
        userQueued++;
        int cpu = d.cpu();
        if (cpu == DispatchedTask.CPU_IDLE) {
            // The BPF side's claim_idle_cpu: an idle CPU the task may use, its previous one first.
            int idle = claimIdleCpu(t);
            if (idle >= 0) {
                claimedCpus[idle >>> 6] |= 1L << idle;
                insertOnCpu(idle, t, d.vtime());
            } else {
                insertShared(t, d.vtime());
            }
        } else if (cpu == DispatchedTask.CPU_ANY) {
            insertShared(t, d.vtime());
        } else if (t.onlyCpu >= 0) {
            if (cpu != t.onlyCpu) {
                increment(BOUNCE);
            }
            insertOnCpu(t.onlyCpu, t, d.vtime());
        } else if (cpu >= 0 && cpu < nrCpus && t.mayRunOn(cpu)) {
            insertOnCpu(cpu, t, d.vtime());
        } else {
            increment(BOUNCE);
            insertShared(t, d.vtime());
        }
    }

    private void insertOnCpu(int cpu, SimTask t, long vtime) {
        t.state = SimTask.DISPATCHED;
        cpuQueues[cpu].add(t, vtime);
        kick(cpu);
    }

    private void insertShared(SimTask t, long vtime) {
        t.state = SimTask.DISPATCHED;
        sharedQueue.add(t, vtime);
        int c = kickIdleFor(t);
        if (c >= 0) {
            jlDispatch(c);
        }
    }

    private void kick(int cpu) {
        if (running[cpu] == null) {
            jlDispatch(cpu);
        }
    }

    /** jl_dispatch: a free CPU looks for work: its local FIFO, its own queue, then the shared queue. */
    private void jlDispatch(int cpu) {
        if (running[cpu] != null || (sched != null && sched.cpu == cpu)) {
            return;
        }
        SimTask t = localQueues[cpu].poll();
        if (t == null && sched != null && sched.waiting) {
            takeCpu(cpu); // the BPF side's dispatch takes the scheduling thread first when it has news
            return;
        }
        if (t == null) {
            t = cpuQueues[cpu].poll();
        }
        if (t == null) {
            t = sharedQueue.pollRunnableOn(cpu);
        }
        if (t != null) {
            jlRunning(cpu, t);
        }
    }

    /** jl_running: {@code t} starts running on {@code cpu}. */
    private void jlRunning(int cpu, SimTask t) {
        if (t.userQueued) {
            t.userQueued = false;
            userQueued--;
        }
        running[cpu] = t;
        idleCpus[cpu >>> 6] &= ~(1L << cpu);
        claimedCpus[cpu >>> 6] &= ~(1L << cpu);
        t.state = SimTask.RUNNING;
        if (costs != null) {
            costs.started(t, t.cpu, cpu, t.wakeTs >= 0);
            t.speedPermille = costs.speedOn(cpu, running);
        }
        t.cpu = cpu;
        t.startTs = now;
        t.accountedTs = now;
        counters.setOpaque(NR_RUNNING, ++nrRunning);
        taskRuns++;
        emit(TaskEventSink.KIND_RUNNING, t, cpu);
        if (t.wakeTs >= 0) {
            t.group.recordLatency(now - t.wakeTs);
            if (trace != null) {
                trace.wait(t.pid, t.wakeTs, now);
            }
            t.wakeTs = -1;
        }
        t.sliceEndTs = now + t.sliceNs;
        scheduleStop(cpu, t);
        siblingsChanged(cpu);
    }

    /** The running task's timer: the end of its slice or of its burst, whichever comes first. */
    private void scheduleStop(int cpu, SimTask t) {
        events.schedule(eventIdOf(cpu), Math.min(t.sliceEndTs, now + TopologyCosts.wallFor(t)));
    }

    /** {@code cpu} started or stopped a task: its SMT siblings' tasks change speed from now on. */
    private void siblingsChanged(int cpu) {
        if (costs == null || costs.topology().threadsPerCore() == 1) {
            return;
        }
        Topology topology = costs.topology();
        int core = topology.coreOf(cpu);
        for (int thread = 0; thread < topology.threadsPerCore(); thread++) {
            int sibling = topology.cpuOf(core, thread);
            SimTask r = running[sibling];
            if (sibling != cpu && r != null) {
                int speed = costs.speedOn(sibling, running);
                if (speed != r.speedPermille) {
                    account(r); // the work so far at the old speed
                    r.speedPermille = speed;
                    scheduleStop(sibling, r);
                }
            }
        }
    }

    /** jl_stopping: the task running on {@code cpu} stops. */
    private void jlStopping(int cpu, SimTask t) {
        if (trace != null) {
            trace.run(cpu, t.pid, t.startTs, now);
        }
        t.stopTs = now;
        t.execRuntime += now - t.startTs;
        t.unreportedNs += now - t.startTs;
        running[cpu] = null;
        idleCpus[cpu >>> 6] |= 1L << cpu;
        counters.setOpaque(NR_RUNNING, --nrRunning);
        events.cancel(eventIdOf(cpu));
        siblingsChanged(cpu);
    }

    /** Starts (a ring) or stops (null) recording every task's state changes; any thread. */
    public void recordTo(TaskEventRing ring) {
        taskEvents = ring;
    }

    /** A task's state change, to the recording when one is on (the machine's thread). */
    private void emit(int kind, SimTask t, int cpu) {
        TaskEventRing ring = taskEvents;
        if (ring != null) {
            ring.emit(kind, now, t, cpu);
        }
    }

    /** Charges the running task's CPU time since it was last accounted. */
    private void account(SimTask t) {
        accountUpTo(t, now);
    }

    private void accountUpTo(SimTask t, long until) {
        long used = until - t.accountedTs;
        if (used > 0) {
            t.remainingNs -= t.speedPermille == TopologyCosts.FULL_SPEED ? used : costs.work(t, used);
            t.group.addCpu(used);
            t.accountedTs = until;
        }
    }

    /** Would something else run on {@code cpu} if its task gave it up? */
    private boolean workWaitingFor(int cpu) {
        return !localQueues[cpu].isEmpty() || !cpuQueues[cpu].isEmpty() || queuedCount > 0 || nrPending > 0
                || dispatchedCount > 0 || sharedQueue.hasRunnableOn(cpu);
    }

    /**
     * The BPF side's idle pick for a task that wakes up ({@code scx_bpf_select_cpu_dfl}) or that user
     * space asks about (selectCpu: its pick_idle_cpu, in {@code prev}'s node with {@code inNode}).
     */
    private int selectIdleCpu(SimTask t, int prev, boolean inNode) {
        return idlePick == null || nrRunning == nrCpus ? findIdleCpu(t, prev, true)
                : idlePick.selectDefault(t.allowedMask, prev, inNode);
    }

    /** The BPF side's claim_idle_cpu for a dispatch to CPU_IDLE: the task's previous CPU first. */
    private int claimIdleCpu(SimTask t) {
        return idlePick == null || nrRunning == nrCpus ? findIdleCpu(t, t.cpu, true)
                : idlePick.claim(t.allowedMask, t.cpu, options.numaLocal());
    }

    /** The BPF side's kick_idle_for a task put on the shared queue (a claimed CPU will do). */
    private int kickIdleFor(SimTask t) {
        return idlePick == null || nrRunning == nrCpus ? findIdleCpu(t, t.cpu, false)
                : idlePick.pickIdle(t.allowedMask, t.cpu, null, false);
    }

    /**
     * An idle CPU the task may use, trying {@code prev} first, then the others in order from it;
     * with {@code unclaimedOnly} false a claimed CPU will do when no other is idle.
     */
    private int findIdleCpu(SimTask t, int prev, boolean unclaimedOnly) {
        if (nrRunning == nrCpus || (sched != null && sched.cpu >= 0 && nrRunning == nrCpus - 1)) {
            return -1; // the common case on a busy machine: no CPU to look at
        }
        if (t.onlyCpu >= 0) {
            int c = t.onlyCpu;
            long bit = 1L << c;
            return (idleCpus[c >>> 6] & bit) != 0 && (!unclaimedOnly || (claimedCpus[c >>> 6] & bit) == 0) ? c : -1;
        }
        int from = prev >= 0 && prev < nrCpus ? prev : 0;
        int c = nextIdleCpu(t.allowedMask, from, true);
        return c >= 0 || unclaimedOnly ? c : nextIdleCpu(t.allowedMask, from, false);
    }

    /**
     * The first idle CPU of {@code allowed} at or after {@code from}, wrapping around (as a scan
     * from {@code from} would find it), a word of 64 CPUs at a time; -1 if none.
     */
    private int nextIdleCpu(long[] allowed, int from, boolean unclaimedOnly) {
        return CpuBitmaps.first(idleCpus, allowed, null, unclaimedOnly ? claimedCpus : null, from, null);
    }

    private boolean anyIdleCpu() {
        return nrRunning + (sched != null && sched.cpu >= 0 ? 1 : 0) < nrCpus;
    }

    /** The kernel's watchdog: a runnable task that waited too long ends the run. */
    private boolean watchdogFired() {
        nextWatchdogCheck = now + WATCHDOG_CHECK_NS;
        long limit = options.watchdogNs();
        if (limit == 0) {
            return false;
        }
        for (SimTask t : tasks) {
            if ((t.state == SimTask.QUEUED || t.state == SimTask.DISPATCHED) && now - t.runnableSinceTs > limit) {
                exit("The watchdog ejected the scheduler: task " + t.pid + " (" + t.group.name + ") stayed runnable"
                        + " without running for " + (now - t.runnableSinceTs) / 1_000_000 + " ms, more than the "
                        + limit / 1_000_000 + " ms timeout.");
                return true;
            }
        }
        return false;
    }

    private int eventIdOf(int cpu) {
        return tasks.length + cpu;
    }

    private void increment(int counter) {
        counters.setOpaque(counter, counters.getPlain(counter) + 1);
    }
}
