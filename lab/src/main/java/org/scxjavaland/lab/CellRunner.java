package org.scxjavaland.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one cell as its own {@code scx_javaland} process on the simulated machine, in fast mode,
 * with {@code --report} into the cell's folder, and reads the result back. Each process has its
 * own data folder; a policy given as a jar runs from a copy of the installation whose deploy/
 * holds that jar.
 */
final class CellRunner {

    /** The launcher's main class: the same code as bin/scx_javaland runs. */
    static final String LAUNCHER_MAIN = "org.scxjavaland.launcher.Main";
    /** How a workload names a trace file to replay: {@code trace:FILE}. */
    static final String TRACE_PREFIX = "trace:";
    /** A run that has not ended after this long is stopped and counted as failed. */
    private static final long TIMEOUT_MIN = 30;

    /**
     * What a cell gave.
     *
     * @param run its result (its workload labelled as the cell's), or null when it failed
     * @param failure why it failed (the run's last line on stderr), or null
     * @param policyJar the jar the run's policy came from, as the run reported it, or null
     */
    record Outcome(Cell cell, RunResult run, String failure, Provenance.PolicyJar policyJar) {
        Outcome(Cell cell, String failure) {
            this(cell, null, failure, null);
        }
    }

    private final Path home;
    private final Path work;
    /** Virtual ms of a run unless told, but for a trace's replay, which runs as long as it was recorded. */
    static final long DEFAULT_DURATION_MS = 10_000;

    private final Long durationMs;
    private final Integer cpus;
    private final Integer queueDepth;
    private final List<String> schedulerArguments;
    private final Map<Path, Path> homesByJar = new HashMap<>();

    CellRunner(Path home, Path work, Long durationMs, Integer cpus) {
        this(home, work, durationMs, cpus, null);
    }

    /**
     * @param durationMs virtual ms of every run, or null for {@link #DEFAULT_DURATION_MS} (a trace: its own)
     * @param queueDepth the connector's queue depth for every run, or null for the default (unbounded)
     */
    CellRunner(Path home, Path work, Long durationMs, Integer cpus, Integer queueDepth) {
        this(home, work, durationMs, cpus, queueDepth, List.of());
    }

    /** @param schedulerArguments scx_javaland's arguments for the scheduling thread's costs in every run */
    CellRunner(Path home, Path work, Long durationMs, Integer cpus, Integer queueDepth, List<String> schedulerArguments) {
        this.home = home;
        this.work = work;
        this.durationMs = durationMs;
        this.cpus = cpus;
        this.queueDepth = queueDepth;
        this.schedulerArguments = List.copyOf(schedulerArguments);
    }

    /** The arguments of {@code scx_javaland} for {@code cell}, its report going to {@code reportDir}. */
    List<String> arguments(Cell cell, Path reportDir) {
        List<String> args = new ArrayList<>(List.of("--backend", "sim", "--sim-mode", "fast"));
        if (durationMs != null || !cell.workload().startsWith(TRACE_PREFIX)) {
            args.add("--sim-duration-ms");
            args.add(Long.toString(durationMs != null ? durationMs : DEFAULT_DURATION_MS));
        }
        args.addAll(List.of("--policy", cell.policy(), "--workload", workloadArgument(cell.workload()),
                "--sim-seed", Long.toString(cell.seed())));
        if (cpus != null) {
            args.add("--sim-cpus");
            args.add(Integer.toString(cpus));
        }
        if (queueDepth != null) {
            args.add("--queue-depth");
            args.add(Integer.toString(queueDepth));
        }
        args.addAll(schedulerArguments);
        args.add("--report");
        args.add(reportDir.toString());
        return args;
    }

    Outcome run(Cell cell) {
        Path dir = work.resolve(cell.folderName());
        try {
            Files.createDirectories(dir);
            Path data = dir.resolve("data");
            List<String> args = arguments(cell, dir);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dscx.home=" + homeFor(cell), "-Dscx.data=" + data, "-Dscx.shell=false",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                    LAUNCHER_MAIN));
            command.addAll(args);
            Files.writeString(dir.resolve("command.txt"), "scx_javaland " + String.join(" ", args) + "\n"
                    + (cell.policyJar() == null ? "" : "# with " + cell.policyJar() + " in deploy/\n"),
                    StandardCharsets.UTF_8);
            Path stderr = dir.resolve("stderr.txt");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_MIN, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Outcome(cell, "did not end within " + TIMEOUT_MIN + " minutes");
            }
            deleteTree(data);
            Path results = dir.resolve(Results.JSON);
            if (process.exitValue() != 0 || !Files.exists(results)) {
                return new Outcome(cell, "exit " + process.exitValue() + ": " + lastLine(stderr));
            }
            Results report = Results.readJson(results);
            RunResult run = report.runs().get(0);
            if (!run.policy().equals(cell.policy())) {
                return new Outcome(cell, "the run ended under policy " + run.policy() + ", not " + cell.policy()
                        + " (it failed and was replaced: " + lastLine(stderr) + ")");
            }
            // The run names its workload by the name= inside a file: the comparison by what the user gave.
            RunResult labelled = new RunResult(run.policy(), cell.workload(), run.seed(), run.cpus(), run.virtualNs(),
                    run.exitReason(), run.groups());
            List<Provenance.PolicyJar> jars = report.provenance().policyJars();
            return new Outcome(cell, labelled, null, jars.isEmpty() ? null : jars.get(0));
        } catch (IOException e) {
            return new Outcome(cell, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(cell, "interrupted");
        }
    }

    /** A workload file or a trace by its absolute path (the run starts elsewhere); a built-in name as it is. */
    static String workloadArgument(String workload) {
        if (workload.startsWith(TRACE_PREFIX)) {
            Path trace = Path.of(workload.substring(TRACE_PREFIX.length()).trim());
            return TRACE_PREFIX + trace.toAbsolutePath().normalize();
        }
        Path file = Path.of(workload);
        return Files.isRegularFile(file) ? file.toAbsolutePath().normalize().toString() : workload;
    }

    /** The installation, or for a policy jar a copy of it with the jar in deploy/ (made once per jar). */
    private synchronized Path homeFor(Cell cell) throws IOException {
        if (cell.policyJar() == null) {
            return home;
        }
        Path made = homesByJar.get(cell.policyJar());
        if (made == null) {
            made = work.resolve(".home-" + cell.folderName().split("__")[0]);
            for (String folder : new String[] {"bundles", "etc", "deploy"}) {
                Path target = Files.createDirectories(made.resolve(folder));
                Path source = home.resolve(folder);
                if (Files.isDirectory(source)) {
                    try (Stream<Path> files = Files.list(source)) {
                        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                            Files.copy(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            Files.copy(cell.policyJar(), made.resolve("deploy").resolve(cell.policyJar().getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
            homesByJar.put(cell.policyJar(), made);
        }
        return made;
    }

    private static String lastLine(Path file) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i).strip();
            }
        }
        return "no message";
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
