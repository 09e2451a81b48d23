package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.scxjavaland.api.SchedulerBackend;

/**
 * Stopping the active policy's bundle hands its tasks to the built-in FIFO before the stop returns;
 * starting it again makes it active again; no task is lost either way.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PolicyBundleStopIT extends CountedMachineSupport {

    @Test
    public void stoppingTheActivePolicyFallsBackToTheBuiltinFifoAtOnce() throws BundleException {
        SchedulerBackend backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
        Bundle deadline = installedBundle(DEADLINE_BUNDLE);

        deadline.stop();
        assertEquals(SchedulerBackend.BUILTIN_FIFO, backend.activePolicy());
        assertFalse(backend.availablePolicies().contains("deadline"));
        long outAfterStop = link.tasksOut();
        waitUntil("tasks flowing under the built-in FIFO", () -> link.tasksOut() > outAfterStop + 1_000);
        assertEquals(SchedulerBackend.BUILTIN_FIFO, backend.activePolicy());

        deadline.start();
        assertEquals("deadline", backend.activePolicy());
        long outAfterStart = link.tasksOut();
        waitUntil("tasks flowing under deadline again", () -> link.tasksOut() > outAfterStart + 1_000);
        assertNothingLost();
    }

    @Test
    public void stoppingAnInactivePolicyLeavesTheActiveOneAlone() throws BundleException {
        SchedulerBackend backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
        Bundle fifo = installedBundle(FIFO_BUNDLE);
        fifo.stop();
        try {
            assertEquals("deadline", backend.activePolicy());
            assertFalse(backend.availablePolicies().contains("fifo"));
        } finally {
            fifo.start();
        }
        assertEquals("deadline", backend.activePolicy());
        assertNothingLost();
    }
}
