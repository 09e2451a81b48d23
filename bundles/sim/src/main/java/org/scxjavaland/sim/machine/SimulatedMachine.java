package org.scxjavaland.sim.machine;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.TaskEventSource;
import org.scxjavaland.sim.internal.MachineCore;
import org.scxjavaland.sim.internal.Population;
import org.scxjavaland.sim.internal.SimConfig;
import org.scxjavaland.sim.internal.TaskEventRing;
import org.scxjavaland.sim.Simulator;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.HeldTasks;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.Topology;
import org.scxjavaland.sim.WorkloadException;

/**
 * A simulated machine that plays the kernel and the BPF side of scx_javaland: N virtual CPUs,
 * a virtual clock in ns, the tasks of a {@link Workload}, and the same records, fields and
 * counters as the real BPF side, so a policy cannot tell the difference. Deterministic in
 * {@link SimOptions.Mode#FAST fast} mode: the same workload, options, seed and policy give the
 * same {@link SimReport}.
 *
 * <h2>Round model</h2>
 * The connector's scheduling thread loops: dequeue every queued record, let the policy dispatch,
 * then call {@link #notifyComplete(long) notifyComplete(nrPending)}. The machine does all its
 * work inside notifyComplete.
 *
 * <p><b>The scheduling thread on a CPU</b> (the default; {@link SimOptions#schedRoundNs()} or
 * {@link SimOptions#schedTaskNs()} not 0), as the BPF side runs it: a round occupies a CPU for
 * {@code schedRoundNs + schedTaskNs × records handled} (dequeued plus dispatched) of virtual time,
 * during which the other CPUs run on; then its dispatches reach the kernel side. It keeps its CPU
 * while it has work right away (unless a kernel thread waits for that CPU, or the users' tasks
 * queued to it have waited 10 ms), else it leaves it and the clock jumps to the next event (at most
 * {@link SimOptions#heartbeatNs()} ahead). Before the next round it needs a CPU again: an idle one
 * at once; when none is idle and a task that woke was queued to it, it preempts the task running
 * on that task's CPU (which goes back through user space); else it waits, event by event, for the
 * next CPU that looks for work. Its rounds, records, CPU time and preemptions are
 * {@link SimReport#scheduler()}.
 *
 * <p><b>A free scheduling thread</b> (both costs 0, how the machine worked before), in three steps:
 * <ol>
 * <li><b>The round's cost.</b> If user space did something this round (dequeued or dispatched)
 *     or still has work (records queued, or tasks pending while a CPU is idle), the round costs
 *     {@link SimOptions#roundCostNs()} of virtual time (2 µs by default): the clock advances by
 *     that much, running every event due meanwhile (CPUs keep running their tasks; the
 *     scheduler's own thread is not modelled as occupying a CPU). So a policy that dispatches one
 *     task per round is not infinitely fast, and the minimum wake-to-run latency through user
 *     space is one round.</li>
 * <li><b>Delivery.</b> The records dispatched this round reach the kernel side: each is
 *     cancelled, bounced or put on its dispatch queue, and idle CPUs start running at once.</li>
 * <li><b>Waiting.</b> If user space has nothing to do now (no queued record, and no pending task
 *     with an idle CPU to run it), the clock jumps straight to the next event (a wakeup, a slice
 *     end, a period), at most {@link SimOptions#heartbeatNs()} ahead, as the BPF side's heartbeat
 *     would wake the scheduler. Otherwise notifyComplete returns at once for the next round.</li>
 * </ol>
 * With a queue depth ({@link #queueBudget}), a CPU whose task stops while user space has news
 * (records queued to it, or tasks held while the queues are below the budget) waits for the next
 * round's dispatches before it takes a queued task, as the BPF side runs the scheduling thread
 * first then: the policy chooses, at the cost of a round.
 * In paced mode the clock follows the wall clock: when virtual time gets more than 1 ms ahead,
 * notifyComplete sleeps until the wall clock catches up, or until {@link #wakeup()}. When the
 * duration is reached, {@link #exited()} becomes true and {@link #exitReason()} says so.
 *
 * <h2>Threads</h2>
 * {@link #dequeue}, {@link #dispatch}, {@link #selectCpu} and {@link #notifyComplete} belong to
 * one scheduling thread and allocate nothing once warm. {@link #now()}, {@link #counters()},
 * {@link #report()}, {@link #exited()}, {@link #wakeup()}, {@link #setBypass},
 * {@link #loadWorkload} and {@link #shutDown} may be called from any thread: counters and clock
 * are published with opaque writes, without locks on the scheduling path.
 *
 * <p>The machine is flat (CPUs all alike) unless the options or the workload give it a
 * {@link Topology}: SMT siblings, LLCs and NUMA nodes, the kernel's idle selection on them, and a
 * small cost model (a sibling's slowdown, cache refills) whose figures the report shows.
 *
 * <p>Kernel-side behaviour in detail: see {@link org.scxjavaland.sim.internal.MachineCore}
 * (queueing, cancel, bounce, congestion, kthreads, bypass, per-CPU and shared queues ordered by
 * vtime, slice refill, the watchdog).
 */
