package org.scxjavaland.itests.vm.bpf;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.scxjavaland.itests.vm.VmLab;

/**
 * Runs a command in the VM lab the way the tests that attach a sched_ext scheduler need it: with
 * every vCPU on one host thread ({@code VMLAB_TCG_THREAD=single}). Multi-threaded TCG sometimes
 * crashed the guest kernel ("Oops: int3" at a jump label) while sched_ext switched on or off,
 * which flips static keys while the other vCPU runs; with one host thread that never happened.
 * {@link VmLab#run} sets no harness environment, hence this small runner of {@code vmlab.sh run}.
 */
final class SchedExtGuest {

    static final String TCG_THREAD = "VMLAB_TCG_THREAD";
    /** The harness's own timeout comes first; this is only the margin before giving up on it. */
    private static final Duration GRACE = Duration.ofSeconds(60);

    private SchedExtGuest() {
    }

    /**
     * Boots the guest and runs {@code command} in it, at most {@code timeout}.
     *
     * @param out where the files the command writes into {@code $VMLAB_OUT} land, or null
     */
    static VmLab.Result run(Duration timeout, Path out, String... command) {
        VmLab.ensureSetup();
        List<String> cmd = new ArrayList<>(List.of("bash", VmLab.script().toString(), "run",
                "--timeout", Long.toString(Math.max(1, timeout.toSeconds()))));
        if (out != null) {
            cmd.add("--out");
            cmd.add(out.toAbsolutePath().toString());
        }
        Path stdout = temp("stdout");
        Path stderr = temp("stderr");
        Path report = temp("report");
        cmd.addAll(List.of("--report", report.toString(), "--"));
        cmd.addAll(Arrays.asList(command));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put(TCG_THREAD, System.getenv().getOrDefault(TCG_THREAD, "single"));
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("vmlab.sh run did not finish within " + timeout.plus(GRACE).toSeconds() + " s.");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            VmLab.Result result = new VmLab.Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr),
                    elapsed, report(report));
            System.out.printf("[vmlab, TCG %s] %s -> exit %d in %.1f s%n", builder.environment().get(TCG_THREAD),
                    abbreviate(String.join(" ", command)), result.exitCode(), elapsed.toMillis() / 1000.0);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for vmlab.sh", e);
        } finally {
            for (Path p : new Path[] {stdout, stderr, report}) {
                p.toFile().delete();
            }
        }
    }

    /** {@code sh -c script} with {@code args} as $1, $2, ... */
    static VmLab.Result shell(Duration timeout, String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "vmlab-sh"));
        cmd.addAll(Arrays.asList(args));
        return run(timeout, null, cmd.toArray(new String[0]));
    }

    /** The repository this test runs in (searched upwards from the working directory for bundles/link-bpf). */
    static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("bundles/link-bpf")) && Files.isDirectory(dir.resolve("launcher"))) {
                return dir;
            }
        }
        throw new IllegalStateException("the scx_javaland repository was not found above " + Path.of("").toAbsolutePath() + ".");
    }

    private static Map<String, String> report(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        return values;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    private static Path temp(String what) {
        try {
            return Files.createTempFile("sched-ext-guest-", "." + what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
