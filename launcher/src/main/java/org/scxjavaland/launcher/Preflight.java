package org.scxjavaland.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scxjavaland.deploy.guard.FileSafety;
import org.scxjavaland.sim.WorkloadException;
import org.scxjavaland.sim.machine.SimulatedMachine;

/**
 * The checks made before the scheduler's bundles start, on the values in force (command line over
 * etc/ over the defaults), so that a bad value stops the launch with one sentence instead of a
 * host running something else than asked.
 */
final class Preflight {

    /** The backend to configure, and the first line the launcher prints, saying which one and why. */
    record BackendChoice(String backend, String firstLine) {
        boolean bpf() {
            return "bpf".equals(backend);
        }
    }

    /** What {@code --backend auto} looks at: whether this kernel has sched_ext, and whether we are root. */
    record Machine(boolean schedExt, boolean root, String kernelRelease) {
        static final Path SCHED_EXT = Path.of("/sys/kernel/sched_ext");

        static Machine current() {
            String release;
            try {
                release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            } catch (IOException | RuntimeException e) {
                release = System.getProperty("os.version", "unknown");
            }
            return new Machine(Files.isDirectory(SCHED_EXT), Layout.runningAsRoot(), release);
        }
    }

    private Preflight() {
    }

    /**
     * Resolves {@code --backend} (or {@code backend} in etc/): sim runs the simulated machine, bpf
     * this machine's sched_ext kernel, and auto picks bpf when the kernel has sched_ext and the
     * launcher runs as root, else sim. Whether bpf can really run is the BPF link's to say.
     */
    static BackendChoice backend(Options options, Map<String, Object> connectorConfig, Machine machine) {
        Object configured = connectorConfig.get(HostConfiguration.BACKEND);
        // A blank value is no value, as the connector reads it while the host runs.
        boolean fromCommandLine = options.given("--backend") || configured == null
                || String.valueOf(configured).isBlank();
        String choice = fromCommandLine ? options.backend().name().toLowerCase(Locale.ROOT)
                : String.valueOf(configured).trim().toLowerCase(Locale.ROOT);
        String source = fromCommandLine ? "--backend " + choice
                : "backend = " + choice + " in etc/" + HostConfiguration.CONNECTOR_PID + ".cfg";
        switch (choice) {
            case "sim":
                return sim(source);
            case "bpf":
                checkBpfCanRun(machine);
                return bpf(source);
            case "auto":
                if (!machine.schedExt()) {
                    return sim(source + ": this kernel (" + machine.kernelRelease() + ") has no sched_ext");
                }
                if (!machine.root()) {
                    return sim(source + ": this kernel has sched_ext, but only root may load a scheduler into it");
                }
                return bpf(source + ": this kernel has sched_ext and scx_javaland runs as root");
            default:
                throw new LaunchFailure(ExitCode.USAGE, "Unknown backend '" + choice + "' in etc/"
                        + HostConfiguration.CONNECTOR_PID + ".cfg: use sim, bpf or auto.");
        }
    }

    /**
     * The BPF backend asked for by name: a kernel without sched_ext, or a user who is not root, ends
     * the launch here, before anything says it runs on the kernel (the BPF link checks again).
     */
    private static void checkBpfCanRun(Machine machine) {
        if (!machine.schedExt()) {
            throw new LaunchFailure(ExitCode.FAILURE, "This kernel (" + machine.kernelRelease() + ") has no sched_ext ("
                    + Machine.SCHED_EXT + " is missing): boot a kernel built with CONFIG_SCHED_CLASS_EXT=y, or run on"
                    + " the simulated machine (--backend sim).");
        }
        if (!machine.root()) {
            throw new LaunchFailure(ExitCode.FAILURE, "Only root may load a scheduler into the kernel (--backend bpf):"
                    + " start scx_javaland with sudo or as root, or run on the simulated machine (--backend sim).");
        }
    }

    private static BackendChoice sim(String why) {
        return new BackendChoice("sim", Cli.versionLine() + " on the simulated machine (" + why + ").");
    }

    private static BackendChoice bpf(String why) {
        return new BackendChoice("bpf", Cli.versionLine() + " on this machine's kernel, through sched_ext (" + why + ").");
    }

    /** The deadline policy needs {@code slice_us_min <= slice_us}. */
    static void slices(Options options, Map<String, Object> deadlineConfig) {
        long slice = options.given("--slice-us") ? options.sliceUs()
                : configuredLong(deadlineConfig, "slice_us", options.sliceUs());
        long sliceMin = options.given("--slice-us-min") ? options.sliceUsMin()
                : configuredLong(deadlineConfig, "slice_us_min", options.sliceUsMin());
        if (sliceMin > slice) {
            throw new LaunchFailure(ExitCode.USAGE, "The minimum slice (" + sliceMin + " us) is larger than the"
                    + " slice (" + slice + " us): give --slice-us-min a value no larger than --slice-us.");
        }
    }

    /**
     * Reads the simulator's configuration as its component will ({@code SimConfig.from}, loading the
     * workload with the simulator's own parser) and builds, without running it, the machine it would
     * run: an unknown workload, a malformed file, a bad value, or a workload that does not fit the
     * machine (an affinity naming a CPU it lacks, too many tasks) ends the launch with the
     * simulator's sentence, instead of a default machine running in its place.
     *
     * @param simConfig the configuration the simulator will get (etc/, the launcher's defaults, the command line)
     */
    static void simulation(Map<String, Object> simConfig) {
        try {
            SimulatedMachine.fromConfiguration(simConfig);
        } catch (WorkloadException | RuntimeException e) {
            throw new LaunchFailure(ExitCode.USAGE, e.getMessage() != null ? e.getMessage()
                    : "The simulated machine cannot be built from " + simConfig + ": check its workload and options.");
        }
    }

    /**
     * The trace file of {@code --record} (or {@code file} in etc/'s recorder PID): its folder must
     * exist; as root, it must be one that only root can change (FileSafety's rule for deploy/ and
     * etc/), and a file already there a regular one of root's with one name, so that no other user
     * can make root write elsewhere (a symbolic or hard link planted under that name).
     */
    static void recordFile(String file, boolean root) {
        Path path = Path.of(file);
        Path folder = path.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new LaunchFailure(ExitCode.USAGE, "The folder of the trace file " + file + " does not exist: create it"
                    + " or record elsewhere (--record FILE).");
        }
        if (!root) {
            return;
        }
        String problem = FileSafety.folderProblem(folder, 0);
        if (problem == null && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            problem = FileSafety.fileProblem(path, 0);
        }
        if (problem != null) {
            throw new LaunchFailure(ExitCode.USAGE, "As root, scx_javaland records only where root alone can write, and "
                    + problem + ": record elsewhere (--record FILE).");
        }
    }

    /** An unknown policy: the sentence, with the names the connector knows. */
    static LaunchFailure unknownPolicy(String policy, List<String> known) {
        return new LaunchFailure(ExitCode.USAGE, "Unknown policy '" + policy + "': the known policies are "
                + (known.isEmpty() ? "none (no policy bundle is installed)" : String.join(", ", known))
                + "; choose one with --policy.");
    }

    /** The command line's value if given, else the configuration's, else {@code defaultValue}. */
    static String effective(Options options, String option, String given, Object configured, String defaultValue) {
        if (options.given(option)) {
            return given;
        }
        return configured != null ? String.valueOf(configured).trim() : defaultValue;
    }

    private static long configuredLong(Map<String, Object> config, String key, long defaultValue) {
        Object value = config.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            return defaultValue; // the policy reports a bad value from etc/ itself
        }
    }
}
