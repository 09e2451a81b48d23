package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

public class ActivationContextTest {

    private final FakeLink link = new FakeLink(2, 16, 0, 1).recordVtimes(16).queueNow(16);
    private final TaskLedger ledger = new TaskLedger();
    private final SchedulerStats stats = new SchedulerStats();
    private final QueuedTask task = new QueuedTask();

    private DispatchedTask held(int pid, long vtime) {
        link.dequeue(task);
        assertEquals(pid, task.pid());
        ledger.record(task);
        return new DispatchedTask().prepare(task).vtime(vtime);
    }

    @Test
    public void theFirstActivationSendsVtimesUnchanged() {
        ActivationContext context = new ActivationContext(link, ledger, stats, "p", 2, 0);
        assertTrue(context.dispatch(held(1, 500)));
        assertTrue(context.dispatch(held(2, 100)));
        assertEquals(500, link.vtimes()[0]);
        assertEquals(100, link.vtimes()[1]);
        assertEquals(500, context.maxVtimeSent());
    }

    @Test
    public void laterActivationsAreShiftedAboveTheFloorKeepingTheirOrder() {
        ActivationContext context = new ActivationContext(link, ledger, stats, "p", 2, 1_000);
        DispatchedTask first = held(1, 10);
        assertTrue(context.dispatch(first));
        assertEquals("the policy's record is left as it was", 10, first.vtime());
        assertTrue(context.dispatch(held(2, 30)));
        assertTrue(context.dispatch(held(3, 5)));
        long[] sent = link.vtimes();
        assertEquals(1_000, sent[0]);
        assertEquals(1_020, sent[1]);
        assertEquals("never below the floor", 1_000, sent[2]);
        assertEquals(1_020, context.maxVtimeSent());
    }

    @Test
    public void aDispatchLeavesTheLedgerOnlyWhenTheLinkTookIt() {
        ActivationContext context = new ActivationContext(link, ledger, stats, "p", 2, 0);
        DispatchedTask d = held(1, 0);
        assertTrue(context.dispatch(d));
        assertEquals(0, ledger.size());
        assertTrue("a second dispatch is dropped", context.dispatch(d));
        assertEquals(1, stats.droppedDispatches);
        assertEquals(1, link.vtimes().length);

        context.close();
        assertFalse("a closed context dispatches nothing", context.dispatch(held(2, 0)));
        assertEquals(1, ledger.size());
    }

    @Test
    public void aMadeUpEnqueueCounterIsDropped() {
        ActivationContext context = new ActivationContext(link, ledger, stats, "p", 2, 0);
        DispatchedTask d = held(1, 0);
        assertTrue(context.dispatch(d.enqCnt(d.enqCnt() + 1)));
        assertEquals(1, ledger.size());
        assertEquals(1, stats.droppedDispatches);
        assertEquals(0, link.vtimes().length);
    }
}
