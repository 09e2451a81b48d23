package org.scxjavaland.sim.internal;

import static org.junit.Assert.assertEquals;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.Test;

/** The timers come out in the order of (time, id), whatever was scheduled, moved or cancelled before. */
public class EventHeapTest {

    @Test
    public void pollsInTimeThenIdOrderAfterRandomSchedulesMovesAndCancels() {
        int ids = 300;
        EventHeap heap = new EventHeap(ids);
        long[] timeOf = new long[ids];
        TreeSet<Integer> expected = new TreeSet<>(
                Comparator.<Integer>comparingLong(id -> timeOf[id]).thenComparingInt(id -> id));
        SplittableRandom random = new SplittableRandom(13);
        for (int step = 0; step < 200_000; step++) {
            int id = random.nextInt(ids);
            int op = random.nextInt(10);
            if (op < 6) {
                expected.remove(id);
                timeOf[id] = random.nextLong(50); // few distinct times: many ties to break by id
                expected.add(id);
                heap.schedule(id, timeOf[id]);
            } else if (op < 8) {
                expected.remove(id);
                heap.cancel(id);
            } else if (!expected.isEmpty()) {
                assertEquals("peek at step " + step, timeOf[expected.first()], heap.peekTime());
                assertEquals("poll at step " + step, (int) expected.pollFirst(), heap.poll());
            }
            assertEquals(expected.isEmpty(), heap.isEmpty());
        }
        while (!expected.isEmpty()) {
            assertEquals((int) expected.pollFirst(), heap.poll());
        }
        assertEquals(true, heap.isEmpty());
    }
}
