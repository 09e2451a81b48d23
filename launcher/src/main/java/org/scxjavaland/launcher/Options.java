package org.scxjavaland.launcher;

import java.util.LinkedHashMap;
import java.util.Map;
import org.scxjavaland.connector.internal.ConnectorConfig;
import org.scxjavaland.link.bpf.internal.BpfConfig;
import org.scxjavaland.policy.deadline.DeadlineConfig;
import org.scxjavaland.sim.internal.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The command line of scx_javaland: scx_rustland's options with their defaults, plus the choice of
 * backend and policy and the simulated machine's settings. Only the options a user actually gave
 * override the configuration in etc/ (see {@link #given}).
 */
@Command(name = "scx_javaland",
        sortOptions = false,
        usageHelpWidth = 110,
        description = {
            "A sched_ext CPU scheduler whose policy runs in user space, in Java, as OSGi bundles.",
            "It hands the tasks to the active policy (default: deadline, which favours tasks that sleep often",
            "over CPU-bound ones) and can swap policies while it runs. Without a sched_ext kernel it schedules",
            "a simulated machine.",
            ""},
        footer = {
            "",
            "Options given here override etc/*.cfg at start; policy bundles dropped into deploy/ are installed at once."})
public final class Options {

    /** Properties given with {@code -D} start with this. */
    static final String PROPERTY_PREFIX = "scx.";

    /** Default of {@code --policy}. */
    public static final String DEFAULT_POLICY = ConnectorConfig.POLICY_DEFAULT;

    // The deadline policy's options: their defaults and descriptions are DeadlineConfig's (compile-time constants).
    @Option(names = {"-s", "--slice-us"}, paramLabel = "US", defaultValue = "" + DeadlineConfig.SLICE_US_DEFAULT,
            converter = Converters.PositiveMicros.class,
            description = DeadlineConfig.SLICE_US_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    long sliceUs;

    @Option(names = {"-S", "--slice-us-min"}, paramLabel = "US",
            defaultValue = "" + DeadlineConfig.SLICE_US_MIN_DEFAULT, converter = Converters.PositiveMicros.class,
            description = DeadlineConfig.SLICE_US_MIN_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    long sliceUsMin;

    @Option(names = {"-l", "--percpu-local"}, description = DeadlineConfig.PERCPU_LOCAL_DESCRIPTION + ".")
    boolean percpuLocal;

    // The BPF link's options: their descriptions are BpfConfig's (compile-time constants).
    @Option(names = {"-n", "--numa-local"},
            description = BpfConfig.NUMA_LOCAL_DESCRIPTION + " (BPF backend; on the simulated machine, one with a"
                    + " --sim-topology of several nodes).")
    boolean numaLocal;

    @Option(names = {"-p", "--partial"}, description = BpfConfig.PARTIAL_DESCRIPTION + " (BPF backend).")
    boolean partial;

    @Option(names = "--exit-dump-len", paramLabel = "BYTES", defaultValue = "" + BpfConfig.EXIT_DUMP_LEN_DEFAULT,
            converter = Converters.NonNegativeBytes.class,
            description = BpfConfig.EXIT_DUMP_LEN_DESCRIPTION + " (BPF backend; default: ${DEFAULT-VALUE}).")
    long exitDumpLen;

    @Option(names = {"-v", "--verbose"},
            description = "Log debug messages too.")
    boolean verbose;

    @Option(names = "--stats", paramLabel = "SECS", converter = Converters.PositiveSeconds.class,
            description = "Print the scheduler's counters every SECS seconds while it runs (see --help-stats).")
    Double statsSecs;

    @Option(names = "--monitor", paramLabel = "SECS", converter = Converters.PositiveSeconds.class,
            description = "Print the counters of the scx_javaland already running from this installation every SECS"
                    + " seconds, without starting one.")
    Double monitorSecs;

    @Option(names = "--help-stats",
            description = "Explain each counter of --stats and exit.")
    boolean helpStats;

    // The connector's options: their defaults and descriptions are ConnectorConfig's (compile-time constants).
    @Option(names = "--backend", paramLabel = "KIND", defaultValue = ConnectorConfig.BACKEND_DEFAULT,
            converter = Converters.BackendChoice.class,
            description = ConnectorConfig.BACKEND_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = DEFAULT_POLICY,
            converter = Converters.PolicyName.class,
            description = ConnectorConfig.POLICY_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--queue-depth", paramLabel = "N", defaultValue = "" + ConnectorConfig.QUEUE_DEPTH_DEFAULT,
            converter = Converters.QueueDepth.class,
            description = ConnectorConfig.QUEUE_DEPTH_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    int queueDepth;

    // The simulator's options: their defaults and descriptions are SimulatorConfig's (compile-time constants).
    @Option(names = "--workload", paramLabel = "NAME|FILE|trace:FILE", defaultValue = SimulatorConfig.WORKLOAD_DEFAULT,
            converter = Converters.Workload.class,
            description = SimulatorConfig.WORKLOAD_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    String workload;

    /** The live host's, over the simulator's own (fast). */
    @Option(names = "--sim-mode", paramLabel = "MODE", defaultValue = HostConfiguration.LIVE_SIM_MODE,
            converter = Converters.SimModeChoice.class,
            description = SimulatorConfig.MODE_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    SimMode simMode;

    @Option(names = "--sim-duration-ms", paramLabel = "MS", defaultValue = "0",
            converter = Converters.NonNegativeMillis.class, description = SimulatorConfig.DURATION_MS_DESCRIPTION + ".")
    long simDurationMs;

    @Option(names = "--sim-cpus", paramLabel = "N", converter = Converters.CpuCount.class,
            description = SimulatorConfig.CPUS_DESCRIPTION + ".")
    Integer simCpus;

    @Option(names = "--sim-seed", paramLabel = "N", defaultValue = "" + SimulatorConfig.SEED_DEFAULT,
            converter = Converters.Seed.class,
            description = SimulatorConfig.SEED_DESCRIPTION + " (default: ${DEFAULT-VALUE}).")
    long simSeed;

    @Option(names = "--sim-topology", paramLabel = "SPEC", description = SimulatorConfig.TOPOLOGY_DESCRIPTION + ".")
    String simTopology;

    @Option(names = "--sim-idle-pick", paramLabel = "PICK", converter = Converters.IdlePickChoice.class,
            description = SimulatorConfig.IDLE_PICK_DESCRIPTION + " (default: " + SimulatorConfig.IDLE_PICK_DEFAULT
                    + ").")
    IdlePick simIdlePick;

    @Option(names = "--sim-sched-round-ns", paramLabel = "NS", converter = Converters.SchedCost.class,
            description = SimulatorConfig.SCHED_ROUND_NS_DESCRIPTION + " (default: "
                    + Converters.SchedCost.DEFAULT_ROUND_NS + ").")
    Long simSchedRoundNs;

    @Option(names = "--sim-sched-task-ns", paramLabel = "NS", converter = Converters.SchedCost.class,
            description = SimulatorConfig.SCHED_TASK_NS_DESCRIPTION + " (default: "
                    + Converters.SchedCost.DEFAULT_TASK_NS + ").")
    Long simSchedTaskNs;

    @Option(names = "--shell",
            description = "Open gogo's interactive shell even when standard input is not a terminal"
                    + " (-Dscx.shell=false keeps it closed on a terminal).")
    boolean shell;

    @Option(names = "-D", paramLabel = "scx.NAME=VALUE", mapFallbackValue = "",
            description = "Set one of scx_javaland's properties: -Dscx.data=DIR keeps data/ (Felix's cache, the"
                    + " monitor socket) in DIR, -Dscx.home=DIR runs the installation in DIR, -Dscx.shell=false keeps"
                    + " gogo's console closed. Other JVM options go into SCX_JAVA_OPTS.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = {"-h", "--help"}, usageHelp = true,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true,
            description = "Print the version and exit.")
    boolean version;

    /** The policy lab's options: --report, --trace, --trace-events. */
    @Mixin
    LabOptions lab = new LabOptions();

    /** The recorder's options: --record, --record-seconds, --record-max-mb. */
    @Mixin
    RecordOptions record = new RecordOptions();

    private ParseResult parseResult;

    /** Which kernel side to schedule. */
    public enum Backend { SIM, BPF, AUTO }

    /** How the simulated machine's clock runs. */
    public enum SimMode { FAST, PACED }

    /** How the simulated machine picks an idle CPU. */
    public enum IdlePick { TOPOLOGY, FLAT }

    /** The picocli command line for a fresh {@code Options}, with this project's error and help handling. */
    static CommandLine commandLine(Options options) {
        CommandLine commandLine = new CommandLine(options);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUnmatchedOptionsArePositionalParams(false);
        return commandLine;
    }

    /**
     * Parses {@code args}.
     *
     * @throws CommandLine.ParameterException on an unknown option or an invalid value
     */
    public static Options parse(String... args) {
        Options options = new Options();
        CommandLine commandLine = commandLine(options);
        options.parseResult = commandLine.parseArgs(args);
        if (!options.parseResult.unmatched().isEmpty()) {
            // picocli lets an unknown option pass when -h or -V is given: refuse it as it would without.
            throw new CommandLine.UnmatchedArgumentException(commandLine, options.parseResult.unmatched());
        }
        if (options.record.problem() != null) {
            throw new CommandLine.ParameterException(commandLine, options.record.problem());
        }
        for (String name : options.properties.keySet()) {
            if (!name.startsWith(PROPERTY_PREFIX) || name.length() == PROPERTY_PREFIX.length()) {
                // A JVM's own property (java.io.tmpdir, ...) is read before the launcher runs: say where it goes.
                throw new CommandLine.ParameterException(commandLine, "-D" + name + " is not one of scx_javaland's"
                        + " properties (scx.data, scx.home, scx.shell): give other JVM options in SCX_JAVA_OPTS.");
            }
        }
        return options;
    }

    /** True if the user gave the option (by any of its names, e.g. {@code "--slice-us"}). */
    public boolean given(String optionName) {
        return parseResult != null && parseResult.hasMatchedOption(optionName);
    }

    public long sliceUs() { return sliceUs; }
    public long sliceUsMin() { return sliceUsMin; }
    public boolean percpuLocal() { return percpuLocal; }
    public boolean numaLocal() { return numaLocal; }
    public boolean partial() { return partial; }
    public long exitDumpLen() { return exitDumpLen; }
    public boolean verbose() { return verbose; }
    /** Seconds between two monitor lines, or null without {@code --stats}. */
    public Double statsSecs() { return statsSecs; }
    public Double monitorSecs() { return monitorSecs; }
    public boolean helpStats() { return helpStats; }
    public Backend backend() { return backend; }
    public String policy() { return policy; }
    /** Tasks per CPU kept queued in the kernel; 0: no bound. */
    public int queueDepth() { return queueDepth; }
    public String workload() { return workload; }
    public SimMode simMode() { return simMode; }
    public long simDurationMs() { return simDurationMs; }
    /** CPUs of the simulated machine, or null to let the workload decide. */
    public Integer simCpus() { return simCpus; }
    public long simSeed() { return simSeed; }
    /** The simulated machine's topology as written, or null for the workload's. */
    public String simTopology() { return simTopology; }
    /** The simulated machine's idle pick, or null for its default. */
    public IdlePick simIdlePick() { return simIdlePick; }
    public Long simSchedRoundNs() { return simSchedRoundNs; }
    public Long simSchedTaskNs() { return simSchedTaskNs; }
    public boolean shell() { return shell; }
    /** The {@code -Dscx.NAME=VALUE} properties given, in order. */
    public Map<String, String> properties() { return properties; }
    public boolean helpRequested() { return help; }
    public boolean versionRequested() { return version; }
    public LabOptions lab() { return lab; }
    public RecordOptions record() { return record; }
}
