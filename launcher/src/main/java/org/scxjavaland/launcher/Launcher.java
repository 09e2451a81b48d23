package org.scxjavaland.launcher;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.SchedulerBackend;
import picocli.CommandLine.ParameterException;

/**
 * Runs scx_javaland: reads the command line, starts the host (Felix and its bundles), puts the
 * options into ConfigAdmin, checks that the scheduler came up with the policy asked for, prints
 * the counters with {@code --stats}, and waits until the host is stopped.
 *
 * <p>Everything the user did wrong ends in one sentence on standard error and a non-zero exit code
 * ({@link ExitCode}); nothing here prints a stack trace.
 */
public final class Launcher {

    static final String BPF_NOT_AVAILABLE = "The BPF backend is not available yet: run with --backend sim"
            + " (or auto) to schedule the simulated machine.";
    static final String MONITOR_NOT_AVAILABLE = "Watching an scx_javaland that is already running (--monitor) is"
            + " not available yet: start the host with --stats SECS to see its counters.";

    /** System property: true opens gogo's console, false keeps it closed (default: whether stdin is a terminal). */
    static final String SHELL_PROPERTY = "scx.shell";

    private static final String CONFIG_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";
    private static final String KERNEL_LINK = "org.scxjavaland.link.KernelLink";
    private static final String SIM_BUNDLE = "org.scxjavaland.sim";

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<Layout> layouts;
    private final boolean terminal;
    private final Timeouts timeouts;

    private volatile boolean stopRequested;
    private volatile Host host;

    /** How long the launcher waits for each part of the host to come up. */
    record Timeouts(long serviceMs, long schedulerMs, long policyMs) {
        static final Timeouts DEFAULT = new Timeouts(5_000, 10_000, 2_000);
    }

    /**
     * @param layouts where the installation is (asked only when the host is to run)
     * @param terminal whether standard input is a terminal (then gogo's console starts)
     */
    public Launcher(PrintStream out, PrintStream err, Supplier<Layout> layouts, boolean terminal) {
        this(out, err, layouts, terminal, Timeouts.DEFAULT);
    }

    Launcher(PrintStream out, PrintStream err, Supplier<Layout> layouts, boolean terminal, Timeouts timeouts) {
        this.out = out;
        this.err = err;
        this.layouts = layouts;
        this.terminal = terminal;
        this.timeouts = timeouts;
    }

    /** Runs with {@code args} until the host stops; returns the exit code. */
    public int run(String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (ParameterException e) {
            err.println(Cli.describe(e));
            err.println(Cli.HINT);
            return ExitCode.USAGE;
        }
        if (options.helpRequested()) {
            Cli.printHelp(out);
            return ExitCode.OK;
        }
        if (options.versionRequested()) {
            out.println(Cli.versionLine());
            return ExitCode.OK;
        }
        if (options.helpStats()) {
            out.println(Metrics.describe());
            return ExitCode.OK;
        }
        try {
            return runHost(options);
        } catch (LaunchFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        } catch (RuntimeException e) {
            if (stopping()) {
                return ExitCode.OK; // the host went away under a check that was still running
            }
            err.println("scx_javaland stopped on an unexpected error (" + e + "); run with -v for details.");
            if (options.verbose()) {
                e.printStackTrace(err);
            }
            return ExitCode.FAILURE;
        }
    }

    /** Stops the host (a signal handler); {@link #run} then returns {@link ExitCode#OK}. */
    public void requestStop() {
        stopRequested = true;
        Host running = host;
        if (running != null) {
            running.requestStop();
        }
    }

