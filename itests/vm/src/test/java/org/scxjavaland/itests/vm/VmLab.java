package org.scxjavaland.itests.vm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * Java front end of the VM lab ({@code itests/vm/vmlab/vmlab.sh}): boots the real sched_ext
 * kernel under qemu, runs one command in it as root, in this JVM's working directory, with the
 * host's root visible read-only, and returns the command's exit code and output.
 *
 * <p>Each boot costs seconds under TCG: put many checks in one {@code sh -c} script and check
 * its output from several test methods. In the guest, {@code $VMLAB_JAVA_OPTS} holds the
 * options every JVM there wants (e.g. {@code java $VMLAB_JAVA_OPTS -cp ...}), {@code $VMLAB_OUT}
 * is a folder whose files come back to {@link Options#withOut(Path)}, and {@code /tmp} and
 * {@code /run} are the guest's own.
 */
public final class VmLab {

    /** The system property that turns the VM tests on. */
    public static final String SWITCH = "vm.tests";
    /** Exit code of a run whose guest was killed at its timeout. */
    public static final int EXIT_TIMEOUT = 124;
    /** Exit code of a run that produced no result (harness error, kernel panic, ...). */
    public static final int EXIT_HARNESS = 125;

    // Margin over the harness's own timeout before this side gives up on it.
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final Duration SETUP_TIMEOUT = Duration.ofMinutes(20);

    private static Result setupResult;

    private VmLab() {
    }

    /** Whether {@code -Dvm.tests=true} was given. */
    public static boolean enabled() {
        return Boolean.getBoolean(SWITCH);
    }

    /**
     * Skips the caller (call it from {@code @BeforeClass}) unless the VM tests are on, with a
     * visible line: a skipped suite must never look like a passed one.
     */
    public static void assumeEnabled() {
        if (!enabled()) {
            String why = "VM tests off (run with -D" + SWITCH + "=true)";
            System.out.println("skipped: " + why);
            Assume.assumeTrue(why, false);
        }
    }

    /** The harness script: {@code -Dvmlab.script}, else found from the working directory. */
    public static Path script() {
        String configured = System.getProperty("vmlab.script");
        if (configured != null && !configured.isEmpty()) {
            return Paths.get(configured);
        }
        for (String candidate : List.of("vmlab/vmlab.sh", "itests/vm/vmlab/vmlab.sh", "../vm/vmlab/vmlab.sh")) {
            Path p = Paths.get(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("vmlab.sh not found: set -Dvmlab.script=/path/to/itests/vm/vmlab/vmlab.sh.");
    }

    /**
     * Runs {@code vmlab.sh setup} once per JVM (downloads and builds on a cold cache, a few
     * milliseconds on a warm one) and fails loudly if the lab cannot be made ready.
     */
    public static synchronized Result ensureSetup() {
        if (setupResult == null) {
            Result r = setup(Map.of());
            if (r.exitCode() != 0) {
                throw new IllegalStateException("vmlab.sh setup failed with exit " + r.exitCode() + ":\n" + r.stderr());
            }
            setupResult = r;
        }
        return setupResult;
    }

    /** Runs {@code vmlab.sh setup} with extra environment variables (e.g. VMLAB_OFFLINE=1). */
    public static Result setup(Map<String, String> env) {
        return exec(List.of("setup"), env, SETUP_TIMEOUT, null);
    }

    /** Boots the guest and runs {@code command} in it; waits at most {@code timeout}. */
    public static Result run(Duration timeout, String... command) {
        return run(Options.of(timeout), command);
    }

    /** Boots the guest and runs {@code sh -c script} in it. */
    public static Result shell(Duration timeout, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "vmlab-sh"));
        cmd.addAll(Arrays.asList(args));
        return run(timeout, cmd.toArray(new String[0]));
    }

    /** Boots the guest and runs {@code command} in it with the given options. */
    public static Result run(Options options, String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("no command to run in the guest");
        }
        ensureSetup();
        long secs = Math.max(1, options.timeout().toSeconds());
        List<String> args = new ArrayList<>(List.of("run", "--timeout", Long.toString(secs),
                "--mem", Integer.toString(options.memMb()), "--smp", Integer.toString(options.smp())));
        options.env().forEach((k, v) -> {
            args.add("--env");
            args.add(k + "=" + v);
        });
        if (options.out() != null) {
            args.add("--out");
            args.add(options.out().toAbsolutePath().toString());
        }
        Path report = tempFile("report");
        args.add("--report");
        args.add(report.toString());
        args.add("--");
        args.addAll(Arrays.asList(command));
        Map<String, String> harnessEnv = options.tcgThread() == null ? Map.of() : Map.of("VMLAB_TCG_THREAD", options.tcgThread());
        Result r = exec(args, harnessEnv, options.timeout().plus(GRACE), report);
        String boot = r.report().getOrDefault("boot_to_command_s", "");
        System.out.printf("[vmlab%s] %s -> exit %d in %.1f s (boot to command %s s)%n",
                options.tcgThread() == null ? "" : ", TCG " + options.tcgThread(),
                abbreviate(String.join(" ", command)), r.exitCode(), r.elapsed().toMillis() / 1000.0,
                boot.isEmpty() ? "?" : boot);
        return r;
    }

    /** Boots the guest and copies its /sys/kernel/btf/vmlinux (for vmlinux.h) to {@code out}. */
    public static Result btf(Path out) {
        ensureSetup();
        return exec(List.of("btf", out.toAbsolutePath().toString()), Map.of(), Duration.ofSeconds(120).plus(GRACE), null);
    }

    private static Result exec(List<String> args, Map<String, String> env, Duration limit, Path report) {
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
        cmd.addAll(args);
        Path out = tempFile("stdout");
        Path err = tempFile("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                // The harness enforces its own timeout; getting here means it hung: take its qemu down too.
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("vmlab.sh " + args.get(0) + " did not finish within " + limit.toSeconds() + " s.");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            return new Result(p.exitValue(), read(out), read(err), elapsed, readReport(report));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for vmlab.sh", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + cmd, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            if (report != null) {
                deleteQuietly(report);
            }
        }
    }

    private static Map<String, String> readReport(Path report) throws IOException {
        if (report == null || !Files.exists(report)) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return Collections.unmodifiableMap(m);
    }

    private static Path tempFile(String what) {
        try {
            return Files.createTempFile("vmlab-", "." + what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    /**
     * How to run one command: timeout, guest size, extra environment, where $VMLAB_OUT lands, and
     * the harness's TCG threading ({@code VMLAB_TCG_THREAD}: single or multi; null for its default).
     */
    public record Options(Duration timeout, int memMb, int smp, Map<String, String> env, Path out, String tcgThread) {

        public Options {
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        }

        /** 2 CPUs, 2048 MB, no extra environment, $VMLAB_OUT discarded. */
        public static Options of(Duration timeout) {
            return new Options(timeout, 2048, 2, Map.of(), null, null);
        }

        public Options withSmp(int cpus) {
            return new Options(timeout, memMb, cpus, env, out, tcgThread);
        }

        public Options withMem(int mb) {
            return new Options(timeout, mb, smp, env, out, tcgThread);
        }

        public Options withEnv(String name, String value) {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put(name, value);
            return new Options(timeout, memMb, smp, e, out, tcgThread);
        }

        /** Files the command writes into $VMLAB_OUT in the guest end up in {@code dir}. */
        public Options withOut(Path dir) {
            return new Options(timeout, memMb, smp, env, dir, tcgThread);
        }

        public Options withTcgThread(String mode) {
            return new Options(timeout, memMb, smp, env, out, mode);
        }
    }

    /**
     * What came back: the exit code (the command's own, or {@link #EXIT_TIMEOUT} /
     * {@link #EXIT_HARNESS}), its stdout and stderr (stderr also carries the harness's
     * {@code vmlab:} lines), the host-side wall time, and the harness's report (kernel,
     * boot_to_command_s, wall_s, console_log).
     */
    public record Result(int exitCode, String stdout, String stderr, Duration elapsed, Map<String, String> report) {

        public boolean timedOut() {
            return exitCode == EXIT_TIMEOUT;
        }

        /** The value of the first stdout line {@code key=value}, or null. */
        public String value(String key) {
            for (String line : stdout.split("\n")) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1);
                }
            }
            return null;
        }

        /**
         * Deletes the run folder a failed run leaves for inspection (console log, job), for tests
         * whose failure was the expected outcome.
         */
        public void discardLogs() {
            String log = report.get("console_log");
            if (log == null || log.isEmpty()) {
                return;
            }
            Path dir = Paths.get(log).getParent();
            if (dir == null || !dir.getFileName().toString().startsWith("run.") || !Files.isDirectory(dir)) {
                return;
            }
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // the harness prunes run folders after a day anyway
            }
        }

        /** A description for assertion messages. */
        public String describe() {
            return "exit " + exitCode + ", stdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
