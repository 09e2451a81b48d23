package org.scxjavaland.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.Bundle;

/**
 * The checks made before the scheduler's bundles start, on the values in force (command line over
 * etc/ over the defaults), so that a bad value stops the launch with one sentence instead of a
 * host running something else than asked.
 */
final class Preflight {

    private static final String WORKLOAD_CLASS = "org.scxjavaland.sim.Workload";

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
        boolean fromCommandLine = options.given("--backend") || configured == null;
        String choice = fromCommandLine ? options.backend().name().toLowerCase(Locale.ROOT)
                : String.valueOf(configured).trim().toLowerCase(Locale.ROOT);
        String source = fromCommandLine ? "--backend " + choice
                : "backend = " + choice + " in etc/" + HostConfiguration.CONNECTOR_PID + ".cfg";
        switch (choice) {
            case "sim":
                return sim(source);
            case "bpf":
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
     * Loads the workload with the simulator's own parser (the sim bundle exports it): an unknown
     * name or a malformed file ends the launch with the simulator's sentence.
     *
     * @param sim the installed sim bundle, or null (nothing to check)
     */
    static void workload(Bundle sim, String workload) {
        if (sim == null || workload == null) {
            return;
        }
        Method load;
        try {
            load = sim.loadClass(WORKLOAD_CLASS).getMethod("load", String.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return; // a simulator without that parser reports a bad workload itself
        }
        try {
            load.invoke(null, workload);
        } catch (InvocationTargetException e) {
            String sentence = e.getCause() == null ? null : e.getCause().getMessage();
            throw new LaunchFailure(ExitCode.USAGE, sentence != null ? sentence
                    : "The workload '" + workload + "' cannot be loaded: check its name or file.");
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
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