    /** Stops the host and waits up to {@code timeoutMs} for its bundles to stop (a shutdown hook). */
    public void stopAndWait(long timeoutMs) {
        requestStop();
        Host running = host;
        if (running != null) {
            try {
                running.awaitStop(timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once a stop was asked for, or the host stopped by itself (gogo's exit). */
    private boolean stopping() {
        Host running = host;
        return stopRequested || (running != null && running.stopped());
    }

    private int runHost(Options options) throws InterruptedException {
        if (options.monitorSecs() != null) {
            throw new LaunchFailure(ExitCode.FAILURE, MONITOR_NOT_AVAILABLE);
        }
        if (options.given("--backend") && options.backend() == Options.Backend.BPF) {
            throw new LaunchFailure(ExitCode.FAILURE, BPF_NOT_AVAILABLE);
        }
        Layout layout = layouts.get();
        layout.prepare();
        layout.checkSafeForRoot();
        FrameworkSettings.configureLogging(options.verbose());
        boolean interactive = options.shell() || Boolean.parseBoolean(System.getProperty(SHELL_PROPERTY,
                Boolean.toString(terminal)));

        try (Host started = Host.install(FrameworkSettings.of(layout, interactive, options.verbose()),
                layout.bundleJars())) {
            host = started;
            if (stopping()) {
                return ExitCode.OK;
            }
            started.startInfrastructure();
            ConfigAdminClient config = configAdmin(started);
            if (config == null) {
                return ExitCode.OK;
            }
            String policy = configure(started, config, options);
            for (String failure : started.startProjectBundles()) {
                err.println("WARN scx_javaland - " + failure);
            }
            Scheduler scheduler = awaitScheduler(started);
            if (scheduler == null || !policyKnown(scheduler, policy)) {
                return ExitCode.OK;
            }
            return serve(started, scheduler, options);
        }
    }

    /** ConfigAdmin of the host; null if the host is stopping meanwhile. */
    private ConfigAdminClient configAdmin(Host started) throws InterruptedException {
        RemoteService configAdmin = RemoteService.await(started.context(), CONFIG_ADMIN, null, timeouts.serviceMs(),
                this::stopping);
        if (stopping()) {
            return null;
        }
        if (configAdmin == null) {
            throw new LaunchFailure(ExitCode.FAILURE, "ConfigAdmin did not start: check that bundles/ holds"
                    + " org.apache.felix.configadmin.");
        }
        return new ConfigAdminClient(configAdmin);
    }

    /**
     * Checks the values in force (etc/ is in ConfigAdmin by now), prints the first line, and puts
     * the launcher's defaults and the command line's options into ConfigAdmin.
     *
     * @return the policy asked for
     */
    private String configure(Host started, ConfigAdminClient config, Options options) {
        Map<String, Object> connectorConfig = config.read(HostConfiguration.CONNECTOR_PID);
        Preflight.slices(options, config.read(HostConfiguration.DEADLINE_PID));
        Preflight.workload(started.bundle(SIM_BUNDLE), Preflight.effective(options, "--workload",
                options.workload(), config.read(HostConfiguration.SIM_PID).get(HostConfiguration.WORKLOAD), null));
        Preflight.BackendChoice backend = Preflight.backend(options, connectorConfig);
        err.println(backend.firstLine());
        if (options.given("--numa-local") || options.given("--partial") || options.given("--exit-dump-len")) {
            err.println("INFO scx_javaland - --numa-local, --partial and --exit-dump-len apply to the BPF backend:"
                    + " the simulated machine ignores them.");
        }

        for (Map.Entry<String, Map<String, Object>> pid : HostConfiguration.hostDefaults().entrySet()) {
            Map<String, Object> missing = new LinkedHashMap<>(pid.getValue());
            missing.keySet().removeAll(config.read(pid.getKey()).keySet());
            config.merge(pid.getKey(), missing);
        }
        config.merge(HostConfiguration.CONNECTOR_PID, Map.of(HostConfiguration.BACKEND, backend.backend()));
        for (Map.Entry<String, Map<String, Object>> pid : HostConfiguration.fromCommandLine(options).entrySet()) {
            config.merge(pid.getKey(), pid.getValue());
        }
        return Preflight.effective(options, "--policy", options.policy(),
                connectorConfig.get(HostConfiguration.POLICY), Options.DEFAULT_POLICY);
    }

    /** The SchedulerBackend; null if the host is stopping meanwhile. */
    private Scheduler awaitScheduler(Host started) throws InterruptedException {
        Scheduler scheduler = Scheduler.await(started.context(), timeouts.schedulerMs(), this::stopping);
        if (stopping()) {
            return null;
        }
        if (scheduler == null) {
            throw new LaunchFailure(ExitCode.FAILURE, "The scheduler did not come up: no SchedulerBackend service"
                    + " after " + timeouts.schedulerMs() / 1000 + " s (check that bundles/ holds the connector and"
                    + " sim bundles; -v shows more).");
        }
        return scheduler;
    }

    /**
     * Waits briefly for the policy to be known to the connector (policy bundles may still be
     * registering); an unknown name ends the run with the list of those that are.
     *
     * @return false if the host is stopping meanwhile
     */
    private boolean policyKnown(Scheduler scheduler, String policy) throws InterruptedException {
        if (SchedulerBackend.BUILTIN_FIFO.equals(policy)) {
            return true;
        }
        long deadline = System.nanoTime() + timeouts.policyMs() * 1_000_000;
        List<String> known = scheduler.availablePolicies();
        while (!known.contains(policy) && System.nanoTime() < deadline && !stopping()) {
            Thread.sleep(50);
            known = scheduler.availablePolicies();
        }
        if (stopping()) {
            return false;
        }
        if (!known.contains(policy)) {
            throw Preflight.unknownPolicy(policy, known);
        }
        return true;
    }

    /**
     * Opens gogo's shell, prints the counters if asked, and waits until the host is stopped or its
     * kernel side exits (the simulation reached its duration).
     */
    private int serve(Host started, Scheduler scheduler, Options options) throws InterruptedException {
        started.startShell();
        StatsPrinter stats = options.statsSecs() == null ? null
                : StatsPrinter.start(scheduler::metrics, options.statsSecs(), out);
        try {
            RemoteService link = null;
            while (!started.awaitStop(250)) {
                if (link == null || !link.available()) {
                    link = RemoteService.await(started.context(), KERNEL_LINK, null, 0);
                }
                if (link != null && kernelSideExited(link)) {
                    started.requestStop();
                }
            }
            return ExitCode.OK;
        } finally {
            if (stats != null) {
                stats.close();
            }
        }
    }

    private boolean kernelSideExited(RemoteService link) {
        try {
            // A machine being replaced (the sim reconfigured) is unregistered before it exits: only
            // a link that exited while still registered has really ended.
            if (!Boolean.TRUE.equals(link.call("exited")) || !link.available()) {
                return false;
            }
            Object why = link.call("exitReason");
            String what = "sim".equals(link.call("kind")) ? "simulated machine" : "kernel side";
            err.println("INFO scx_javaland - the " + what + " stopped" + (why == null ? "." : ": " + why));
            return true;
        } catch (RuntimeException e) {
            return false; // the link is going away; the next look finds the new one
        }
    }
}
