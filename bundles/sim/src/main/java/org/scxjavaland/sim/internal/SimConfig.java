package org.scxjavaland.sim.internal;

import java.util.Map;

import org.scxjavaland.api.ConfigurationKeys;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.Topology;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.sim.WorkloadException;

/**
 * The simulator's configuration (PID {@code org.scxjavaland.sim}) read from ConfigAdmin
 * properties: {@code workload} (a built-in name, a workload file, or {@code trace:FILE}), {@code cpus}
 * (default: the workload's, a trace's CPUs), {@code seed}, {@code mode}, {@code duration_ms} (default:
 * forever, a trace's duration), for a timeline {@code trace_file} (written when the machine stops)
 * and {@code trace_events} (its cap), and for the machine's shape {@code topology} (see
 * {@link Topology}), {@code idle_pick} (topology or flat) and {@code numa_local} (true or false), and
 * the scheduling thread's cost {@code sched_round_ns} and {@code sched_task_ns} (both 0: free).
 * Values may be strings (from a .cfg file) or numbers. A bad value is one sentence.
 *
 * @param workload the loaded workload
 * @param options options with the effective number of CPUs
 * @param traceFile where the machine's timeline goes when it stops, or null for none
 */
public record SimConfig(Workload workload, SimOptions options, String traceFile) {

    public static final String PID = "org.scxjavaland.sim";
    /**
     * The layer over {@link #PID}: what this run's command line (and the shell's scx:workload) set.
     * Its values win over etc/org.scxjavaland.sim.cfg, also when that file is edited while the host
     * runs: fileinstall replaces the file's configuration as a whole, and would otherwise drop them.
     */
    public static final String OVERRIDE_PID = PID + ".override";
    /** Every key {@link #from} reads. */
    public static final java.util.List<String> KEYS = ConfigurationKeys.of(SimulatorConfig.class);

    /** The parts that need a new machine when they change. */
    public record MachineShape(int cpus, long seed, SimOptions.Mode mode, long durationNs, String traceFile,
            int traceEvents, Topology topology, SimOptions.IdlePick idlePick, boolean numaLocal, long schedRoundNs,
            long schedTaskNs) {
    }

    /**
     * Reads the properties and loads the workload.
     *
     * @throws IllegalArgumentException for a bad option value (one sentence)
     * @throws WorkloadException for an unknown or malformed workload (one sentence)
     */
    public static SimConfig from(Map<String, ?> props) throws WorkloadException {
        String workloadName = text(props, "workload", SimulatorConfig.WORKLOAD_DEFAULT);
        long cpus = number(props, "cpus", 0, 1, SimOptions.MAX_CPUS,
                "a whole number of CPUs from 1 to " + SimOptions.MAX_CPUS + " (or no value for the workload's)");
        long seed = number(props, "seed", SimulatorConfig.SEED_DEFAULT, Long.MIN_VALUE, Long.MAX_VALUE, "a whole number");
        String modeText = text(props, "mode", SimulatorConfig.MODE_DEFAULT);
        SimOptions.Mode mode;
        try {
            mode = SimOptions.Mode.parse(modeText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": mode is '" + modeText + "', expected fast or paced.");
        }
        long durationMs = number(props, "duration_ms", -1, 0, Long.MAX_VALUE / 1_000_000,
                "a number of virtual milliseconds (0 runs forever)");
        String traceFile = text(props, "trace_file", null);
        long traceEvents = number(props, "trace_events", SimulatorConfig.TRACE_EVENTS_DEFAULT, 1,
                SimulatorConfig.TRACE_EVENTS_MAX, "a number of timeline events from 1 to " + SimulatorConfig.TRACE_EVENTS_MAX);
        String topologyText = text(props, "topology", null);
        Topology topology;
        try {
            topology = topologyText == null ? null : Topology.parse(topologyText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage());
        }
        String pickText = text(props, "idle_pick", SimulatorConfig.IDLE_PICK_DEFAULT);
        SimOptions.IdlePick pick;
        try {
            pick = SimOptions.IdlePick.parse(pickText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": idle_pick is '" + pickText + "', expected topology or flat.");
        }
        String numaText = text(props, "numa_local", Boolean.toString(SimulatorConfig.NUMA_LOCAL_DEFAULT));
        if (!numaText.equalsIgnoreCase("true") && !numaText.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(PID + ": numa_local is '" + numaText + "', expected true or false.");
        }
        long schedRoundNs = number(props, "sched_round_ns", SimOptions.DEFAULT_SCHED_ROUND_NS, 0,
                SimOptions.MAX_SCHED_COST_NS, "a number of virtual ns from 0 to " + SimOptions.MAX_SCHED_COST_NS);
        long schedTaskNs = number(props, "sched_task_ns", SimOptions.DEFAULT_SCHED_TASK_NS, 0,
                SimOptions.MAX_SCHED_COST_NS, "a number of virtual ns from 0 to " + SimOptions.MAX_SCHED_COST_NS);
        Workload workload = Workload.load(workloadName);
        SimOptions options = builder(workload, (int) cpus, seed, mode, durationMs, traceFile == null ? 0 : (int) traceEvents,
                topology).idlePick(pick).numaLocal(Boolean.parseBoolean(numaText)).schedRoundNs(schedRoundNs)
                .schedTaskNs(schedTaskNs).build();
        return new SimConfig(workload, options, traceFile);
    }

    /** As {@link #builder}, on a flat machine. */
    static SimOptions options(Workload workload, int cpus, long seed, SimOptions.Mode mode, long durationMs,
            int traceEvents) {
        return builder(workload, cpus, seed, mode, durationMs, traceEvents, null).build();
    }

    /**
     * The machine's options for {@code workload}: its CPUs unless {@code cpus} (0: not set) or a
     * topology says, and unless {@code durationMs} (-1: not set) says, a replayed trace runs as long
     * as it was recorded and anything else forever.
     */
    private static SimOptions.Builder builder(Workload workload, int cpus, long seed, SimOptions.Mode mode, long durationMs,
            int traceEvents, Topology topology) {
        long durationNs = durationMs >= 0 ? durationMs * 1_000_000 : workload.durationNs();
        int effectiveCpus = topology != null && cpus == 0 ? topology.cpus() : workload.machineCpus(cpus);
        return SimOptions.builder().cpus(effectiveCpus).seed(seed).mode(mode).durationNs(durationNs)
                .traceEvents(traceEvents).topology(topology);
    }

    public MachineShape shape() {
        return new MachineShape(options.cpus(), options.seed(), options.mode(), options.durationNs(), traceFile,
                options.traceEvents(), options.topology() != null ? options.topology() : workload.topology(),
                options.idlePick(), options.numaLocal(), options.schedRoundNs(), options.schedTaskNs());
    }

    private static String text(Map<String, ?> props, String key, String absent) {
        Object v = props.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            return absent;
        }
        return String.valueOf(v).trim();
    }

    private static long number(Map<String, ?> props, String key, long absent, long min, long max, String expected) {
        String t = text(props, key, null);
        if (t == null) {
            return absent;
        }
        try {
            long v = Long.parseLong(t);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PID + ": " + key + " is '" + t + "', expected " + expected + ".");
    }
}
