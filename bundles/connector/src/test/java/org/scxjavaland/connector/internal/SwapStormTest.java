package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.example.scx.fair.FairPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Test;
import org.scxjavaland.api.SwapReport;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * The swap storm of the reliability catalogue: the three policies a user is most likely to swap
 * among (deadline, fifo and the example fair policy) take turns thousands of times while the
 * simulated machine runs the server workload, through the same {@link Scheduler#swap} the shell and
 * the OSGi backend use. Nothing may be lost or stranded, and nothing may pile up.
 *
 * <p>{@code -Dscx.swapstorm.swaps=N} sets the number of swaps (default 10,000); the figures are
 * printed on one line.
 */
public class SwapStormTest {

    private static final int SWAPS = Integer.getInteger("scx.swapstorm.swaps", 10_000);
    /** Swaps before the first heap reading: every class loaded, every queue at its working size. */
    private static final int WARM_UP_SWAPS = Math.min(500, SWAPS / 10);
    /**
     * Retained heap may differ by this much between the two readings without a leak: the
     * policies' queues and the ledger may still grow to a new largest number of tasks held (the
     * two readings differed by 2-3 KiB here). A leak of 56 bytes or more per swap (9,500 swaps
     * after the first reading) does not hide below it.
     */
    private static final long HEAP_TOLERANCE_BYTES = 512L << 10;
    private static final List<String> ORDER = List.of("deadline", "fifo", "fair");

    private Scheduler scheduler;
    private SimulatedMachine machine;

    @After
    public void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (machine != null) {
            machine.shutDown("The test is over.");
        }
    }

    @Test
    public void swapsAmongDeadlineFifoAndFairOnTheServerWorkloadLoseNothingStrandNothingAndLeakNothing()
            throws Exception {
        // A scheduling thread that needs 30 us a round, as on a slow machine: with the server's
        // ~20,000 wakeups a second (one every ~48 us) it is busy about 60 % of the time, so tasks
        // queue up now and then; and a dispatched ring with room for 1 record a round, so that a
        // policy holds what does not fit and swaps have tasks to hand over (a round dispatches
        // every task the ring takes: with the default ring a policy holds nothing between rounds).
        machine = new SimulatedMachine(Workload.builtIn("server"), SimOptions.builder().seed(8)
                .mode(SimOptions.Mode.FAST).freeScheduler().roundCostNs(30_000).dispatchedCapacity(1).build());
        CountingLink link = new CountingLink(machine);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(new DeadlinePolicy());
        scheduler.addPolicy(new FifoPolicy());
        scheduler.addPolicy(new FairPolicy());
        scheduler.attach(link);
        await(() -> link.rounds() > 1_000, "the machine scheduled");

        long heapBefore = -1;
        long handedOver = 0;
        int survived = 0;
        for (int i = 0; i < SWAPS; i++) {
            if (i == WARM_UP_SWAPS) {
                heapBefore = retainedHeap();
            }
            String from = ORDER.get(i % ORDER.size());
            String to = ORDER.get((i + 1) % ORDER.size());
            SwapReport report = scheduler.swap(to);
            assertEquals("swap " + i, from, report.from());
            assertEquals("swap " + i, to, report.to());
            handedOver += report.tasksHandedOver();
            if (link.firstDiscrepancy() != null || machine.exited()) {
                break;
            }
            survived++;
        }
        long heapAfter = retainedHeap();
        long roundsDuring = link.rounds();
        long maxHeldNs = link.maxHeldNs();

        scheduler.detach();     // hands every task still held back to the machine
        System.out.printf("swap storm: %d of %d swaps survived on the server workload (%d CPUs), %d rounds,"
                        + " %d tasks in, %d out, %d handed over in swaps, longest wait in user space %.1f ms"
                        + " (watchdog %d ms), retained heap %d KiB before, %d KiB after (%+d KiB)%n",
                survived, SWAPS, machine.nrCpus(), roundsDuring, link.tasksIn(), link.tasksOut(), handedOver,
                maxHeldNs / 1e6, SimOptions.defaults().watchdogNs() / 1_000_000, heapBefore >> 10,
                heapAfter >> 10, (heapAfter - heapBefore) >> 10);

        assertNull(link.firstDiscrepancy(), link.firstDiscrepancy());
        assertFalse("the machine stopped: " + machine.exitReason(), machine.exited());
        assertEquals(SWAPS, survived);
        assertNull("no policy failed", scheduler.lastFailure());
        assertEquals(0, scheduler.tasksRecovered());
        assertEquals(0, link.roundsOff());
        assertEquals(0, link.unknownDispatches());
        assertEquals(0, link.requeuedWhileHeld());
        assertEquals("tasks in = tasks out once the connector let go", link.tasksIn(), link.tasksOut());
        assertTrue("swaps happened with tasks held", handedOver > 0);
        assertTrue("a task waited " + maxHeldNs / 1_000_000 + " ms in user space",
                maxHeldNs < SimOptions.defaults().watchdogNs());
        assertTrue("retained heap grew by " + ((heapAfter - heapBefore) >> 10) + " KiB over " + (SWAPS - WARM_UP_SWAPS)
                + " swaps", heapAfter - heapBefore < HEAP_TOLERANCE_BYTES);
    }

    /** Heap in use after full collections: the lowest of a few readings, so garbage does not count. */
    static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Waits for a condition; the bound only keeps a broken build from hanging. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(1);
        }
    }
}
