package org.scxjavaland.policy.deadline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Comparator;
import java.util.Random;
import java.util.TreeSet;
import org.junit.Test;

/**
 * The queue gives tasks out exactly in the seed's order (deadline, then enqueue time, then pid,
 * the two times unsigned), checked against a sorted set of the same entries over long random runs
 * of inserts and pops: with many equal deadlines and times, with times whose top bit is set, at
 * every size from empty to thousands of tasks, across the queue's growth and with entries recycled
 * and reused. Both ways the queue can choose among a node's children (conditional moves,
 * arithmetic) are checked, whichever Java runs the test.
 */
public class DeadlineQueueOrderTest {
    private static final Comparator<TaskEntry> SEED_ORDER = Comparator
            .<TaskEntry>comparingLong(e -> e.deadline ^ Long.MIN_VALUE)
            .thenComparingLong(e -> e.timestamp ^ Long.MIN_VALUE)
            .thenComparingInt(e -> e.task.pid());

    @Test
    public void popsInTheSeedsOrderWithFewDistinctKeys() {
        for (boolean conditionalMoves : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 20; seed++) {
                check(new DeadlineQueue(conditionalMoves), new Random(seed), 20_000, 8, 4);
            }
        }
    }

    @Test
    public void popsInTheSeedsOrderWithWideKeys() {
        for (boolean conditionalMoves : new boolean[] {false, true}) {
            for (long seed = 1; seed <= 20; seed++) {
                check(new DeadlineQueue(conditionalMoves), new Random(seed), 20_000, Long.MAX_VALUE, Long.MAX_VALUE);
            }
        }
    }

    @Test
    public void popsInTheSeedsOrderWhileGrowingToThousandsAndEmptyingAgain() {
        for (boolean conditionalMoves : new boolean[] {false, true}) {
            growAndEmpty(new DeadlineQueue(conditionalMoves));
        }
    }

    private static void growAndEmpty(DeadlineQueue queue) {
        Random random = new Random(42);
        TreeSet<TaskEntry> model = new TreeSet<>(SEED_ORDER);
        int pid = 0;
        for (int i = 0; i < 5_000; i++) {
            TaskEntry entry = entry(queue, random, ++pid, 1_000, 3);
            queue.insert(entry);
            model.add(entry);
        }
        while (!model.isEmpty()) {
            assertEquals(model.pollFirst(), queue.pollFirst());
        }
        assertNull(queue.pollFirst());
        assertEquals(0, queue.size());
    }

    /**
     * {@code operations} random inserts and pops, tending to hold a few hundred tasks. Deadlines and
     * timestamps are drawn from {@code deadlines} and {@code stamps} values, shifted around the top
     * bit so that the unsigned order differs from the signed one.
     */
    private static void check(DeadlineQueue queue, Random random, int operations, long deadlines, long stamps) {
        TreeSet<TaskEntry> model = new TreeSet<>(SEED_ORDER);
        int pid = 0;
        for (int i = 0; i < operations; i++) {
            boolean insert = model.isEmpty() || random.nextInt(512) >= model.size();
            if (insert) {
                TaskEntry entry = entry(queue, random, ++pid, deadlines, stamps);
                queue.insert(entry);
                model.add(entry);
            } else {
                TaskEntry popped = queue.pollFirst();
                assertEquals("pop " + i, model.pollFirst(), popped);
                assertEquals(model.size(), queue.size());
                queue.recycle(popped);     // taken again by a later insert, with other keys
            }
        }
        while (!model.isEmpty()) {
            assertEquals(model.pollFirst(), queue.pollFirst());
        }
        assertNull(queue.pollFirst());
    }

    private static TaskEntry entry(DeadlineQueue queue, Random random, int pid, long deadlines, long stamps) {
        TaskEntry entry = queue.obtain();
        entry.deadline = around(random, deadlines);
        entry.timestamp = around(random, stamps);
        // A task is held once, so pids differ; scrambled, so that their order is not the insert order.
        entry.task.pid((pid * 0x9E3779B1) & Integer.MAX_VALUE);
        return entry;
    }

    /** A value among {@code range} values near 0, near the top bit, or near the largest u64. */
    private static long around(Random random, long range) {
        long offset = range == Long.MAX_VALUE ? random.nextLong() >>> 1 : random.nextInt((int) range);
        switch (random.nextInt(3)) {
            case 0:
                return offset;
            case 1:
                return Long.MIN_VALUE + offset;
            default:
                return -1L - offset;
        }
    }
}