public final class SimulatedMachine implements KernelLink, Simulator {

    /** Enqueue flag set on the record of a task that woke up (SCX_ENQ_WAKEUP); 0 after a preemption. */
    public static final long ENQ_WAKEUP = MachineCore.ENQ_WAKEUP;

    /** Pid of the first task of the first workload. */
    private static final int FIRST_PID = 1000;
    /** How far virtual time may run ahead of the wall clock in paced mode before sleeping. */
    private static final long PACE_SLACK_NS = 1_000_000L;
    /** When paced virtual time falls this far behind (a long pause), it stops trying to catch up. */
    private static final long PACE_GIVE_UP_NS = 1_000_000_000L;

    private final SimOptions options;
    private final int nrCpus;
    private final MachineCore core;
    private final Object recordingLock = new Object();
    private TaskEventRing recording;
    private final boolean paced;
    private final long durationEnd;

    /** A workload waiting to be installed at the next round boundary. */
    private final AtomicReference<Population> pendingWorkload = new AtomicReference<>();
    /** Guards pid allocation and generation counting of loadWorkload. */
    private final Object loadLock = new Object();
    private int nextPidBase;
    private int generation;

    private volatile boolean woken;
    private volatile Thread sleeper;
    private long wallOrigin;
    private long virtualOrigin;
    private boolean paceStarted;

    /**
     * Builds, without running it, the machine that the simulator's component builds from its
     * configuration (PID {@code org.scxjavaland.sim}): what is wrong with it is said as the component
     * would say it.
     *
     * @throws WorkloadException when the workload is unknown, malformed or does not fit the machine
     * @throws IllegalArgumentException when an option is out of its range
     */
    public static SimulatedMachine fromConfiguration(Map<String, ?> properties) throws WorkloadException {
        SimConfig config = SimConfig.from(properties);
        return new SimulatedMachine(config.workload(), config.options());
    }

    /**
     * Builds a machine running {@code workload}.
     *
     * @throws WorkloadException when the workload does not fit the machine (an affinity naming a
     *     CPU it lacks, too many tasks)
     */
    public SimulatedMachine(Workload workload, SimOptions options) throws WorkloadException {
        this.options = Objects.requireNonNull(options, "options");
        Objects.requireNonNull(workload, "workload");
        this.nrCpus = workload.machineCpus(options.cpus());
        this.core = new MachineCore(options, topologyOf(workload, options, nrCpus));
        this.paced = options.mode() == SimOptions.Mode.PACED;
        this.durationEnd = options.durationNs();
        Population first = Population.build(workload, nrCpus, FIRST_PID, options.seed());
        this.nextPidBase = nextBase(first);
        core.install(first);
    }

    /**
     * The options' topology, else the workload's, else a flat machine of {@code cpus} CPUs.
     *
     * @throws WorkloadException when the workload's topology has another number of CPUs than the options give
     */
    private static Topology topologyOf(Workload workload, SimOptions options, int cpus) throws WorkloadException {
        if (options.topology() != null) {
            return options.topology();
        }
        Topology declared = workload.topology();
        if (declared == null) {
            return Topology.flat(cpus);
        }
        if (declared.cpus() != cpus) {
            throw new WorkloadException(workload.source() + " declares a topology of " + declared.cpus()
                    + " CPUs, but the machine is to have " + cpus + ": give no CPU count, or a topology of " + cpus
                    + " CPUs too.");
        }
        return declared;
    }

    /** A machine with default options running {@code workload}. */
    public SimulatedMachine(Workload workload) throws WorkloadException {
        this(workload, SimOptions.defaults());
    }

    // ---------------------------------------------------------------- KernelLink

    @Override
    public String kind() {
        return "sim";
    }

