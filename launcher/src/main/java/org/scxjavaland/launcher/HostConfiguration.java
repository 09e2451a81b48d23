package org.scxjavaland.launcher;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the command line maps onto the ConfigAdmin PIDs of the host's components.
 *
 * <p>Precedence, lowest first: the components' own defaults, the launcher's defaults for a live
 * host ({@link #hostDefaults}: only where etc/ says nothing), the etc/*.cfg files, then the options
 * given on the command line ({@link #fromCommandLine}: only those actually given). The simulator's
 * options go into a PID of their own ({@link #SIM_OVERRIDE_PID}), so that they still win after its
 * .cfg file is edited while the host runs.
 */
final class HostConfiguration {

    static final String CONNECTOR_PID = "org.scxjavaland.connector";
    static final String DEADLINE_PID = "org.scxjavaland.policy.deadline";
    static final String SIM_PID = "org.scxjavaland.sim";
    /**
     * The simulator's layer over {@link #SIM_PID}: the command line's options go there, so that an
     * edit of etc/org.scxjavaland.sim.cfg while the host runs (which replaces that PID's properties
     * as a whole) keeps them: the simulator reads both, this one winning.
     */
    static final String SIM_OVERRIDE_PID = SIM_PID + ".override";
    /** The BPF link's options (configured only when the BPF backend runs: the link loads once it is). */
    static final String BPF_PID = "org.scxjavaland.bpf";
    /** The recorder's options (bundles/recorder: it records only once this PID is configured). */
    static final String RECORDER_PID = "org.scxjavaland.recorder";

    /** The service property naming a kernel link's kind (KernelLink.KIND, which the launcher does not load). */
    static final String LINK_KIND = "scx.link.kind";

    static final String BACKEND = "backend";
    static final String POLICY = "policy";
    static final String WORKLOAD = "workload";
    /** The simulator's mode in a live host, where nothing says otherwise (its component alone runs fast). */
    static final String LIVE_SIM_MODE = "paced";

    private HostConfiguration() {
    }

    /** PID -> property -> value, for every option given on the command line. */
    static Map<String, Map<String, Object>> fromCommandLine(Options options) {
        Map<String, Map<String, Object>> pids = new LinkedHashMap<>();
        Map<String, Object> connector = pid(pids, CONNECTOR_PID);
        putIfGiven(options, "--policy", connector, POLICY, options.policy());
        putIfGiven(options, "--queue-depth", connector, "queue_depth", options.queueDepth());

        Map<String, Object> deadline = pid(pids, DEADLINE_PID);
        putIfGiven(options, "--slice-us", deadline, "slice_us", options.sliceUs());
        putIfGiven(options, "--slice-us-min", deadline, "slice_us_min", options.sliceUsMin());
        putIfGiven(options, "--percpu-local", deadline, "percpu_local", options.percpuLocal());

        // The BPF link's own; the simulated machine takes numa_local too (below).
        Map<String, Object> bpf = pid(pids, BPF_PID);
        putIfGiven(options, "--slice-us-min", bpf, "slice_us_min", options.sliceUsMin());
        putIfGiven(options, "--partial", bpf, "partial", options.partial());
        putIfGiven(options, "--numa-local", bpf, "numa_local", options.numaLocal());
        putIfGiven(options, "--exit-dump-len", bpf, "exit_dump_len", options.exitDumpLen());
        putIfGiven(options, "--verbose", bpf, "verbose", options.verbose());

        Map<String, Object> sim = pid(pids, SIM_OVERRIDE_PID);
        putIfGiven(options, "--workload", sim, WORKLOAD, options.workload());
        putIfGiven(options, "--sim-cpus", sim, "cpus", options.simCpus());
        putIfGiven(options, "--sim-seed", sim, "seed", options.simSeed());
        putIfGiven(options, "--sim-mode", sim, "mode", options.simMode().name().toLowerCase(Locale.ROOT));
        putIfGiven(options, "--sim-duration-ms", sim, "duration_ms", options.simDurationMs());
        putIfGiven(options, "--sim-topology", sim, "topology", options.simTopology());
        putIfGiven(options, "--sim-idle-pick", sim, "idle_pick",
                options.simIdlePick() == null ? null : options.simIdlePick().name().toLowerCase(Locale.ROOT));
        putIfGiven(options, "--numa-local", sim, "numa_local", options.numaLocal());
        putIfGiven(options, "--sim-sched-round-ns", sim, "sched_round_ns", options.simSchedRoundNs());
        putIfGiven(options, "--sim-sched-task-ns", sim, "sched_task_ns", options.simSchedTaskNs());
        sim.putAll(options.lab().simProperties());

        pid(pids, RECORDER_PID).putAll(options.record().recorderProperties());
        pids.values().removeIf(Map::isEmpty);
        return pids;
    }

    /**
     * What a live host needs where neither etc/ nor the command line says: the simulated machine
     * follows the wall clock (its component alone would run it as fast as it can).
     */
    static Map<String, Map<String, Object>> hostDefaults() {
        Map<String, Map<String, Object>> pids = new LinkedHashMap<>();
        pid(pids, SIM_PID).put("mode", LIVE_SIM_MODE);
        return pids;
    }

    private static Map<String, Object> pid(Map<String, Map<String, Object>> pids, String pid) {
        return pids.computeIfAbsent(pid, key -> new LinkedHashMap<>());
    }

    private static void putIfGiven(Options options, String option, Map<String, Object> properties, String key,
            Object value) {
        if (options.given(option) && value != null) {
            properties.put(key, value);
        }
    }
}
