package org.scxjavaland.itests.vm.bpf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scxjavaland.itests.vm.VmLab;

/**
 * The short version of the simulator's validation ({@code benchmarks/kernel/validate.sh --quick}),
 * in every build: one boot records the sleeper among CPU hogs under each policy on the real
 * kernel (and runs it under EEVDF), each recording is replayed on the simulated machine with every
 * policy, and the report puts the kernel's wake-up latencies next to the simulator's. The tests
 * hold that every figure on both sides was measured; the figures and whether they agree are
 * printed, never asserted (a shared machine under emulation decides them). The whole validation,
 * several rounds, is the script run by hand.
 */
public class KernelValidationVmIT {
    private static final List<String> POLICIES = List.of("deadline", "fifo");
    private static final long TIMEOUT_MIN = 40;
    /** A row of the report's first table: policy, kernel p50, sim p50, ratio, kernel p99, sim p99, ... */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (deadline|fifo) \\| ([^|]+) \\| ([^|]+) \\| [^|]+ \\| ([^|]+) \\| ([^|]+) \\|");

    private static Path out;
    private static int exitCode;
    private static String output;
    private static String report;

    @BeforeClass
    public static void validateTheShortWay() throws IOException, InterruptedException {
        VmLab.assumeEnabled();
        VmLab.ensureSetup();
        Path repository = SchedExtGuest.repository();
        if (!Files.isExecutable(repository.resolve("launcher/target/scx_javaland/bin/scx_javaland"))) {
            throw new IllegalStateException("the launcher is not built: run 'mvn install' from the top first.");
        }
        out = repository.resolve("itests/vm/target/validation");
        deleteTree(out);    // nothing of an earlier run may stand in for this one's
        Path log = Files.createDirectories(out.getParent()).resolve("validation.log");
        Process p = new ProcessBuilder("bash", repository.resolve("benchmarks/kernel/validate.sh").toString(), "--quick",
                "--seeds", "1", "--policies", String.join(",", POLICIES), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(TIMEOUT_MIN, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("validate.sh did not end within " + TIMEOUT_MIN + " minutes; see " + log);
        }
        exitCode = p.exitValue();
        output = Files.readString(log, StandardCharsets.UTF_8);
        Path md = out.resolve("validation.md");
        report = Files.exists(md) ? Files.readString(md) : "";
        System.out.println("simulator against the kernel, short version (" + md + "):\n" + report);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    public void theScriptRanToItsReport() {
        assertEquals(output, 0, exitCode);
        assertFalse("no validation.md; the script said:\n" + output, report.isEmpty());
        assertTrue(Files.exists(out.resolve("validation.png")));
    }

    @Test
    public void eachPolicyMadeARecordingOnTheKernel() throws IOException {
        for (String policy : POLICIES) {
            Path trace = out.resolve("round1").resolve(policy + ".trace");
            assertTrue(policy + ": no recording; the script said:\n" + output, Files.isRegularFile(trace) && Files.size(trace) > 0);
        }
    }

    /** Kernel and simulator each measured the sleeper's p50 and p99 under each policy (n/a: not measured). */
    @Test
    public void bothSidesMeasuredTheSleeperUnderEachPolicy() {
        Matcher m = ROW.matcher(report);
        int rows = 0;
        while (m.find()) {
            rows++;
            for (int g = 2; g <= 5; g++) {
                assertTrue(m.group(1) + ": a figure is missing in '" + m.group() + "'", m.group(g).trim().matches("[0-9]+(\\.[0-9]+)?"));
            }
        }
        assertEquals("rows of the report:\n" + report, POLICIES.size(), rows);
    }
}