    @Override
    public int nrCpus() {
        return nrCpus;
    }

    @Override
    public long now() {
        return core.publishedNow();
    }

    @Override
    public boolean dequeue(QueuedTask into) {
        return core.dequeue(into);
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        return core.dispatch(task);
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        return core.selectCpu(pid, prevCpu, flags);
    }

    @Override
    public long queuedInKernel() {
        return core.queuedInKernel();
    }

    @Override
    public void queueBudget(long tasks) {
        core.queueBudget(tasks);
    }

    @Override
    public void notifyComplete(long nrPending) {
        if (core.exited()) {
            core.settle(); // the report has the running tasks' CPU time up to the last round
            return;
        }
        if (pendingWorkload.get() != null) {
            core.install(pendingWorkload.getAndSet(null));
        }
        core.beginRound(nrPending);
        if (core.schedulerOnCpus()) {
            roundOnACpu();
            return;
        }
        if (core.roundHadWork()) {
            advance(core.now() + options.roundCostNs());
            if (core.exited()) {
                core.settle();
                return;
            }
        }
        core.drainDispatched();
        if (!core.userSpaceHasWork()) {
            long next = core.nextEventTime();
            long heartbeat = core.now() + options.heartbeatNs();
            advance(Math.min(next, heartbeat));
        }
        core.endRound();
    }

    /**
     * A round of a scheduling thread that occupies a CPU: it costs its time on that CPU, then its
     * dispatches reach the kernel side; it keeps the CPU while it has work right away, else it rests
     * until the next event; with work again it must get a CPU before the next round starts.
     */
    private void roundOnACpu() {
        if (core.roundTasks() > 0 || core.schedulerHasCpu()) {
            awaitSchedulerCpu(); // it has one already, unless it was handed tasks while resting
            long start = core.now();
            if (!core.exited()) {
                advance(start + core.schedulerRoundNs());
            }
            core.schedulerRan(core.now() - start);
            if (core.exited()) {
                core.settle();
                return;
            }
        }
        core.drainDispatched();
        if (!core.userSpaceHasWork()) {
            core.schedulerRests();
            advance(Math.min(core.nextEventTime(), core.now() + options.heartbeatNs()));
        } else if (!core.schedulerMayStay()) {
            core.schedulerRests(); // a kernel thread, or users' tasks waiting too long, take its CPU first
        }
        if (core.userSpaceHasWork() || core.schedulerHasCpu()) {
            awaitSchedulerCpu();
        }
        core.endRound();
    }

    /** Runs the machine until the scheduling thread has a CPU (or the machine stops). */
    private void awaitSchedulerCpu() {
        core.schedulerWantsCpu();
        while (!core.schedulerHasCpu() && !core.exited()) {
            // One event at a time: a CPU that frees up, or a wakeup that lets it preempt one.
            advance(Math.min(core.nextEventTime(), core.now() + options.heartbeatNs()));
            core.schedulerWantsCpu();
        }
    }

