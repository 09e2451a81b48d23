package org.scxjavaland.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
    }

    private Preflight() {
    }

    /**
     * Resolves {@code --backend} (or {@code backend} in etc/): sim runs the simulated machine,
     * auto picks it too for now, bpf is not available yet.
     */
    static BackendChoice backend(Options options, Map<String, Object> connectorConfig) {
        Object configured = connectorConfig.get(HostConfiguration.BACKEND);
        boolean fromCommandLine = options.given("--backend") || configured == null;
        String choice = fromCommandLine ? options.backend().name().toLowerCase(Locale.ROOT)
                : String.valueOf(configured).trim().toLowerCase(Locale.ROOT);
        String source = fromCommandLine ? "--backend " + choice
                : "backend = " + choice + " in etc/" + HostConfiguration.CONNECTOR_PID + ".cfg";
        switch (choice) {
            case "sim":
                return new BackendChoice("sim", Cli.versionLine() + " on the simulated machine (" + source + ").");
            case "auto":
                return new BackendChoice("sim", Cli.versionLine() + " on the simulated machine (" + source
                        + ": the BPF backend is not available yet).");
            case "bpf":
                throw new LaunchFailure(ExitCode.FAILURE, Launcher.BPF_NOT_AVAILABLE);
            default:
                throw new LaunchFailure(ExitCode.USAGE, "Unknown backend '" + choice + "' in etc/"
                        + HostConfiguration.CONNECTOR_PID + ".cfg: use sim, bpf or auto.");
        }
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
