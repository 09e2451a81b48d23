package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;

/** Swapping policies under load, through {@link SchedulerBackend#swap}, loses no task. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicySwapIT extends CountedMachineSupport {

    private static final int ROUND_TRIPS = 100;

    @Test
    public void deadlineFifoDeadlineAHundredTimesLosesNothing() {
        SchedulerBackend backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
        long inBefore = link.tasksIn();
        long outBefore = link.tasksOut();
        long handedOver = 0;
        int swapsWithTasks = 0;

        for (int i = 0; i < ROUND_TRIPS; i++) {
            for (String[] step : new String[][] {{"deadline", "fifo"}, {"fifo", "deadline"}}) {
                long outBeforeSwap = link.tasksOut();
                SwapReport report = backend.swap(step[1]);
                assertEquals("swap " + i, step[0], report.from());
                assertEquals("swap " + i, step[1], report.to());
                assertEquals(step[1], backend.activePolicy());
                handedOver += report.tasksHandedOver();
                swapsWithTasks += report.tasksHandedOver() > 0 ? 1 : 0;
                // Let the new policy dispatch a little before the next swap.
                waitUntil("dispatches after swap " + i, () -> link.tasksOut() > outBeforeSwap + 10 || machine.exited());
                if (machine.exited()) {
                    fail("the machine stopped during swap " + i + ": " + machine.exitReason());
                }
            }
        }

        assertTrue("the policies never held a task at a swap: the swaps were not under load", swapsWithTasks > 0);
        assertTrue("tasks handed over: " + handedOver, handedOver >= swapsWithTasks);
        assertTrue(link.tasksIn() > inBefore + 2 * ROUND_TRIPS * 10);
        assertTrue(link.tasksOut() > outBefore + 2 * ROUND_TRIPS * 10);
        assertEquals("deadline", backend.activePolicy());
        assertNothingLost();
    }
}
