package org.scxjavaland.trace;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TraceFilesTest {
    private static final TraceHeader HEADER = new TraceHeader(4, "6.12.0", "bpf", "deadline",
            Instant.parse("2026-12-07T22:00:00Z"));
    private static final long T0 = 5_000_000_000L;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static void ev(TraceWriter w, TraceEventKind kind, long ts, int pid, int cpu) throws TraceException {
        w.event(kind, T0 + ts, pid, pid, cpu, 100, 4, "t" + pid);
    }

    /** A sleeper preempted once in its second burst, a task woken by a property change, and one seen from mid-run. */
    private Path handMade() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("hand.trace");
        try (TraceWriter w = TraceWriter.create(file, HEADER)) {
            ev(w, TraceEventKind.PREEMPTED, 0, 9, 3);      // 9 was running when the recording began
            ev(w, TraceEventKind.WAKE, 100, 7, 0);
            ev(w, TraceEventKind.RUNNING, 130, 7, 0);      // latency 30
            ev(w, TraceEventKind.SLEEP, 1130, 7, 0);       // burst 1000
            ev(w, TraceEventKind.RUNNING, 1200, 9, 3);     // 9's first run: firstWake 1200, no latency
            ev(w, TraceEventKind.WAKE, 6130, 7, 1);        // sleep 5000
            ev(w, TraceEventKind.RUNNING, 6180, 7, 1);     // latency 50
            ev(w, TraceEventKind.PREEMPTED, 6380, 7, 1);   // 200
            ev(w, TraceEventKind.RUNNING, 7380, 7, 2);     // not a wake-up: no latency
            ev(w, TraceEventKind.SLEEP, 7680, 7, 2);       // burst 200 + 300 = 500
            ev(w, TraceEventKind.RUNNABLE, 7680, 7, 2);    // a property change: no sleep
            ev(w, TraceEventKind.RUNNING, 7700, 7, 2);
            ev(w, TraceEventKind.SLEEP, 7800, 7, 2);       // burst 500 + 100 = 600
            ev(w, TraceEventKind.SLEEP, 8200, 9, 3);       // 9: burst 7000
            w.close(T0 + 10_000);
        }
        return file;
    }

    @Test
    public void burstsSleepsAndLatenciesFollowFromTheEvents() throws Exception {
        Trace trace = TraceFiles.read(handMade());
        assertEquals(1, trace.formatVersion());
        assertEquals(4, trace.cpus());
        assertEquals(10_000, trace.durationNs());
        assertEquals("kernel 6.12.0, link bpf, policy deadline, started 2026-12-07T22:00:00Z", trace.source());
        assertEquals(2, trace.tasks().size());

        TracedTask nine = trace.tasks().get(0);
        assertEquals(9, nine.pid());
        assertEquals(1200, nine.firstWakeNs());
        assertArrayEquals(new long[] {7000}, nine.runNs());
        assertArrayEquals(new long[] {-1}, nine.sleepNs());
        assertArrayEquals(new long[0], nine.wakeLatencyNs());

        TracedTask seven = trace.tasks().get(1);
        assertEquals("t7", seven.comm());
        assertEquals(100, seven.firstWakeNs());
        assertArrayEquals(new long[] {1000, 600}, seven.runNs());
        assertArrayEquals(new long[] {5000, -1}, seven.sleepNs());
        assertArrayEquals(new long[] {30, 50}, seven.wakeLatencyNs());
        assertEquals(-1, seven.onlyCpu());
    }

    @Test
    public void aTaskStillRunningAtTheEndHasItsRunUntilTheEnd() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("end.trace");
        try (TraceWriter w = TraceWriter.create(file, HEADER)) {
            w.event(TraceEventKind.WAKE, T0, 3, 1, 2, 120, 1, "pinned");
            w.event(TraceEventKind.RUNNING, T0 + 10, 3, 1, 2, 120, 1, "pinned");
            w.close(T0 + 510);
        }
        TracedTask task = TraceFiles.read(file).tasks().get(0);
        assertArrayEquals(new long[] {500}, task.runNs());
        assertEquals(2, task.onlyCpu());
        assertEquals(120, task.weight());
        assertEquals(1, task.tgid());
    }

    /** A task that woke and waited until the recording ended has no burst: a replay leaves it out. */
    @Test
    public void aTaskThatWokeButNeverRanHasNoBurst() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("woke.trace");
        try (TraceWriter w = TraceWriter.create(file, HEADER)) {
            w.event(TraceEventKind.WAKE, T0 + 40, 5, 5, 1, 100, 4, "waiter");
            w.close(T0 + 900);
        }
        TracedTask task = TraceFiles.read(file).tasks().get(0);
        assertArrayEquals(new long[0], task.runNs());
        assertArrayEquals(new long[0], task.sleepNs());
        assertArrayEquals(new long[0], task.wakeLatencyNs());
    }

    @Test
    public void aTaskTableEntryIsWrittenOnlyWhenSomethingOfTheTaskChanges() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("table.trace");
        TraceWriter w = TraceWriter.create(file, HEADER);
        w.event(TraceEventKind.WAKE, T0, 3, 3, 0, 100, 4, "a");
        long first = w.bytes();
        w.event(TraceEventKind.RUNNING, T0 + 1, 3, 3, 0, 100, 4, "a");
        long plain = w.bytes() - first;
        w.event(TraceEventKind.SLEEP, T0 + 2, 3, 3, 0, 200, 4, "a");
        long changed = w.bytes() - first - plain;
        w.close();
        assertEquals(4, plain); // tag, time, pid, cpu: one byte each here
        assertTrue(changed > plain);
        assertEquals(200, TraceFiles.read(file).tasks().get(0).weight());
        assertEquals(1, w.tasks());
        assertEquals(3, w.events());
    }

    @Test
    public void aFileCutAnywhereReadsUpToItsLastWholeRecord() throws Exception {
        byte[] whole = Files.readAllBytes(handMade());
        int headerEnd = new String(whole, StandardCharsets.ISO_8859_1).indexOf("\n\n") + 2;
        Trace full = TraceFiles.read(handMade());
        int lastBursts = 0;
        for (int cut = headerEnd; cut <= whole.length; cut++) {
            Path part = tmp.getRoot().toPath().resolve("cut" + cut);
            Files.write(part, Arrays.copyOf(whole, cut));
            Trace trace = TraceFiles.read(part);
            int bursts = trace.tasks().stream().mapToInt(t -> t.runNs().length).sum();
            assertTrue("cut at " + cut, trace.durationNs() <= full.durationNs());
            assertTrue("cut at " + cut + " lost bursts", bursts >= lastBursts - 1);
            lastBursts = bursts;
        }
        // Without the end record, the recording ends at its last event.
        Path noEnd = tmp.getRoot().toPath().resolve("noend");
        Files.write(noEnd, Arrays.copyOf(whole, whole.length - 3));
        assertEquals(8200, TraceFiles.read(noEnd).durationNs());
    }

    @Test
    public void aFileThatIsNoTraceIsRefusedInOneSentenceNamingIt() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("not.trace");
        Files.writeString(file, "hello\n\n");
        assertRefused(file, "is not a scx_javaland trace");
        Files.writeString(file, "scx_javaland trace v2\ncpus: 2\n\n");
        assertRefused(file, "has format version 2, and this build reads version 1 only");
        Files.writeString(file, "scx_javaland trace v1\ncpus: 2\n");
        assertRefused(file, "ends inside its header");
        Files.writeString(file, "scx_javaland trace v1\ncpus: none\n\n");
        assertRefused(file, "gives no valid number of CPUs");
        Files.write(file, concat("scx_javaland trace v1\ncpus: 2\n\n", new byte[] {42}));
        assertRefused(file, "is damaged: byte 31 holds an unknown record type 42");
        Files.write(file, concat("scx_javaland trace v1\ncpus: 2\n\n", new byte[] {2, 0, 5, 0}));
        assertRefused(file, "comes before the task's table entry");
        assertRefused(tmp.getRoot().toPath().resolve("missing"), "does not exist");
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(h, h.length + tail.length);
        System.arraycopy(tail, 0, all, h.length, tail.length);
        return all;
    }

    private static void assertRefused(Path file, String expected) {
        try {
            TraceFiles.read(file);
            fail("read " + file);
        } catch (TraceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.getMessage(), e.getMessage().contains(file.toString()));
            assertTrue(e.getMessage(), e.getMessage().endsWith("."));
        }
    }

    @Test
    public void theWriterRefusesASymbolicLinkAndCreatesTheFileReadableByAll() throws Exception {
        Path target = tmp.newFile("target").toPath();
        Path link = tmp.getRoot().toPath().resolve("link.trace");
        Files.createSymbolicLink(link, target);
        try {
            TraceWriter.create(link, HEADER);
            fail("wrote through a symbolic link");
        } catch (TraceException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("is not a regular file"));
        }
        assertEquals(0, Files.size(target));

        Path file = tmp.getRoot().toPath().resolve("new.trace");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        TraceWriter.create(file, HEADER).close();
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).startsWith("scx_javaland trace v1\ncpus: 4\n"));
    }
}