    @Override
    public void wakeup() {
        woken = true;
        Thread t = sleeper;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public boolean exited() {
        return core.exited();
    }

    @Override
    public void policyActivated(String policy) {
        core.markPolicy(policy);
    }

    /**
     * Writes the machine's timeline (see {@link SimOptions#traceEvents()}) to {@code file} in the
     * Trace Event Format; call it once the machine has stopped. The runs still going end at the
     * machine's last time.
     *
     * @return the number of events written (0 and no file when the options keep no timeline)
     */
    public int writeTrace(java.nio.file.Path file) throws java.io.IOException {
        org.scxjavaland.sim.internal.SimTrace trace = core.trace();
        if (trace == null) {
            return 0;
        }
        core.traceRunningTasks();
        trace.write(file, nrCpus, "scx_javaland simulated machine: " + workloadName() + ", " + options);
        return trace.recorded();
    }

    @Override
    public String exitReason() {
        return core.exitReason();
    }

    /**
     * Records every task's state changes as the BPF side does on a real kernel (the same records,
     * on the virtual clock), for {@code --record} on the simulated machine. Off until asked: the
     * machine then writes nothing more.
     */
    @Override
    public TaskEventSource recordTaskEvents() {
        synchronized (recordingLock) {
            if (recording != null) {
                throw new IllegalStateException("A recording of task events is already on.");
            }
            TaskEventRing ring = new TaskEventRing(() -> {
                core.recordTo(null);
                synchronized (recordingLock) {
                    recording = null;
                }
            });
            recording = ring;
            core.recordTo(ring);
            return ring;
        }
    }

    @Override
    public LinkCounters counters() {
        return core.counters();
    }

    @Override
    public void setBypass(boolean bypass) {
        core.setBypass(bypass);
    }

    // ---------------------------------------------------------------- Simulator

    @Override
    public String workloadName() {
        Population pending = pendingWorkload.get();
        return (pending != null ? pending : core.population()).workloadName();
    }

    @Override
    public long virtualTimeNs() {
        return core.publishedNow();
    }

    @Override
    public SimReport report() {
        Population p = core.population();
        synchronized (p) { // the figures, the clock and the moment they start from, as one
            long at = core.publishedNow();
            return new SimReport(p.workloadName(), nrCpus, options.seed(), Math.max(0, at - p.startNs()),
                    p.report(at, nrCpus), core.counters(), core.taskRuns() - p.runsAtStart(), p.recorded(),
                    core.topologyFigures(), p.schedulerSince(core.schedulerTotals()));
        }
    }

    @Override
    public HeldTasks heldTasks() {
        return core.heldTasks();
    }

    @Override
    public SimOptions options() {
        return options;
    }

    @Override
    public void loadWorkload(String nameOrPath) throws WorkloadException {
        loadWorkload(Workload.load(nameOrPath));
    }

    /**
     * Switches to {@code workload} at the next round boundary (see {@link Simulator#loadWorkload(String)}).
     * Its {@code cpus} is ignored: the machine keeps its CPUs.
     *
     * @throws WorkloadException when it does not fit this machine; the old workload keeps running
     */
    public void loadWorkload(Workload workload) throws WorkloadException {
        synchronized (loadLock) {
            long seed = options.seed() + 0x9E3779B97F4A7C15L * (generation + 1);
            Population next = Population.build(workload, nrCpus, nextPidBase, seed);
            generation++;
            nextPidBase = nextBase(next);
            pendingWorkload.set(next);
        }
        wakeup();
    }

    // ---------------------------------------------------------------- more

    /** Stops the machine: {@link #exited()} becomes true with {@code reason} (any thread). */
    public void shutDown(String reason) {
        core.exit(reason);
        wakeup();
    }

    /** Times a task was put on a CPU since the machine started (as of the last round). */
    public long taskRuns() {
        return core.taskRuns();
    }

    /** Timer events (wakeups, slice ends, periods) processed since the machine started. */
    public long eventsProcessed() {
        return core.events();
    }

    @Override
    public String toString() {
        return "SimulatedMachine[" + workloadName() + ", " + nrCpus + " CPUs, " + options + "]";
    }

    /** Advances the clock to {@code target}, bounded by the duration, paced if asked. */
    private void advance(long target) {
        if (durationEnd > 0 && target > durationEnd) {
            target = durationEnd;
        }
        if (paced) {
            target = pace(target);
        }
        core.advanceTo(target);
        if (durationEnd > 0 && core.now() >= durationEnd) {
            core.exit("The simulation reached its duration of " + durationEnd / 1_000_000 + " ms of virtual time.");
        }
    }

    /**
     * Paced mode: sleeps until the wall clock reaches {@code target} when virtual time would be
     * ahead by more than the slack; returns the time to advance to (earlier when woken up).
     */
    private long pace(long target) {
        long wallNow = System.nanoTime();
        if (!paceStarted) {
            paceStarted = true;
            wallOrigin = wallNow;
            virtualOrigin = core.now();
        }
        long behind = (wallNow - wallOrigin) - (core.now() - virtualOrigin);
        if (behind > PACE_GIVE_UP_NS) {
            wallOrigin += behind; // after a long pause, follow the wall clock from here on
        }
        long wallDeadline = wallOrigin + (target - virtualOrigin);
        if (wallDeadline - wallNow <= PACE_SLACK_NS) {
            return target;
        }
        sleeper = Thread.currentThread();
        try {
            while (!woken && !core.exited()) {
                long left = wallDeadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            sleeper = null;
        }
        if (woken) {
            woken = false;
            long reached = virtualOrigin + (System.nanoTime() - wallOrigin);
            return Math.max(core.now(), Math.min(target, reached));
        }
        return target;
    }

    private static int nextBase(Population p) {
        // Leave a gap and round up, so the pids of successive workloads are easy to tell apart.
        return ((p.nextPidBase() + 1000) / 1000) * 1000;
    }
}
