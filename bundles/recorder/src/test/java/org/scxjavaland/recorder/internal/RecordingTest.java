package org.scxjavaland.recorder.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TraceFiles;
import org.scxjavaland.trace.TraceHeader;
import org.scxjavaland.trace.TracedTask;

public class RecordingTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A kernel side that queued a fixed list of events, and dropped some. */
    private static final class ScriptedEvents implements TaskEventSource {
        final Deque<long[]> events = new ArrayDeque<>();
        long dropped;
        boolean closed;
        int drains;

        void add(int kind, long ts, int pid) {
            events.add(new long[] {kind, ts, pid});
        }

        @Override
        public int drain(TaskEventSink sink, int max) {
            drains++;
            int n = 0;
            byte[] comm = "sleeper".getBytes(StandardCharsets.US_ASCII);
            while (n < max && !events.isEmpty()) {
                long[] e = events.poll();
                sink.event((int) e[0], e[1], (int) e[2], (int) e[2], 1, 100, 2, java.util.Arrays.copyOf(comm, 16));
                n++;
            }
            return n;
        }

        @Override
        public long dropped() {
            return dropped;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final TraceHeader HEADER = new TraceHeader(2, "test", "bpf", "deadline", Instant.EPOCH);

    private static ScriptedEvents sleeper(int periods) {
        ScriptedEvents events = new ScriptedEvents();
        long t = 1_000_000;
        for (int i = 0; i < periods; i++) {
            events.add(TaskEventSink.KIND_WAKE, t, 42);
            events.add(TaskEventSink.KIND_RUNNING, t + 20_000, 42);
            events.add(TaskEventSink.KIND_SLEEP, t + 120_000, 42);
            t += 10_000_000;
        }
        return events;
    }

    @Test
    public void aStoppedRecordingDrainsWhatWaitsAndClosesAWholeFile() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("run.trace");
        ScriptedEvents events = sleeper(10_000);
        events.dropped = 7;
        Recording recording = new Recording(RecorderSettings.from(Map.of("file", file.toString())), events, () -> HEADER,
                System::nanoTime);
        recording.stop();
        recording.run();
        assertEquals("the host stopped", recording.ended());
        assertTrue(events.closed);
        Trace trace = TraceFiles.read(file);
        TracedTask task = trace.tasks().get(0);
        assertEquals(10_000, task.runNs().length);
        assertEquals(100_000, task.runNs()[0]);
        assertEquals(9_880_000, task.sleepNs()[0]);
        assertEquals(20_000, task.wakeLatencyNs()[0]);
        assertTrue(Files.readString(file, StandardCharsets.ISO_8859_1).startsWith("scx_javaland trace v1\ncpus: 2\n"));
    }

    @Test
    public void theSizeCapEndsTheRecordingWithAWholeFileUnderIt() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("capped.trace");
        ScriptedEvents events = sleeper(400_000); // ~5 MB of events
        Recording recording = new Recording(RecorderSettings.from(Map.of("file", file.toString(), "max_mb", 1)), events,
                () -> HEADER, System::nanoTime);
        recording.run();
        assertEquals("its size cap of 1 MiB was reached", recording.ended());
        long size = Files.size(file);
        assertTrue(size + " bytes", size <= 1 << 20 && size > (1 << 20) - 1000);
        Trace trace = TraceFiles.read(file);
        assertTrue(trace.tasks().get(0).runNs().length > 50_000); // about 5.5 bytes an event
    }

    @Test
    public void theDurationEndsTheRecordingOnItsOwnClock() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("timed.trace");
        ScriptedEvents events = new ScriptedEvents();
        AtomicLong clock = new AtomicLong();
        // Each look at the clock moves it on by 0.3 s: the 1 s recording ends after a few drains.
        Recording recording = new Recording(RecorderSettings.from(Map.of("file", file.toString(), "seconds", "1")), events,
                () -> HEADER, () -> clock.getAndAdd(300_000_000L));
        recording.run();
        assertEquals("its 1 s were over", recording.ended());
        assertEquals(3, events.drains);
        assertEquals(0, TraceFiles.read(file).tasks().size());
    }

    @Test
    public void aFileThatCannotBeWrittenEndsTheRecordingWithOneSentence() throws Exception {
        Path target = tmp.newFile("elsewhere").toPath();
        Path link = tmp.getRoot().toPath().resolve("link.trace");
        Files.createSymbolicLink(link, target);
        ScriptedEvents events = sleeper(10);
        Recording recording = new Recording(RecorderSettings.from(Map.of("file", link.toString())), events, () -> HEADER,
                System::nanoTime);
        recording.stop();
        recording.run();
        assertTrue(recording.ended(), recording.ended().contains("is not a regular file"));
        assertTrue(events.closed);
        assertEquals(0, Files.size(target));
    }

    @Test
    public void badSettingsAreRefusedInOneSentence() {
        assertRefused(Map.of(), "has no file to write");
        assertRefused(Map.of("file", "relative.trace"), "is not an absolute path");
        assertRefused(Map.of("file", "/tmp/x", "seconds", "0"), "seconds must be a positive number");
        assertRefused(Map.of("file", "/tmp/x", "seconds", "soon"), "is not a number");
        assertRefused(Map.of("file", "/tmp/x", "max_mb", "0"), "max_mb must be at least 1");
        RecorderSettings defaults = RecorderSettings.from(Map.of("file", "/tmp/x"));
        assertEquals(60.0, defaults.seconds(), 0);
        assertEquals(256L << 20, defaults.maxBytes());
    }

    private static void assertRefused(Map<String, ?> config, String expected) {
        try {
            RecorderSettings.from(config);
            throw new AssertionError("accepted " + config);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }
}
