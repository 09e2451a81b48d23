package org.scxjavaland.itests.vm.bpf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scxjavaland.itests.vm.VmLab;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TraceException;
import org.scxjavaland.trace.TraceFiles;
import org.scxjavaland.trace.TracedTask;

/**
 * {@code scx_javaland --backend bpf --record FILE} on a real sched_ext kernel, as root, while a
 * CPU-bound loop and a sleeper that sleeps 10 ms at a time run ({@code record-in-guest.sh}, one
 * boot): the trace it leaves is read with {@link TraceFiles#read} and must show the sleeper as
 * the kernel ran it. Needs the launcher's layout built first ({@code mvn install} from the top).
 */
public class RecorderVmIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int SECONDS = 8;
    private static final Pattern RECORDED = Pattern.compile(
            "Recorded (\\d+) events of (\\d+) tasks \\((\\d+) bytes, (\\d+) events dropped by the kernel side\\) into (\\S+): (.*)\\.");

    private static Path out;
    private static VmLab.Result result;
    private static Trace trace;
    private static Matcher recorded;

    @BeforeClass
    public static void recordInTheGuest() throws IOException, TraceException {
        VmLab.assumeEnabled();
        Path repository = SchedExtGuest.repository();
        Path layout = repository.resolve("launcher/target/scx_javaland");
        if (!Files.isExecutable(layout.resolve("bin/scx_javaland"))) {
            throw new IllegalStateException(layout + " is not built: run 'mvn install' from the top first.");
        }
        Path script = repository.resolve("itests/vm/src/test/java/org/scxjavaland/itests/vm/bpf/record-in-guest.sh");
        out = Files.createTempDirectory("recorder-vm-");
        result = SchedExtGuest.run(TIMEOUT, out, "bash", script.toString(), layout.toString(), Integer.toString(SECONDS));
        System.out.println(result.stdout());
        String err = Files.exists(out.resolve("record.err")) ? Files.readString(out.resolve("record.err")) : "";
        recorded = RECORDED.matcher(err);
        if (!recorded.find()) {
            throw new AssertionError("no recorder line in scx_javaland's output:\n" + err + "\n" + result.describe());
        }
        trace = TraceFiles.read(out.resolve("run.trace"));
    }

    @AfterClass
    public static void removeTheOutput() throws IOException {
        if (out != null) {
            try (var paths = Files.walk(out)) {
                for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static String value(String key) {
        String v = result.value(key);
        if (v == null) {
            throw new AssertionError("no '" + key + "' line; " + result.describe());
        }
        return v;
    }

    private static TracedTask task(String comm) {
        return trace.tasks().stream().filter(t -> t.comm().equals(comm)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + comm + " among " + trace.tasks().size() + " tasks"));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    @Test
    public void theRecordingEndsAtItsDurationWithOneLineAndAWholeFileOfRoots() {
        assertEquals("its " + SECONDS + " s were over", recorded.group(6));
        assertEquals("/tmp/rec/run.trace", recorded.group(5));
        assertEquals(value("trace_bytes"), recorded.group(3));
        assertEquals("644", value("trace_mode"));
        assertEquals("0", value("trace_owner"));
        assertEquals("enabled", value("state_while_running"));
        assertEquals("disabled", value("state_after"));
        // Dropped events are counted (the 4 MiB ring is drained every 10 ms: none expected here).
        assertTrue(Long.parseLong(recorded.group(4)) >= 0);
    }

    @Test
    public void theFileSaysWhatItRecorded() {
        assertEquals(1, trace.formatVersion());
        assertEquals(2, trace.cpus());
        assertTrue(trace.source(), trace.source().contains("link bpf, policy deadline"));
        assertTrue(trace.source(), trace.source().startsWith("kernel " + value("kernel")));
        assertEquals(Integer.parseInt(recorded.group(2)), trace.tasks().size());
        // The duration is the span of the events, on the kernel's clock: most of the seconds asked for.
        assertTrue(trace.durationNs() + " ns", trace.durationNs() > 0);
    }

    @Test
    public void theSleeperRunsShortBurstsBetweenSleepsOfAboutItsPeriod() {
        TracedTask sleeper = task("sleeper10ms");
        assertEquals(Integer.parseInt(value("sleeper_pid")), sleeper.pid());
        // 10 ms sleeps for 8 s: hundreds even under emulation, each woken through the kernel's
        // callbacks whether user space saw it or not.
        assertTrue(sleeper.runNs().length + " bursts", sleeper.runNs().length >= 50);
        long[] sleeps = Arrays.copyOf(sleeper.sleepNs(), sleeper.sleepNs().length - 1);
        long sleep = median(sleeps);
        assertTrue("median sleep " + sleep + " ns", sleep >= 5_000_000 && sleep <= 200_000_000);
        assertTrue("median burst " + median(sleeper.runNs()) + " ns", median(sleeper.runNs()) < sleep);
        assertTrue(sleeper.wakeLatencyNs().length >= sleeps.length / 2);
        assertEquals(1, Arrays.stream(sleeper.sleepNs()).filter(s -> s == -1).count());
        System.out.printf("recorder on sched_ext: %s events of %s tasks, %s bytes in %d s; sleeper %d bursts, median"
                + " burst %d us, sleep %d us, wake-up latency %d us%n", recorded.group(1), recorded.group(2),
                recorded.group(3), SECONDS, sleeper.runNs().length, median(sleeper.runNs()) / 1000, sleep / 1000,
                median(sleeper.wakeLatencyNs()) / 1000);
    }

    @Test
    public void theBusyLoopRunsMostOfTheRecording() {
        TracedTask busy = trace.tasks().stream().filter(t -> t.pid() == Integer.parseInt(value("busy_pid"))).findFirst()
                .orElseThrow(() -> new AssertionError("no busy loop"));
        // It never sleeps: one burst (preempted many times), a good share of one CPU.
        assertTrue(busy.runNs().length + " bursts", busy.runNs().length <= 2);
        assertTrue(busy.cpuNs() + " of " + trace.durationNs(), busy.cpuNs() > trace.durationNs() / 10);
    }
}
