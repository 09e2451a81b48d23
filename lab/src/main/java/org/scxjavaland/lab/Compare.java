package org.scxjavaland.lab;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.scxjavaland.connector.internal.ConnectorConfig;
import org.scxjavaland.sim.internal.SimulatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scx_javaland-compare}: runs every policy on every workload for the same virtual duration
 * and the same seeds, several runs at a time (one per core by default), and writes a report
 * folder: index.html (plots and tables, one self-contained page), results.csv, results.json and
 * command.txt. Each run is a separate {@code scx_javaland --backend sim --sim-mode fast} process
 * with {@code --report}, so a cell of the report is exactly what that single command gives.
 */
@Command(name = "scx_javaland-compare", sortOptions = false, usageHelpWidth = 110, mixinStandardHelpOptions = true,
        versionProvider = Compare.Version.class,
        description = {
            "Runs each policy on each workload of the simulated machine for the same virtual time and seeds,",
            "and writes a report folder: index.html (plots, the table with the spread across seeds, the best",
            "policy per task group), results.csv and results.json (one row per policy, workload, seed, group",
            "and figure), and command.txt (how to repeat it).",
            ""})
public final class Compare implements Callable<Integer> {

    @Option(names = "--policies", paramLabel = "LIST", split = ",", required = true,
            description = "Policies to compare, comma-separated: an installed policy's name (deadline, fifo, one"
                    + " from deploy/), or NAME=JAR for a policy bundle that is not installed.")
    List<String> policies;

    @Option(names = "--workloads", paramLabel = "LIST", split = ",", defaultValue = SimulatorConfig.WORKLOAD_DEFAULT,
            description = "Workloads, comma-separated: built-in names, workload files, or trace:FILE to replay a"
                    + " recorded trace (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5",
            description = "Runs per policy and workload, with the seeds FIRST..FIRST+N-1 (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", paramLabel = "FIRST", defaultValue = "1",
            description = "The first seed (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(names = "--duration-ms", paramLabel = "MS",
            description = "Virtual milliseconds of every run; a trace's replay ends sooner when its last task"
                    + " ends (default: " + CellRunner.DEFAULT_DURATION_MS + ", and for a trace as long as it was"
                    + " recorded).")
    Long durationMs;

    @Option(names = "--cpus", paramLabel = "N",
            description = "CPUs of the simulated machine (default: each workload's).")
    Integer cpus;

    @Option(names = "--queue-depth", paramLabel = "N",
            description = "The connector's queue depth in every run: at most N tasks per CPU dispatched and not yet"
                    + " running in the kernel's queues, the rest held by the policy; 0 for no bound (default: the"
                    + " connector's, no bound).")
    Integer queueDepth;

    @Option(names = "--sched-round-ns", paramLabel = "NS",
            description = "The scheduling thread's cost per round in every run, virtual ns (as scx_javaland's"
                    + " --sim-sched-round-ns; default: the simulator's).")
    Long schedRoundNs;

