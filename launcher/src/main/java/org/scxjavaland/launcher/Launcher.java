package org.scxjavaland.launcher;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.osgi.service.cm.ConfigurationAdmin;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkStatus;
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

    /** System property: true opens gogo's console, false keeps it closed (default: whether stdin is a terminal). */
    static final String SHELL_PROPERTY = "scx.shell";

    private static final String SIM_BUNDLE = "org.scxjavaland.sim";
    private static final String BPF_BUNDLE = "org.scxjavaland.link.bpf";
    /** The shell's service that ends its repeating commands (a JDK type: the shell shares no package). */
    private static final String REPEATING_COMMANDS = "(scx.shell=interrupt-repeating)";

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<Layout> layouts;
    private final boolean terminal;
    private final Timeouts timeouts;
    /** The process's environment (a test gives its own). */
    private Function<String, String> environment = System::getenv;

    private volatile boolean stopRequested;
    /** The signal that asked for the stop (SIGTERM, SIGINT), said in the last line; null for none. */
    private volatile String stopSignal;
    /** Whether gogo's console is to open (decided as the host starts). */
    private boolean interactive;
    /** True once gogo's console is open: Ctrl-C then ends the repeating shell command, not the host. */
    private volatile boolean consoleOpen;
    private volatile Host host;
    private Preflight.BackendChoice backend;

    /**
     * How long the launcher waits for each part of the host to come up; {@code bpfLinkMs} covers
     * loading the BPF side, which the kernel's verifier can make slow on a slow machine.
     */
    record Timeouts(long serviceMs, long schedulerMs, long policyMs, long bpfLinkMs) {
        static final Timeouts DEFAULT = new Timeouts(5_000, 10_000, 2_000, 60_000);
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

    /** For tests: the environment variables this launcher sees instead of the process's. */
    Launcher withEnvironment(Function<String, String> env) {
        this.environment = env;
        return this;
    }

    /** Runs with {@code args} until the host stops; returns the exit code. */
    public int run(String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (ParameterException e) {
            err.println(Cli.describe(e, environment));
            err.println(Cli.HINT);
            return ExitCode.USAGE;
        }
        // -Dscx.data=DIR and the like, as the start script passes them on: read from here on.
        options.properties().forEach(System::setProperty);
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
            int exit = runHost(options);
            String signal = stopSignal;
            if (signal != null && host != null) {
                // The host is closed by now: this is the last line.
                ConsoleLog.info(err, "stopped on " + signal + (backend != null && backend.bpf()
                        ? ": the kernel's own scheduler runs every task again." : "."));
            }
            return exit;
        } catch (LaunchFailure e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        } catch (RuntimeException e) {
            // The host is closed by now: whether it had gone away by itself tells a check that was
            // still running when it went (fine) from a real error.
            Host closed = host;
            if (stopRequested || (closed != null && closed.stoppedBeforeClose())) {
                return ExitCode.OK; // the host went away under a check that was still running
            }
            err.println("scx_javaland stopped on an unexpected error (" + e + "); run with -v for details.");
            if (options.verbose()) {
                e.printStackTrace(err);
            }
            return ExitCode.FAILURE;
        }
    }

    /** Stops the host on {@code signal} (a signal handler); {@link #run} then says so in its last line. */
    public void stopOn(String signal) {
        if (stopSignal == null) {
            stopSignal = signal;
        }
        requestStop();
    }

    /** Stops the host (a signal handler); {@link #run} then returns {@link ExitCode#OK}. */
    public void requestStop() {
        stopRequested = true;
        Host running = host;
        if (running != null) {
            running.requestStop();
        }
    }

    /**
     * Ctrl-C (SIGINT). Before gogo's console is open, or without it, it stops the host as SIGTERM
     * does. With the console open it ends the repeating shell command (such as {@code scx:stats 1})
     * and nothing else; with none running it says how to stop.
     */
    public void interrupt() {
        Host running = host;
        if (!consoleOpen || running == null || running.stopped()) {
            stopOn("SIGINT");
            return;
        }
        int ended;
        try (HostService<IntSupplier> interrupts = HostService.track(running.context(), IntSupplier.class,
                REPEATING_COMMANDS)) {
            IntSupplier endRepeating = interrupts.now();
            if (endRepeating == null) {
                stopOn("SIGINT");  // no shell bundle to end a command in: Ctrl-C stops, as without a console
                return;
            }
            ended = endRepeating.getAsInt();
        } catch (RuntimeException e) {
            ended = 0; // the host is going away under Ctrl-C
        }
        if (ended == 0) {
            err.println();
            err.println("Ctrl-C ends a repeating command such as scx:stats 1; to stop scx_javaland type exit"
                    + " (or scx:stop), or send SIGTERM.");
            err.print(StatsPrinter.PROMPT);
            err.flush();
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
            return Monitor.run(layouts.get(), options.monitorSecs(), out, err, this::stopping);
        }
        Layout layout = layouts.get();
        layout.prepare();
        layout.checkSafeForRoot();
        FrameworkSettings.configureLogging(options.verbose());
        interactive = options.shell() || Boolean.parseBoolean(System.getProperty(SHELL_PROPERTY,
                Boolean.toString(terminal)));

        try (Host started = Host.install(FrameworkSettings.of(layout, interactive, options.verbose()),
                layout.bundleJars())) {
            host = started;
            if (stopping()) {
                return ExitCode.OK;
            }
            started.startInfrastructure();
            Configurations config = configAdmin(started);
            if (config == null) {
                return ExitCode.OK;
            }
            String policy = configure(started, config, options);
            // The BPF link loads as soon as it starts: only with the BPF backend; the simulated
            // machine, which would otherwise run a simulation beside the real kernel, only without it.
            for (String failure : started.startProjectBundles(backend.bpf() ? Set.of(SIM_BUNDLE) : Set.of(BPF_BUNDLE))) {
                ConsoleLog.warn(err, failure);
            }
            if (backend.bpf() && !bpfLinkStarted(started, options)) {
                return ExitCode.OK;
            }
            try (HostService<SchedulerBackend> scheduler = HostService.track(started.context(), SchedulerBackend.class,
                    null)) {
                if (awaitScheduler(scheduler) == null || !policyKnown(scheduler, policy)) {
                    return ExitCode.OK;
                }
                return serveReady(started, layout, scheduler, policy, options);
            }
        }
    }

    /** The scheduler runs the policy asked for: tells systemd, opens the stats socket, serves until the end. */
    private int serveReady(Host started, Layout layout, HostService<SchedulerBackend> scheduler, String policy,
            Options options) throws InterruptedException {
        Supplier<Metrics> metrics = () -> schedulerNow(scheduler).metrics();
        String notReady = Readiness.notifyReady(started, "Scheduling the " + backend.backend() + " machine with"
                + " policy " + policy, System.getenv(Readiness.NOTIFY_SOCKET));
        if (notReady != null) {
            ConsoleLog.warn(err, "systemd was not told that scx_javaland is ready (" + notReady
                    + "): a Type=notify unit waits for it until its start times out.");
        }
        // --monitor of another process reads the counters here (null: said why, runs without it).
        StatsSocket monitored = StatsSocket.open(StatsSocket.path(layout), metrics, err);
        try {
            return serve(started, scheduler, metrics, options);
        } finally {
            if (monitored != null) {
                monitored.close();
            }
        }
    }

    /**
     * The SchedulerBackend now: the connector registers it anew after a configuration change, so
     * one that is away is waited for a little.
     */
    private static SchedulerBackend schedulerNow(HostService<SchedulerBackend> scheduler) {
        try {
            SchedulerBackend now = scheduler.await(2_000, () -> false);
            if (now == null) {
                throw new IllegalStateException("the scheduler went away");
            }
            return now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the scheduler came back", e);
        }
    }

    /** ConfigAdmin of the host; null if the host is stopping meanwhile. */
    private Configurations configAdmin(Host started) throws InterruptedException {
        ConfigurationAdmin configAdmin = HostService.awaitAndKeep(started.context(), ConfigurationAdmin.class,
                timeouts.serviceMs(), this::stopping);
        if (stopping()) {
            return null;
        }
        if (configAdmin == null) {
            throw new LaunchFailure(ExitCode.FAILURE, "ConfigAdmin did not start: check that bundles/ holds"
                    + " org.apache.felix.configadmin.");
        }
        return new Configurations(configAdmin);
    }

    /**
     * Checks the values in force (etc/ is in ConfigAdmin by now), prints the first line, and puts
     * the launcher's defaults and the command line's options into ConfigAdmin.
     *
     * @return the policy asked for
     */
    private String configure(Host started, Configurations config, Options options) {
        Map<String, Object> connectorConfig = config.read(HostConfiguration.CONNECTOR_PID);
        Preflight.slices(options, config.read(HostConfiguration.DEADLINE_PID));
        backend = Preflight.backend(options, connectorConfig, Preflight.Machine.current());

        for (Map.Entry<String, Map<String, Object>> pid : HostConfiguration.hostDefaults().entrySet()) {
            Map<String, Object> missing = new LinkedHashMap<>(pid.getValue());
            missing.keySet().removeAll(config.read(pid.getKey()).keySet());
            config.merge(pid.getKey(), missing);
        }
        config.merge(HostConfiguration.CONNECTOR_PID, Map.of(HostConfiguration.BACKEND, backend.backend()));
        Map<String, Map<String, Object>> given = HostConfiguration.fromCommandLine(options);
        if (backend.bpf()) {
            config.ensureExists(HostConfiguration.BPF_PID); // the BPF link starts once its PID is configured
        } else {
            given.remove(HostConfiguration.BPF_PID);
        }
        for (Map.Entry<String, Map<String, Object>> pid : given.entrySet()) {
            config.merge(pid.getKey(), pid.getValue());
        }
        Map<String, Object> recorder = config.read(HostConfiguration.RECORDER_PID);
        if (recorder.get("file") != null) {
            Preflight.recordFile(String.valueOf(recorder.get("file")), Layout.runningAsRoot());
            // The recorder records the link that is scheduled, not any link that is there.
            config.merge(HostConfiguration.RECORDER_PID, Map.of("link.target", "(" + HostConfiguration.LINK_KIND
                    + "=" + backend.backend() + ")"));
        }
        if (!backend.bpf()) {
            // What the simulator will get, checked as it will read it: bad input ends the launch here.
            Map<String, Object> sim = config.read(HostConfiguration.SIM_PID);
            sim.putAll(config.read(HostConfiguration.SIM_OVERRIDE_PID));
            Preflight.simulation(sim);
        }
        err.println(backend.firstLine());
        if (!backend.bpf()
                && (options.given("--numa-local") || options.given("--partial") || options.given("--exit-dump-len"))) {
            ConsoleLog.info(err, "--numa-local, --partial and --exit-dump-len apply to the BPF backend:"
                    + " the simulated machine ignores them.");
        }
        return Preflight.effective(options, "--policy", options.policy(),
                connectorConfig.get(HostConfiguration.POLICY), Options.DEFAULT_POLICY);
    }

    /**
     * Waits until the BPF link is loaded and registered, or has said why it cannot be (not root,
     * no sched_ext, another scheduler attached, libbpf, the verifier): that sentence ends the run.
     *
     * @return false if the host is stopping meanwhile
     */
    private boolean bpfLinkStarted(Host started, Options options) throws InterruptedException {
        LinkStatus status = HostService.awaitAndKeep(started.context(), LinkStatus.class, timeouts.serviceMs(),
                this::stopping);
        if (stopping()) {
            return false;
        }
        if (status == null) {
            throw new LaunchFailure(ExitCode.FAILURE, "The BPF link did not start: check that bundles/ holds"
                    + " org.scxjavaland.link.bpf (-v shows more).");
        }
        long deadline = System.nanoTime() + timeouts.bpfLinkMs() * 1_000_000;
        while (!stopping()) {
            String failure = status.failure();
            if (failure != null) {
                throw bpfLinkFailure(failure, status.failureDetail(), options.verbose() ? status.failureLog() : "");
            }
            if (status.ready()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchFailure(ExitCode.FAILURE, "The BPF link was not ready after " + timeouts.bpfLinkMs() / 1000
                        + " s: the kernel may still be checking the BPF program; run with -v to see what it does.");
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The link's sentence, then the lines that explain it (the verifier log's end), then with -v the whole log. */
    static LaunchFailure bpfLinkFailure(String sentence, String detail, String fullLog) {
        StringBuilder message = new StringBuilder(sentence);
        if (!detail.isBlank()) {
            message.append('\n').append(detail.strip());
        }
        if (!fullLog.isBlank() && !fullLog.strip().equals(detail.strip())) {
            message.append("\nThe whole log:\n").append(fullLog.strip());
        }
        return new LaunchFailure(ExitCode.FAILURE, message.toString());
    }

    /** The SchedulerBackend; null if the host is stopping meanwhile. */
    private SchedulerBackend awaitScheduler(HostService<SchedulerBackend> backends) throws InterruptedException {
        SchedulerBackend scheduler = backends.await(timeouts.schedulerMs(), this::stopping);
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
    private boolean policyKnown(HostService<SchedulerBackend> scheduler, String policy) throws InterruptedException {
        if (SchedulerBackend.BUILTIN_FIFO.equals(policy)) {
            return true;
        }
        long deadline = System.nanoTime() + timeouts.policyMs() * 1_000_000;
        List<String> known = schedulerNow(scheduler).availablePolicies();
        while (!known.contains(policy) && System.nanoTime() < deadline && !stopping()) {
            Thread.sleep(50);
            known = schedulerNow(scheduler).availablePolicies();
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
     * kernel side exits: the simulation reached its duration (exit 0), or the kernel ended the BPF
     * scheduler by itself, e.g. its watchdog (exit 1).
     */
    private int serve(Host started, HostService<SchedulerBackend> scheduler, Supplier<Metrics> metrics, Options options)
            throws InterruptedException {
        consoleOpen = interactive;
        long startedMs = System.currentTimeMillis();
        started.startShell();
        StatsPrinter stats = options.statsSecs() == null ? null
                : StatsPrinter.start(metrics, options.statsSecs(), out, consoleOpen);
        try (HostService<KernelLink> links = HostService.track(started.context(), KernelLink.class, null)) {
            String ended = null;
            while (!started.awaitStop(250)) {
                KernelLink link = links.now();
                if (link != null && !stopping()) {
                    ended = kernelSideEnded(links, link);
                    if ("sim".equals(ended)) {
                        SchedulerBackend now = scheduler.await(2_000, this::stopping);
                        if (now == null) {
                            ConsoleLog.warn(err, "The scheduler went away as the simulation ended: no table is"
                                    + " printed.");
                        } else {
                            RunEnd.finish(started.context(), now, now.activePolicy(), link.exitReason(), options,
                                    startedMs, out, err);
                        }
                    }
                    if (ended != null) {
                        started.requestStop();
                    }
                }
            }
            return "bpf".equals(ended) ? ExitCode.FAILURE : ExitCode.OK;
        } finally {
            if (stats != null) {
                stats.close();
            }
        }
    }

    /** The kind of the link if it ended by itself (and says why), else null. */
    private String kernelSideEnded(HostService<KernelLink> links, KernelLink link) {
        try {
            // A machine being replaced (the sim reconfigured) is unregistered before it exits: only
            // a link that exited while still registered has really ended.
            if (!link.exited() || !links.registered(link)) {
                return null;
            }
            String why = link.exitReason();
            String kind = link.kind();
            String stopped = " stopped" + (why == null ? "." : ": " + why);
            if ("sim".equals(kind)) {
                ConsoleLog.info(err, "the simulated machine" + stopped);
            } else {
                ConsoleLog.error(err, "the kernel side" + stopped);
            }
            return kind;
        } catch (RuntimeException e) {
            return null; // the link is going away; the next look finds the new one
        }
    }
}
