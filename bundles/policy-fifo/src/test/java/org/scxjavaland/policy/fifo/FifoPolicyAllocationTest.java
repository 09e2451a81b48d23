package org.scxjavaland.policy.fifo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/** Enqueue and dispatch are the scheduling path: once warm they must not allocate. */
public class FifoPolicyAllocationTest {

    private static final class CountingContext implements PolicyContext {
        long dispatches;

        @Override public int nrCpus() { return 2; }
        @Override public long now() { return 0; }
        @Override public int selectCpu(int pid, int prevCpu, long flags) { return (pid & 1) == 0 ? -1 : prevCpu; }
        @Override public boolean dispatch(DispatchedTask task) { dispatches++; return true; }
    }

    private final FifoPolicy policy = new FifoPolicy();
    private final CountingContext context = new CountingContext();
    private final QueuedTask record = new QueuedTask().comm("worker");

    private void rounds(int count) {
        for (int round = 0; round < count; round++) {
            for (int i = 0; i < 64; i++) {
                policy.enqueue(record.pid(round * 64 + i));
            }
            for (int i = 0; i < 64; i++) {
                policy.dispatch();
            }
        }
    }

    @Test
    public void enqueueAndDispatchAllocateNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();
        policy.activate(context);
        for (int i = 0; i < 256; i++) {
            policy.enqueue(record.pid(-1 - i));
        }

        rounds(2_000);
        long before = threads.getThreadAllocatedBytes(thread);
        rounds(2_000);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals(256, policy.heldTasks());
        assertEquals(2L * 2_000 * 64, context.dispatches);
        assertTrue("allocated " + allocated + " bytes over " + 2_000 * 64 + " tasks", allocated < 4096);
    }
}
