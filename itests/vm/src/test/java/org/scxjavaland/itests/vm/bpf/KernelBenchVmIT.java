package org.scxjavaland.itests.vm.bpf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scxjavaland.itests.vm.VmLab;

/**
 * The short version of the kernel benchmark suite ({@code benchmarks/kernel}), in every build: one
 * boot runs each workload briefly under javaland's deadline policy and then under the kernel's
 * default (EEVDF), with the same third-party tools, and writes the suite's report into
 * {@code itests/vm/target/kernel-bench}. The tests hold that every figure was measured and that
 * javaland stayed attached throughout; the figures themselves are printed, never asserted (a
 * shared machine under emulation decides them). The whole suite, several rounds with the order
 * rotated, is {@code benchmarks/kernel/bench.sh}.
 */
public class KernelBenchVmIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(15);
    private static final List<String> SCHEDULERS = List.of("deadline", "eevdf");
    private static final List<String> FIGURES = List.of("cyclictest.p50_us", "cyclictest.p99_us", "sysbench.events_per_s",
            "hackbench.time_s", "stress_cpu.bogo_ops_per_s", "pipe.us_per_op", "sock.bogo_ops_per_s");

    private static Path report;
    private static VmLab.Result result;

    @BeforeClass
    public static void runTheShortSuite() throws IOException {
        VmLab.assumeEnabled();
        Path repository = SchedExtGuest.repository();
        Path layout = repository.resolve("launcher/target/scx_javaland");
        if (!Files.isExecutable(layout.resolve("bin/scx_javaland"))) {
            throw new IllegalStateException(layout + " is not built: run 'mvn install' from the top first.");
        }
        report = repository.resolve("itests/vm/target/kernel-bench");
        Path round = Files.createDirectories(report.resolve("round1"));
        result = SchedExtGuest.run(TIMEOUT, round, "bash", repository.resolve("benchmarks/kernel/guest-bench.sh").toString(),
                layout.toString(), String.join(",", SCHEDULERS), "ci");
        Files.writeString(round.resolve("results.txt"), result.stdout());
        Files.writeString(report.resolve("about.txt"), "command=KernelBenchVmIT (guest-bench.sh ci, one round: "
                + String.join(",", SCHEDULERS) + ")\n");
    }

    @AfterClass
    public static void writeAndPrintTheReport() throws IOException, InterruptedException {
        if (result == null) {
            return;
        }
        Process p = new ProcessBuilder("/usr/bin/python3", SchedExtGuest.repository().resolve("benchmarks/kernel/report.py").toString(),
                report.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(2, TimeUnit.MINUTES);
        Path md = report.resolve("report.md");
        if (done && p.exitValue() == 0 && Files.exists(md)) {
            System.out.println("kernel benchmark, short version (" + md + "):\n" + Files.readString(md));
        } else {
            System.out.println("kernel benchmark: no report (" + out.strip() + ")");
        }
    }

    private static String value(String key) {
        String v = result.value(key);
        assertNotNull("no '" + key + "' line; " + result.describe(), v);
        return v;
    }

    @Test
    public void theGuestRanEveryWorkloadUnderEachScheduler() {
        assertEquals(result.describe(), 0, result.exitCode());
        for (String s : SCHEDULERS) {
            for (String workload : List.of("cyclictest", "sysbench", "hackbench", "stress_cpu", "pipe", "sock")) {
                assertEquals(s + " " + workload + "; " + result.describe(), "0", value(s + "." + workload + ".exit"));
            }
        }
    }

    @Test
    public void everyFigureWasMeasuredForEachScheduler() {
        for (String s : SCHEDULERS) {
            for (String figure : FIGURES) {
                String v = value(s + "." + figure);
                // "overflow": beyond cyclictest's histogram (200 ms), still a measurement
                assertTrue(s + "." + figure + " is not a number: " + v, v.matches("[0-9]+(\\.[0-9]+)?|overflow"));
            }
        }
    }

    /**
     * The sleeper is what the row says: a SCHED_OTHER thread (priority 120 in the kernel's trace),
     * which sched_ext schedules, not a real-time one (cyclictest's -p makes it SCHED_FIFO), and the
     * trace saw its wake-ups and its sleep timers (their lateness is part of cyclictest's figure).
     */
    @Test
    public void theSleeperWasASchedOtherThreadAndItsWakeUpsWereTraced() {
        for (String s : SCHEDULERS) {
            assertEquals(s + ": the sleeper's priority in the trace", "120", value(s + ".cyclictest.thread_prio"));
            assertTrue(s + ": no traced wake-up", Long.parseLong(value(s + ".cyclictest.wakeups_traced")) > 0);
            assertNotNull(value(s + ".cyclictest.wake_to_run_p50_us"));
            assertNotNull(s + ": the sleeper's timers were not traced", value(s + ".cyclictest.timer_late_p50_us"));
        }
    }

    @Test
    public void javalandStayedAttachedAndItsOwnCostWasMeasured() {
        assertEquals("enabled", value("deadline.state"));
        assertEquals("enabled", value("deadline.state_after"));
        assertEquals("0", value("deadline.stop.exit"));
        assertEquals("disabled", value("eevdf.state"));
        assertTrue(Double.parseDouble(value("deadline.start.to_enabled_s")) > 0);
        assertTrue("the policy dispatched nothing under cyclictest",
                Long.parseLong(value("deadline.cyclictest.user_dispatches")) > 0);
        assertNotNull(value("deadline.cyclictest.sched_cpu_per_user_dispatch_us"));
    }
}