    @Option(names = "--sched-task-ns", paramLabel = "NS",
            description = "The scheduling thread's cost per task it handles in every run, virtual ns (as"
                    + " scx_javaland's --sim-sched-task-ns; default: the simulator's).")
    Long schedTaskNs;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Runs at the same time (default: the cores of this machine).")
    Integer jobs;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "compare-report",
            description = "The report folder, created or replaced (default: ${DEFAULT-VALUE}).")
    Path out;

    private final PrintStream err;
    private final boolean terminal;
    private List<String> originalArgs = List.of();

    public Compare(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(run(System.err, System.console() != null, args));
    }

    /** Parses {@code args} and runs; returns the exit code (0 all runs done, 1 some failed, 2 bad input). */
    public static int run(PrintStream err, boolean terminal, String... args) {
        System.setProperty("java.awt.headless", "true"); // the charts are drawn off screen
        Compare compare = new Compare(err, terminal);
        compare.originalArgs = List.of(args);
        CommandLine line = new CommandLine(compare);
        line.setErr(new java.io.PrintWriter(err, true));
        line.setParameterExceptionHandler((e, given) -> {
            err.println(e.getMessage().endsWith(".") ? e.getMessage() : e.getMessage() + ".");
            err.println("Run 'scx_javaland-compare --help' to see every option.");
            return 2;
        });
        return line.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (queueDepth != null && (queueDepth < 0 || queueDepth > ConnectorConfig.QUEUE_DEPTH_MAX)) {
            err.println("--queue-depth " + queueDepth + " is not a queue depth: use 0 (no bound) to "
                    + ConnectorConfig.QUEUE_DEPTH_MAX + " tasks per CPU.");
            return 2;
        }
        java.util.Map<String, Long> costs = new java.util.LinkedHashMap<>();
        costs.put("--sched-round-ns", schedRoundNs);
        costs.put("--sched-task-ns", schedTaskNs);
        for (java.util.Map.Entry<String, Long> cost : costs.entrySet()) {
            Long ns = cost.getValue();
            if (ns != null && (ns < 0 || ns > MAX_SCHED_COST_NS)) {
                err.println(cost.getKey() + " " + ns + " is not a cost: use 0 to " + MAX_SCHED_COST_NS + " virtual ns.");
                return 2;
            }
        }
        List<Cell> cells;
        try {
            cells = cells();
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path home = home();
        int parallel = jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors();
        Path work = out.resolve("runs");
        clearReportFolder();
        Files.createDirectories(work);
        CellRunner runner = new CellRunner(home, work, durationMs, cpus, queueDepth, schedulerArguments());

        long start = System.currentTimeMillis();
        Progress progress = new Progress(err, terminal, cells.size());
        List<CellRunner.Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<CellRunner.Outcome>> futures = new ArrayList<>();
            for (Cell cell : cells) {
                futures.add(pool.submit(() -> {
                    CellRunner.Outcome outcome = runner.run(cell);
                    progress.done(cell, outcome.failure());
                    return outcome;
                }));
            }
            for (Future<CellRunner.Outcome> f : futures) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        progress.finish();
        long wallMs = System.currentTimeMillis() - start;

        List<RunResult> runs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (CellRunner.Outcome o : outcomes) {
            if (o.run() != null) {
                runs.add(o.run());
            } else {
                failures.add(o.cell() + ": " + o.failure());
            }
        }
        List<Long> seedList = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            seedList.add(firstSeed + i);
        }
        Provenance provenance = new Provenance(commandLine(), Provenance.thisWorkingDirectory(), Results.version(),
                Provenance.thisJava(), Provenance.thisOs(), Runtime.getRuntime().availableProcessors(), parallel,
                policies, policyJars(cells, outcomes), workloads, seedList,
                durationMs != null ? durationMs : CellRunner.DEFAULT_DURATION_MS,
                Instant.ofEpochMilli(start).toString(), wallMs);
        Results results = Results.of(provenance, runs);
        results.writeTo(out);
        Files.writeString(out.resolve("command.txt"), commandText(provenance), StandardCharsets.UTF_8);
        Files.writeString(out.resolve(HtmlReport.INDEX), new HtmlReport(results, failures).html(),
                StandardCharsets.UTF_8);

        err.printf(java.util.Locale.ROOT, "%d runs (%d policies x %d workloads x %d seeds, %d at a time) in %.1f s;"
                + " the report: %s%n", cells.size(), policies.size(), workloads.size(), seeds, parallel, wallMs / 1e3,
                out.resolve(HtmlReport.INDEX).toAbsolutePath());
        for (String failure : failures) {
            err.println("WARN a run failed: " + failure);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /** The simulator's bound for a scheduling cost (SimOptions.MAX_SCHED_COST_NS), checked before any run. */
    private static final long MAX_SCHED_COST_NS = 10_000_000;

    /** scx_javaland's arguments for the scheduling thread's costs given, empty for the simulator's defaults. */
    List<String> schedulerArguments() {
        List<String> args = new ArrayList<>();
        if (schedRoundNs != null) {
            args.addAll(List.of("--sim-sched-round-ns", Long.toString(schedRoundNs)));
        }
        if (schedTaskNs != null) {
            args.addAll(List.of("--sim-sched-task-ns", Long.toString(schedTaskNs)));
        }
        return args;
    }

    /**
     * Every policy x workload x seed, seeds innermost. Each workload is labelled as the command line
     * names it (a built-in name, or a file's path as given), never by the {@code name=} inside a file.
     */
    List<Cell> cells() {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds is " + seeds + ": use 1 or more.");
        }
        if (durationMs != null && durationMs < 1) {
            throw new IllegalArgumentException("--duration-ms is " + durationMs + ": use 1 or more virtual milliseconds.");
        }
        List<String> labels = new ArrayList<>();
        java.util.Set<String> folders = new java.util.HashSet<>();
        for (String workload : workloads) {
            String label = workload.trim();
            if (labels.contains(label)) {
                throw new IllegalArgumentException("--workloads names " + label + " twice: name each workload once.");
            }
            if (!folders.add(new Cell("p", null, label, 0).folderName())) {
                throw new IllegalArgumentException("--workloads names " + label + " and another workload whose"
                        + " report folders would be the same: copy one of the two files under another name.");
            }
            labels.add(label);
        }
        List<String> names = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        for (String policy : policies) {
            String name = policy.trim();
            Path jar = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                jar = Path.of(name.substring(eq + 1)).toAbsolutePath().normalize();
                name = name.substring(0, eq);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("The policy jar " + jar + " does not exist: give NAME=JAR with"
                            + " the path of a policy bundle.");
                }
            } else if (name.endsWith(".jar")) {
                throw new IllegalArgumentException("Name the policy that " + name + " brings: NAME=" + name
                        + " (its name is what scx:policies lists).");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("--policies names " + name + " twice: name each policy once.");
            }
            names.add(name);
            for (String label : labels) {
                for (int i = 0; i < seeds; i++) {
                    cells.add(new Cell(name, jar, label, firstSeed + i));
                }
            }
        }
        return cells;
    }

    /**
     * The jar of each policy, in policy order: the one its runs reported (the installation's
     * bundles/ or deploy/), or for NAME=JAR the jar named, its hash taken here.
     */
    private static List<Provenance.PolicyJar> policyJars(List<Cell> cells, List<CellRunner.Outcome> outcomes) {
        java.util.Map<String, Provenance.PolicyJar> jars = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            Provenance.PolicyJar reported = outcomes.get(i).policyJar();
            if (reported != null && !jars.containsKey(cell.policy())) {
                jars.put(cell.policy(), cell.policyJar() == null ? reported : reported.from(cell.policyJar()));
            }
        }
        return new ArrayList<>(jars.values());
    }

    /** The installation the command runs from (bin/scx_javaland-compare sets scx.home). */
    private static Path home() {
        String home = System.getProperty("scx.home");
        if (home == null) {
            throw new IllegalStateException("Cannot tell where scx_javaland is installed: start the comparison with"
                    + " bin/scx_javaland-compare, or pass -Dscx.home=<the installation>.");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /** Empties a report folder this command wrote before (one that holds results.json), or refuses. */
    private void clearReportFolder() throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent() && !Files.exists(out.resolve(Results.JSON))
                    && !Files.exists(out.resolve("runs"))) {
                throw new IllegalArgumentException(out + " is not empty and holds no earlier report: choose another"
                        + " folder with --out.");
            }
        }
        try (Stream<Path> all = Files.walk(out)) {
            all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(out)).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private String commandLine() {
        StringBuilder line = new StringBuilder("scx_javaland-compare");
        for (String arg : originalArgs) {
            line.append(' ').append(arg.matches("[A-Za-z0-9_./=:,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    private static String commandText(Provenance p) {
        StringBuilder jars = new StringBuilder();
        for (Provenance.PolicyJar jar : p.policyJars()) {
            jars.append("# policy ").append(jar.describe()).append('\n');
        }
        return "# Repeat with (from the installation that made it, scx_javaland " + p.version() + ", in "
                + p.workingDirectory() + "):\n"
                + p.command() + "\n"
                + jars
                + "# seeds " + p.seeds() + ", " + p.durationMs() + " virtual ms per run, " + p.jobs()
                + " runs at a time on " + p.hostCores() + " cores; " + p.java() + "; " + p.os() + "\n"
                + "# started " + p.startedAt() + ", took " + p.wallMs() + " ms\n"
                + "# each run: scx_javaland --backend sim --sim-mode fast --sim-duration-ms " + p.durationMs()
                + " --policy P --workload W --sim-seed S --report runs/P__W__seedS (runs/*/command.txt)\n";
    }

    /** -V: scx_javaland's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scx_javaland-compare " + Results.version()};
        }
    }
}
