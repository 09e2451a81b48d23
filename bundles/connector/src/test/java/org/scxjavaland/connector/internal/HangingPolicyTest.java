package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.scxjavaland.connector.internal.Waits.await;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Test;
import org.scxjavaland.api.SchedulerBackend;

/**
 * Policies that hang in a call: after {@link StallGuard#HANG_NS} (1 s in these tests) the host
 * gives up on the scheduling thread, a new one goes on, the fallback takes every task the hung
 * policy held, and the old thread, released later, reaches nothing. Every wait is for a state the
 * test can see; the counts of tasks in and out are checked at the end.
 */
public class HangingPolicyTest {

    private static final String BUILTIN = SchedulerBackend.BUILTIN_FIFO;

    private Scheduler scheduler;
    private FakeLink link;
    private HangingPolicy hanger;

    @After
    public void closeScheduler() {
        if (hanger != null) {
            hanger.release();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    public void aPolicyThatHangsInDispatchIsGivenUpOnAndTheConfiguredPolicyTakesItsTasks() throws Exception {
        hangsAndTheConfiguredPolicyTakesOver("dispatch", 300);
    }

    @Test
    public void aPolicyThatHangsInARoundsEnqueueIsGivenUpOnAndTheConfiguredPolicyTakesItsTasks() throws Exception {
        // More calls than any swap hands over (64 pids): the hang comes in a round.
        hangsAndTheConfiguredPolicyTakesOver("enqueue", 300);
    }

    @Test
    public void aPolicyThatHangsWhileTakingTheTasksOfASwapIsGivenUpOnAndTheConfiguredPolicyGetsThemBack()
            throws Exception {
        hangsAndTheConfiguredPolicyTakesOver("enqueue", 1);
    }

    @Test
    public void aPolicyThatHangsInActivateIsGivenUpOnAndTheSwapSaysWhy() throws Exception {
        hangsAndTheConfiguredPolicyTakesOver("activate", 1);
    }

    @Test
    public void aPolicyThatHangsInDeactivateIsGivenUpOnAndItsTasksComeFromTheLedger() throws Exception {
        hangsAndTheConfiguredPolicyTakesOver("deactivate", 1);
    }

    @Test
    public void aConfiguredPolicyThatHangsLeavesTheBuiltinFifoInCharge() throws Exception {
        hanger = new HangingPolicy("hanger", "dispatch", 300);
        scheduler = new Scheduler("hanger");
        scheduler.addPolicy(new TestPolicy("other", TestPolicy.Order.FIFO));
        scheduler.addPolicy(hanger);
        link = new FakeLink(4, 64, 0, 32).load(3);
        try (LogLines log = new LogLines()) {
            scheduler.attach(link);
            await(() -> scheduler.failure("hanger") != null && BUILTIN.equals(scheduler.activePolicy()),
                    "the built-in FIFO taking over");
            List<String> lines = log.with("Policy 'hanger' did not return from dispatch");
            assertEquals(lines.toString(), 1, lines.size());
            assertTrue(lines.get(0), lines.get(0).contains("'" + BUILTIN + "' takes its tasks"));
        }
        releaseAndAssertTheOldThreadReachesNothing();
        finishAndAssertNothingLost();
    }

    @Test
    public void aPolicyThatHangsWhenSchedulingStopsDoesNotKeepTheSchedulerFromStopping() throws Exception {
        TestPolicy configured = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        hanger = new HangingPolicy("hanger", "deactivate", 1);
        scheduler = new Scheduler("hanger");
        scheduler.addPolicy(configured);
        scheduler.addPolicy(hanger);
        link = new FakeLink(4, 64, 0, 33).load(3);
        scheduler.attach(link);
        await(() -> "hanger".equals(scheduler.activePolicy()) && hanger.heldTasks() > 0, "the hanger holding tasks");

        scheduler.detach();     // returns once the loop ended, on whichever thread
        assertFalse("no scheduling thread is left", scheduler.scheduling());
        assertNotNull(scheduler.failure("hanger"));
        assertTrue(link.bypass);
        releaseAndAssertTheOldThreadReachesNothing();
        assertEquals(link.summary(), 0, link.duplicates);
        assertEquals("every held task went back to the link: " + link.summary(), 0, link.stranded());
    }

    private void hangsAndTheConfiguredPolicyTakesOver(String method, long atCall) throws Exception {
        TestPolicy configured = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        hanger = new HangingPolicy("hanger", method, atCall);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(configured);
        scheduler.addPolicy(hanger);
        link = new FakeLink(4, 64, 0, 31).load(3);
        scheduler.attach(link);
        await(() -> configured.activations == 1 && configured.heldTasks() > 0, "the configured policy holding tasks");

        try (LogLines log = new LogLines()) {
            boolean hangsInTheSwap = method.equals("activate") || method.equals("enqueue") && atCall == 1;
            if (hangsInTheSwap) {
                try {
                    scheduler.swap("hanger");
                    fail("the swap to a policy that hangs in " + method + " should say why it did not happen");
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage(), e.getMessage().startsWith("Policy 'hanger' did not return from " + method));
                }
            } else {
                assertEquals("hanger", scheduler.swap("hanger").to());
                if (method.equals("deactivate")) {
                    await(() -> hanger.heldTasks() > 0, "the hanger holding tasks");
                    assertEquals("the swap waits for the new thread", "fifo", scheduler.swap("fifo").to());
                }
            }
            await(() -> scheduler.failure("hanger") != null && "fifo".equals(scheduler.activePolicy()),
                    "the configured policy taking over");
            long rounds = link.rounds;
            await(() -> link.rounds > rounds + 1_000, "rounds on the new thread");
            await(() -> !link.bypass, "bypass off once the new thread schedules");

            List<String> lines = log.with("Policy 'hanger' did not return from");
            assertEquals(lines.toString(), 1, lines.size());
            String line = lines.get(0);
            assertTrue(line, line.contains("Policy 'hanger' did not return from " + method + " within 1000 ms (at "));
            assertTrue("where it hangs: " + line, line.contains("HangingPolicy." + method + ")"));
            assertTrue(line, line.contains("'fifo' takes its tasks"));
        }
        assertEquals("the configured policy took over, not the built-in FIFO", 2, configured.activations);
        assertTrue(scheduler.failure("hanger"), scheduler.failure("hanger").startsWith(
                "did not return from " + method + " within 1000 ms"));
        releaseAndAssertTheOldThreadReachesNothing();
        finishAndAssertNothingLost();
    }

    /** Lets the hung call return: it tries the link through its context, which refuses it, and its thread ends. */
    private void releaseAndAssertTheOldThreadReachesNothing() throws InterruptedException {
        Thread old = hanger.hungThread;
        assertNotNull("the policy hung", old);
        link.forbid(old);
        hanger.release();
        old.join(TimeUnit.SECONDS.toMillis(60));
        assertFalse("the abandoned thread ends once its call returns", old.isAlive());
        assertTrue("the call returned into the connector", hanger.returned);
        assertEquals("calls of the abandoned thread that reached the link", 0, link.forbiddenCalls.get());
        assertEquals(Boolean.FALSE, hanger.lateDispatch);
        assertEquals(-1, hanger.lateSelectCpu);
        assertEquals(-1, hanger.lateNow);
    }

    private void finishAndAssertNothingLost() throws InterruptedException {
        link.finish();
        assertTrue("the link should have exited: " + link.summary(), scheduler.awaitLoopEnd(60_000));
        String summary = link.summary();
        assertEquals(summary, 0, link.duplicates);
        assertEquals(summary, 0, link.bogus);
        assertEquals(summary, 0, link.stranded());
        assertEquals(summary, link.queuedRecords, link.accepted + link.superseded);
    }
}
