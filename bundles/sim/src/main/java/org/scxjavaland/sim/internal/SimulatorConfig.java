package org.scxjavaland.sim.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.scxjavaland.sim.SimOptions;

/**
 * The simulator's options, written once: their defaults, limits and descriptions. ConfigAdmin and
 * metatype tools see them through the Metatype service; {@link SimConfig} reads the raw
 * properties with these defaults; the launcher's {@code --workload} and {@code --sim-*} options,
 * {@code --trace} and {@code --trace-events} take their defaults and help from these constants
 * (picocli's annotations need compile-time constants); a test of the launcher holds the shipped
 * {@code etc/} file to the generated metatype. An option without a default takes the workload's
 * (or the trace's). A double underscore in a method name stands for an underscore in the key.
 */
@ObjectClassDefinition(
        // Both of the component's PIDs, named here: a Designate on a component names exactly one.
        pid = {SimConfig.PID, SimConfig.OVERRIDE_PID},
        name = "scx_javaland simulated machine",
        description = "Virtual CPUs and virtual time that run a workload, playing both the kernel and the BPF side.")
public @interface SimulatorConfig {

    String WORKLOAD_DEFAULT = "desktop-under-build";
    String WORKLOAD_DESCRIPTION = "What the simulated machine runs: a built-in workload's name, the path of a"
            + " workload file, or trace:FILE to replay a recorded trace";

    String CPUS_DESCRIPTION = "Number of CPUs of the simulated machine (default: the workload's or the trace's, else "
            + SimOptions.DEFAULT_CPUS + ")";

    long SEED_DEFAULT = 1;
    String SEED_DESCRIPTION = "Seed of the simulated machine's random numbers: the same seed replays the same run";

    /** The component's own; the launcher's live host asks for paced. */
    String MODE_DEFAULT = "fast";
    String MODE_DESCRIPTION = "fast runs the simulated machine as fast as it can, for experiments; paced follows the"
            + " wall clock, for a live demo";

    String DURATION_MS_DESCRIPTION = "Stop after this many milliseconds of simulated time; 0 runs until stopped"
            + " (default: 0, or for trace:FILE the trace's duration; a replay also stops when its last task ends)";

    String TRACE_FILE_DESCRIPTION = "Record the simulated run as a timeline (Trace Event Format JSON, for Perfetto's"
            + " UI or chrome://tracing) and write it to this file when the machine stops";

    int TRACE_EVENTS_DEFAULT = 200_000;
    int TRACE_EVENTS_MAX = 10_000_000;
    String TRACE_EVENTS_DESCRIPTION = "Keep at most this many of the timeline's first events";

    String TOPOLOGY_DESCRIPTION = "Shape of the simulated machine, e.g."
            + " nodes=2,llcs-per-node=2,cores-per-llc=4,threads-per-core=2 (sizes left out are 1; smt-speed,"
            + " llc-refill-us and node-refill-us set its cost model, see docs/policy-lab.md). Default: the workload's"
            + " topology, else a flat machine";

    String IDLE_PICK_DEFAULT = "topology";
    String IDLE_PICK_DESCRIPTION = "How the simulated machine picks an idle CPU: topology, as the kernel's default"
            + " selection (whole idle cores, then the task's LLC, node, anywhere), or flat, for comparisons: the first"
            + " idle CPU, as before topologies";

    boolean NUMA_LOCAL_DEFAULT = false;
    String NUMA_LOCAL_DESCRIPTION = "Keep idle-CPU picks in the task's NUMA node, on a machine of several nodes";

    String SCHED_ROUND_NS_DESCRIPTION = "Virtual ns each round of the scheduling thread occupies a CPU of the"
            + " simulated machine, besides its cost per task, its dispatches taking effect at the round's end; both 0:"
            + " a free scheduler that needs no CPU";

    String SCHED_TASK_NS_DESCRIPTION = "Virtual ns the scheduling thread spends per task it dequeues or dispatches on"
            + " the simulated machine";

    @AttributeDefinition(name = "Workload", description = WORKLOAD_DESCRIPTION)
    String workload() default WORKLOAD_DEFAULT;

    @AttributeDefinition(name = "CPUs", description = CPUS_DESCRIPTION, min = "1", max = "" + SimOptions.MAX_CPUS)
    int cpus();

    @AttributeDefinition(name = "Seed", description = SEED_DESCRIPTION)
    long seed() default SEED_DEFAULT;

    @AttributeDefinition(name = "Mode", description = MODE_DESCRIPTION, options = {
        @Option(label = "as fast as it can", value = "fast"),
        @Option(label = "the wall clock", value = "paced")})
    String mode() default MODE_DEFAULT;

    @AttributeDefinition(name = "Duration (ms)", description = DURATION_MS_DESCRIPTION, min = "0")
    long duration__ms();

    @AttributeDefinition(name = "Timeline file", description = TRACE_FILE_DESCRIPTION)
    String trace__file();

    @AttributeDefinition(name = "Timeline events", description = TRACE_EVENTS_DESCRIPTION, min = "1",
            max = "" + TRACE_EVENTS_MAX)
    int trace__events() default TRACE_EVENTS_DEFAULT;

    @AttributeDefinition(name = "Topology", description = TOPOLOGY_DESCRIPTION)
    String topology();

    @AttributeDefinition(name = "Idle CPU pick", description = IDLE_PICK_DESCRIPTION, options = {
        @Option(label = "as the kernel's default selection", value = "topology"),
        @Option(label = "the first idle CPU", value = "flat")})
    String idle__pick() default IDLE_PICK_DEFAULT;

    @AttributeDefinition(name = "NUMA local", description = NUMA_LOCAL_DESCRIPTION)
    boolean numa__local() default NUMA_LOCAL_DEFAULT;

    @AttributeDefinition(name = "Scheduling round (virtual ns)", description = SCHED_ROUND_NS_DESCRIPTION, min = "0",
            max = "" + SimOptions.MAX_SCHED_COST_NS)
    long sched__round__ns() default SimOptions.DEFAULT_SCHED_ROUND_NS;

    @AttributeDefinition(name = "Scheduling cost per task (virtual ns)", description = SCHED_TASK_NS_DESCRIPTION,
            min = "0", max = "" + SimOptions.MAX_SCHED_COST_NS)
    long sched__task__ns() default SimOptions.DEFAULT_SCHED_TASK_NS;
}
