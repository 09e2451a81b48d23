package org.scxjavaland.sim;

import java.util.Locale;

/**
 * How a {@link org.scxjavaland.sim.machine.SimulatedMachine} is built: CPUs, seed, pacing, duration, and the sizes and costs
 * of the simulated kernel side. Immutable; start from {@link #defaults()} or {@link #builder()}.
 *
 * <p>The defaults follow scx_rustland_core where it has a figure: 4096 records per ring, a 20 ms
 * default slice, a 5 s watchdog.
 */
public final class SimOptions {

    /** How virtual time relates to the wall clock. */
    public enum Mode {
        /** As fast as possible; never looks at the wall clock (deterministic). */
        FAST,
        /** Virtual time follows the wall clock, for a live demo. */
        PACED;

        /** Parses {@code fast} or {@code paced} (any case). */
        public static Mode parse(String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "fast": return FAST;
                case "paced": return PACED;
                default: throw new IllegalArgumentException(
                        "The simulator mode '" + text + "' is unknown: use fast or paced.");
            }
        }
    }

    /** Which idle-CPU pick the simulated BPF side makes on a machine with a topology. */
    public enum IdlePick {
        /** As the kernel's default selection: whole idle cores, then the previous CPU's LLC, node, anywhere. */
        TOPOLOGY,
        /** The first idle CPU from the previous one on, blind to SMT, LLCs and nodes (the pick of earlier versions). */
        FLAT;

        /** Parses {@code topology} or {@code flat} (any case). */
        public static IdlePick parse(String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "topology": return TOPOLOGY;
                case "flat": return FLAT;
                default: throw new IllegalArgumentException(
                        "The idle pick '" + text + "' is unknown: use topology or flat.");
            }
        }
    }

    /** Number of CPUs used when neither the options nor the workload name one. */
    public static final int DEFAULT_CPUS = 4;
    /** The most CPUs a machine may have. */
    public static final int MAX_CPUS = 1024;
    /**
     * The scheduling thread's fixed cost per round by default, in virtual ns: its wake-up or yield,
     * the context switches around it and its bookkeeping (see {@link #schedRoundNs()} for where it
     * comes from).
     */
    public static final long DEFAULT_SCHED_ROUND_NS = 12_000;
    /**
     * The scheduling thread's cost per task handled by default, in virtual ns: half of the 101 ns
     * that benchmarks/README.md measures through the connector for a task dequeued and dispatched
     * (ConnectorPath, the deadline policy, C2).
     */
    public static final long DEFAULT_SCHED_TASK_NS = 50;
    /** The most either scheduler cost may be: 10 ms (a round longer than a slice makes no sense). */
    public static final long MAX_SCHED_COST_NS = 10_000_000;

    private static final SimOptions DEFAULTS = new Builder().build();

    private final int cpus;
    private final long seed;
    private final Mode mode;
    private final long durationNs;
    private final int queuedCapacity;
    private final int dispatchedCapacity;
    private final long roundCostNs;
    private final long schedRoundNs;
    private final long schedTaskNs;
    private final long defaultSliceNs;
    private final long watchdogNs;
    private final long heartbeatNs;
    private final boolean directIdleDispatch;
    private final int traceEvents;
    private final Topology topology;
    private final IdlePick idlePick;
    private final boolean numaLocal;

    private SimOptions(Builder b) {
        cpus = b.cpus;
        seed = b.seed;
        mode = b.mode;
        durationNs = b.durationNs;
        queuedCapacity = b.queuedCapacity;
        dispatchedCapacity = b.dispatchedCapacity;
        roundCostNs = b.roundCostNs;
        schedRoundNs = b.schedRoundNs;
        schedTaskNs = b.schedTaskNs;
        defaultSliceNs = b.defaultSliceNs;
        watchdogNs = b.watchdogNs;
        heartbeatNs = b.heartbeatNs;
        directIdleDispatch = b.directIdleDispatch;
        traceEvents = b.traceEvents;
        topology = b.topology;
        idlePick = b.idlePick;
        numaLocal = b.numaLocal;
    }

    /** Every option at its default. */
    public static SimOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }


    /** CPUs of the machine; 0 means the workload's {@code cpus}, else {@value #DEFAULT_CPUS}. */
    public int cpus() { return cpus; }
    /** Seed of every random choice of the machine (default 1). */
    public long seed() { return seed; }
    public Mode mode() { return mode; }
    /** Virtual ns after which the machine exits; 0 runs forever. */
    public long durationNs() { return durationNs; }
    /** Records the {@code queued} ring holds (default 4096); when full, the kernel side dispatches by itself. */
    public int queuedCapacity() { return queuedCapacity; }
    /** Records the {@code dispatched} ring holds (default 4096); when full, dispatch() returns false. */
    public int dispatchedCapacity() { return dispatchedCapacity; }
    /**
     * Virtual ns one round of a free user-space scheduler lasts while it has work (default 2000):
     * used only when {@link #schedRoundNs()} and {@link #schedTaskNs()} are both 0, when the
     * scheduling thread is not modelled as occupying a CPU.
     */
    public long roundCostNs() { return roundCostNs; }
    /**
     * The fixed part of a round of the scheduling thread, in virtual ns, during which it occupies a
     * CPU (default {@value #DEFAULT_SCHED_ROUND_NS}). A round costs {@code schedRoundNs +
     * schedTaskNs × tasks handled} (records dequeued plus dispatched) and its dispatches reach the
     * kernel side only when that time has passed. The default comes from the BPF link in the VM lab:
     * the scheduling thread's CPU time per round (BpfSmokeMain cpu-idle: 222 µs under qemu TCG, 3.7
     * records a round) divided by how much slower TCG ran the same Java code (SimulatorSpeed: 15 to
     * 20 times), about 12 µs; see bundles/sim/README.md. Both costs 0: the scheduler
     * is free and needs no CPU (each round then lasts {@link #roundCostNs()}), as before it was
     * modelled.
     */
    public long schedRoundNs() { return schedRoundNs; }
    /** The part of a round of the scheduling thread per task handled, in virtual ns (default {@value #DEFAULT_SCHED_TASK_NS}); see {@link #schedRoundNs()}. */
    public long schedTaskNs() { return schedTaskNs; }
    /** True when the scheduling thread occupies a CPU and its rounds cost time (either cost not 0). */
    public boolean schedulerOnCpus() { return schedRoundNs > 0 || schedTaskNs > 0; }
    /** Slice of a dispatch with slice 0 and of the kernel side's own dispatches (default 20 ms). */
    public long defaultSliceNs() { return defaultSliceNs; }
    /** A runnable task left waiting longer than this ends the simulation, as the kernel's watchdog would; 0 = off (default 5 s). */
    public long watchdogNs() { return watchdogNs; }
    /** Longest virtual jump of an idle round, like the BPF side's heartbeat timer (default 100 ms). */
    public long heartbeatNs() { return heartbeatNs; }
    /**
     * When true, a waking task that finds an idle CPU (and an empty shared queue) is dispatched
     * there by the kernel side without going to user space, like scx_rustland_core's built-in
     * idle selection. Default false: user space sees every wakeup.
     */
    public boolean directIdleDispatch() { return directIdleDispatch; }

    /**
     * How many events the machine's timeline keeps (the first ones: task runs per CPU, wake-to-run
     * waits, policy activations), see {@link org.scxjavaland.sim.machine.SimulatedMachine#writeTrace}. Default 0: no timeline.
     */
    public int traceEvents() { return traceEvents; }

    /** The machine's topology, or null for the workload's (and a flat machine when it has none). */
    public Topology topology() { return topology; }

    /** The idle pick on a machine with a topology (default {@link IdlePick#TOPOLOGY}); a flat machine has only one. */
    public IdlePick idlePick() { return idlePick; }

    /**
     * The BPF side's {@code numa_local}: its selectCpu stays in the task's previous node; its claim of
     * an idle CPU for a dispatch to CPU_IDLE looks there first (then anywhere); its wake-up pick, the
     * kernel's default selection, looks in the node before anywhere with or without it. Only with the
     * {@link IdlePick#TOPOLOGY topology} pick. Default false.
     */
    public boolean numaLocal() { return numaLocal; }

    @Override
    public String toString() {
        return "cpus=" + (cpus == 0 ? "workload's" : Integer.toString(cpus)) + ", seed=" + seed
                + ", mode=" + mode.name().toLowerCase(Locale.ROOT) + ", duration="
                + (durationNs == 0 ? "forever" : (durationNs / 1_000_000) + " ms")
                + (topology == null ? "" : ", topology=" + topology)
                + (idlePick == IdlePick.TOPOLOGY ? "" : ", idle pick=flat") + (numaLocal ? ", numa_local" : "")
                + ", scheduler=" + (schedulerOnCpus() ? schedRoundNs + " ns/round + " + schedTaskNs + " ns/task" : "free");
    }

    /** Builds {@link SimOptions}; {@link #build()} checks every value. */
    public static final class Builder {
        private int cpus;
        private long seed = 1;
        private Mode mode = Mode.FAST;
        private long durationNs;
        private int queuedCapacity = 4096;
        private int dispatchedCapacity = 4096;
        private long roundCostNs = 2_000;
        private long schedRoundNs = DEFAULT_SCHED_ROUND_NS;
        private long schedTaskNs = DEFAULT_SCHED_TASK_NS;
        private long defaultSliceNs = 20_000_000;
        private long watchdogNs = 5_000_000_000L;
        private long heartbeatNs = 100_000_000;
        private boolean directIdleDispatch;
        private int traceEvents;
        private Topology topology;
        private IdlePick idlePick = IdlePick.TOPOLOGY;
        private boolean numaLocal;

        private Builder() {
        }

        public Builder cpus(int cpus) { this.cpus = cpus; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder mode(Mode mode) { this.mode = mode; return this; }
        public Builder durationNs(long ns) { this.durationNs = ns; return this; }
        public Builder durationMs(long ms) { this.durationNs = Math.multiplyExact(ms, 1_000_000L); return this; }
        public Builder queuedCapacity(int records) { this.queuedCapacity = records; return this; }
        public Builder dispatchedCapacity(int records) { this.dispatchedCapacity = records; return this; }
        public Builder roundCostNs(long ns) { this.roundCostNs = ns; return this; }
        public Builder schedRoundNs(long ns) { this.schedRoundNs = ns; return this; }
        public Builder schedTaskNs(long ns) { this.schedTaskNs = ns; return this; }
        /** Both scheduler costs 0: the scheduling thread is free and needs no CPU. */
        public Builder freeScheduler() { return schedRoundNs(0).schedTaskNs(0); }
        public Builder defaultSliceNs(long ns) { this.defaultSliceNs = ns; return this; }
        public Builder watchdogNs(long ns) { this.watchdogNs = ns; return this; }
        public Builder heartbeatNs(long ns) { this.heartbeatNs = ns; return this; }
        public Builder directIdleDispatch(boolean on) { this.directIdleDispatch = on; return this; }
        public Builder traceEvents(int events) { this.traceEvents = events; return this; }
        /** The machine's topology (null: the workload's); its CPUs become the machine's when cpus is 0. */
        public Builder topology(Topology topology) { this.topology = topology; return this; }
        public Builder idlePick(IdlePick pick) { this.idlePick = pick; return this; }
        public Builder numaLocal(boolean on) { this.numaLocal = on; return this; }

        /** @throws IllegalArgumentException with one sentence naming the bad option */
        public SimOptions build() {
            check(cpus >= 0 && cpus <= MAX_CPUS, "cpus is " + cpus + ": use 1.." + MAX_CPUS + ", or 0 for the workload's");
            check(mode != null, "mode is missing: use fast or paced");
            check(durationNs >= 0, "duration is negative: use 0 (forever) or a positive time");
            check(queuedCapacity >= 1, "the queued ring capacity is " + queuedCapacity + ": use at least 1 record");
            check(dispatchedCapacity >= 1, "the dispatched ring capacity is " + dispatchedCapacity + ": use at least 1 record");
            check(roundCostNs >= 1, "the round cost is " + roundCostNs + " ns: use at least 1 ns");
            check(schedRoundNs >= 0 && schedRoundNs <= MAX_SCHED_COST_NS, "the scheduler's cost per round is "
                    + schedRoundNs + " ns: use 0 to " + MAX_SCHED_COST_NS + " ns");
            check(schedTaskNs >= 0 && schedTaskNs <= MAX_SCHED_COST_NS, "the scheduler's cost per task is "
                    + schedTaskNs + " ns: use 0 to " + MAX_SCHED_COST_NS + " ns");
            check(defaultSliceNs >= 1, "the default slice is " + defaultSliceNs + " ns: use at least 1 ns");
            check(watchdogNs >= 0, "the watchdog timeout is negative: use 0 (off) or a positive time");
            check(traceEvents >= 0, "the timeline's capacity is " + traceEvents + ": use 0 (none) or more events");
            check(heartbeatNs >= 1, "the heartbeat is " + heartbeatNs + " ns: use at least 1 ns");
            check(idlePick != null, "the idle pick is missing: use topology or flat");
            if (topology != null) {
                check(cpus == 0 || cpus == topology.cpus(), "cpus is " + cpus + " but the topology " + topology
                        + " has " + topology.cpus() + " CPUs: give the same count or only the topology");
                cpus = topology.cpus();
            }
            return new SimOptions(this);
        }

        private static void check(boolean ok, String problem) {
            if (!ok) {
                throw new IllegalArgumentException("Simulator option: " + problem + ".");
            }
        }
    }
}
