package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

public class ActivationContextTest {

    private final FakeLink link = new FakeLink(2, 16, 0, 1).takePerRound(0).recordVtimes(16).queueNow(16);
    private final TaskLedger ledger = new TaskLedger();
    private final SchedulerStats stats = new SchedulerStats();
    private final QueuedTask task = new QueuedTask();

    /** The context as a policy sees it: inside one of its calls on the thread that made the context. */
    private static ActivationContext inPolicyCall(ActivationContext context) {
        context.calls().enterPolicy("dispatch");
        return context;
    }

    private DispatchedTask held(int pid, long vtime) {
        link.dequeue(task);
        assertEquals(pid, task.pid());
        ledger.record(task);
        return new DispatchedTask().prepare(task).vtime(vtime);
    }

    @Test
    public void theFirstActivationSendsVtimesUnchanged() {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 0));
        assertTrue(context.dispatch(held(1, 500)));
        assertTrue(context.dispatch(held(2, 100)));
        assertEquals(500, link.vtimes()[0]);
        assertEquals(100, link.vtimes()[1]);
        assertEquals(500, context.maxVtimeSent());
    }

    @Test
    public void laterActivationsAreShiftedAboveTheFloorKeepingTheirOrder() {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 1_000));
        DispatchedTask first = held(1, 10);
        assertTrue(context.dispatch(first));
        assertEquals("the policy's record is left as it was", 10, first.vtime());
        assertTrue(context.dispatch(held(2, 30)));
        assertTrue(context.dispatch(held(3, 0)));
        long[] sent = link.vtimes();
        assertEquals(1_010, sent[0]);
        assertEquals(1_030, sent[1]);
        assertEquals("never below the floor", 1_000, sent[2]);
        assertEquals(1_030, context.maxVtimeSent());
    }

    @Test
    public void vtimesComeBackOnThePolicysOwnScale() {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 1_000));
        assertEquals("its own dispatch comes back as it chose it", 30, context.toPolicyVtime(1_030));
        assertEquals("a task never dispatched stays new", 0, context.toPolicyVtime(0));
        assertEquals("a task an earlier policy dispatched is long asleep", 1, context.toPolicyVtime(1_000));
        assertEquals(1, context.toPolicyVtime(7));
        ActivationContext first = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 0));
        assertEquals("the first activation sees the kernel's numbers", 7, first.toPolicyVtime(7));
    }

    @Test
    public void aShiftThatWouldOverflowSaturates() {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 1_000));
        assertTrue(context.dispatch(held(1, -10L)));
        assertEquals(-1L, link.vtimes()[0]);
        assertEquals("vtimes are unsigned: the next policy's floor is the top", -1L, context.maxVtimeSent());
    }

    @Test
    public void aDispatchLeavesTheLedgerOnlyWhenTheLinkTookIt() {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 0));
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
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 0));
        DispatchedTask d = held(1, 0);
        assertTrue(context.dispatch(d.enqCnt(d.enqCnt() + 1)));
        assertEquals(1, ledger.size());
        assertEquals(1, stats.droppedDispatches);
        assertEquals(0, link.vtimes().length);
    }
    @Test
    public void nowReadsTheLinksClockForTheSchedulingThreadOnly() throws Exception {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 0));
        assertEquals(link.now(), context.now());
        link.notifyComplete(0);     // the fake link's clock moves a round on
        assertEquals("read again, not kept", link.now(), context.now());
        long[] fromAnotherThread = new long[1];
        Thread other = new Thread(() -> fromAnotherThread[0] = context.now());
        other.start();
        other.join();
        assertEquals("only the scheduling thread", -1, fromAnotherThread[0]);
    }

    @Test
    public void onlyTheSchedulingThreadInsideAPolicyCallReachesTheLink() throws Exception {
        ActivationContext context = new ActivationContext(link, ledger, stats, "p", 2, 0);
        DispatchedTask d = held(1, 0);
        assertFalse("outside a policy call", context.dispatch(d));
        assertEquals(-1, context.selectCpu(2, 0, 0));
        assertEquals(-1, context.now());

        long mark = context.calls().enterPolicy("dispatch");
        boolean[] fromAnotherThread = new boolean[1];
        Thread other = new Thread(() -> fromAnotherThread[0] = context.dispatch(d));
        other.start();
        other.join();
        assertFalse("from a thread of the policy's own", fromAnotherThread[0]);
        assertEquals(1, ledger.size());

        assertTrue(context.calls().abandon(context.calls().observe()));
        assertFalse("once the guard gave up on the call", context.dispatch(d));
        assertEquals(-1, context.now());
        assertEquals(1, ledger.size());
        assertEquals(0, link.vtimes().length);
        try {
            context.calls().leavePolicy(mark);
            fail("the abandoned thread must stop when its call returns");
        } catch (CallState.Abandoned expected) {
            // it unwinds without touching anything
        }
    }

    @Test
    public void theGuardNeverAbandonsACallThatIsInTheLinkOrTheBuiltinFifo() {
        ActivationContext context = inPolicyCall(new ActivationContext(link, ledger, stats, "p", 2, 0));
        long inPolicy = context.calls().observe();
        long linkMark = context.calls().enterLink();
        assertFalse("inside the link", context.calls().abandon(context.calls().observe()));
        assertFalse("an observation that is no longer true", context.calls().abandon(inPolicy));
        context.calls().leaveLink(linkMark);
        assertTrue(context.calls().abandon(context.calls().observe()));

        ActivationContext fifo = inPolicyCall(new ActivationContext(link, ledger, stats,
                org.scxjavaland.api.SchedulerBackend.BUILTIN_FIFO, 2, 0));
        assertFalse(fifo.calls().abandon(fifo.calls().observe()));
    }
}
