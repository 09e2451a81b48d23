package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.Test;

/**
 * Once warm, the scheduling thread allocates nothing per task: measured with the JVM's per-thread
 * allocation counter over a long run of rounds (a behaviour check, not a timing).
 */
public class AllocationTest {

    private static final long WARM_UP_ROUNDS = 200_000;
    private static final long MEASURED_ROUNDS = 1_000_000;

    @Test
    public void aRoundAllocatesNothingOnceWarm() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        FakeLink link = new FakeLink(4, 256, 29, 42).load(4);
        link.probeAllocations(WARM_UP_ROUNDS, WARM_UP_ROUNDS + MEASURED_ROUNDS);
        try (Scheduler scheduler = new Scheduler("fifo")) {
            scheduler.addPolicy(new TestPolicy("fifo", TestPolicy.Order.FIFO));
            scheduler.attach(link);
            while (link.probedBytes() < 0) {
                Thread.sleep(10);
            }
            link.finish();
            assertTrue(scheduler.awaitLoopEnd(60_000));
        }

        long tasks = link.queuedRecords;
        long bytes = link.probedBytes();
        // One object per task would be at least 16 bytes times hundreds of thousands of tasks.
        assertTrue("the scheduling thread allocated " + bytes + " bytes over " + MEASURED_ROUNDS + " rounds ("
                + link.summary() + ")", bytes < 16 * 1024);
        assertTrue("the run scheduled tasks: " + link.summary(), tasks > MEASURED_ROUNDS / 2);
        assertEquals(link.summary(), 0, link.stranded());
    }
}
