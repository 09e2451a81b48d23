package org.scxjavaland.trace;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Written then read: tasks that wake, wait, run (preempted now and then) and sleep come back with
 * the bursts, sleeps and wake-up latencies they were generated with.
 */
class TraceRoundTripPropertyTest {

    /** One generated burst of one task: wait before running, run pieces, then a sleep. */
    record Burst(long latency, List<Long> pieces, long sleep) {
        long cpu() {
            return pieces.stream().mapToLong(Long::longValue).sum();
        }
    }

    @Property(tries = 200)
    void burstsAndSleepsSurviveTheFile(@ForAll @Size(min = 1, max = 6) List<@Size(min = 1, max = 8) List<@LongRange(min = 0, max = 1_000_000_000L) Long>> tasks,
            @ForAll @IntRange(min = 1, max = 3) int piecesPerBurst, @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long origin)
            throws Exception {
        Path file = Files.createTempFile("roundtrip", ".trace");
        try {
            // Each task's numbers make its bursts: latency, pieces and sleep derived from them.
            List<List<Burst>> expected = new ArrayList<>();
            for (List<Long> numbers : tasks) {
                List<Burst> bursts = new ArrayList<>();
                for (long n : numbers) {
                    List<Long> pieces = new ArrayList<>();
                    for (int p = 0; p < piecesPerBurst; p++) {
                        pieces.add(1 + (n >> (p * 3)) % 5_000_000);
                    }
                    bursts.add(new Burst(n % 70_000, pieces, 1 + n % 900_000_000));
                }
                expected.add(bursts);
            }
            // Tasks one after the other in time (the events of one file are in time order).
            long t = origin;
            try (TraceWriter w = TraceWriter.create(file, new TraceHeader(2, "k", "sim", "p", Instant.EPOCH))) {
                for (int i = 0; i < expected.size(); i++) {
                    int pid = 100 + i;
                    for (Burst b : expected.get(i)) {
                        w.event(TraceEventKind.WAKE, t, pid, pid, 0, 100, 2, "task" + i);
                        t += b.latency();
                        for (int p = 0; p < b.pieces().size(); p++) {
                            w.event(TraceEventKind.RUNNING, t, pid, pid, 1, 100, 2, "task" + i);
                            t += b.pieces().get(p);
                            boolean last = p == b.pieces().size() - 1;
                            w.event(last ? TraceEventKind.SLEEP : TraceEventKind.PREEMPTED, t, pid, pid, 1, 100, 2,
                                    "task" + i);
                            t += last ? 0 : 1000;
                        }
                        t += b.sleep();
                    }
                }
                w.close(t);
            }
            Trace trace = TraceFiles.read(file);
            assertEquals(expected.size(), trace.tasks().size());
            assertEquals(t - origin, trace.durationNs());
            for (int i = 0; i < expected.size(); i++) {
                List<Burst> bursts = expected.get(i);
                TracedTask task = trace.tasks().get(i);
                long[] runs = bursts.stream().mapToLong(Burst::cpu).toArray();
                long[] latencies = bursts.stream().mapToLong(Burst::latency).toArray();
                long[] sleeps = new long[bursts.size()];
                for (int b = 0; b < bursts.size() - 1; b++) {
                    // The sleep runs from the stop to the next wake-up.
                    sleeps[b] = bursts.get(b).sleep();
                }
                sleeps[bursts.size() - 1] = -1;
                assertEquals("task" + i, task.comm());
                assertArrayEquals(runs, task.runNs());
                assertArrayEquals(sleeps, task.sleepNs());
                assertArrayEquals(latencies, task.wakeLatencyNs());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
