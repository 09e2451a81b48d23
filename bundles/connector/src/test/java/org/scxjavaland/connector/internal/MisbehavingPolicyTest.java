package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.scxjavaland.connector.internal.Waits.await;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.api.SchedulerBackend;

/**
 * Policies that misbehave without throwing: they keep tasks and say all is well, dispatch tasks
 * they do not hold, or run out of heap. Each time the tasks keep running, one line names the
 * policy and what it did, and the configured policy (not the built-in FIFO) takes over.
 */
public class MisbehavingPolicyTest {

    private Scheduler scheduler;
    private FakeLink link;

    @After
    public void closeScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** Holds every task it is given; dispatch() does nothing and returns true. */
    static class Hoarder implements Policy {
        final TestPolicy held = new TestPolicy("hoarder", TestPolicy.Order.FIFO);
        @Override public String name() { return "hoarder"; }
        @Override public void activate(PolicyContext context) { held.activate(context); }
        @Override public void enqueue(QueuedTask task) { held.enqueue(task); }
        @Override public boolean dispatch() { return true; }
        @Override public int heldTasks() { return held.heldTasks(); }
        @Override public void deactivate(Consumer<QueuedTask> handBack) { held.deactivate(handBack); }
    }

    @Test
    public void aPolicyWhoseDispatchReturnsTrueButNeverDispatchesIsFailedForStarvingItsTasks() throws Exception {
        swapToMisbehavingAndExpectTheConfiguredPolicyBack(new Hoarder(), "hoarder");
    }

    @Test
    public void aPolicyThatDispatchesOnlyTasksItDoesNotHoldIsFailedForStarvingTheOnesItHolds() throws Exception {
        Policy phantoms = new Hoarder() {
            private PolicyContext context;
            private final DispatchedTask made = new DispatchedTask();
            private int next = 1;
            @Override public String name() { return "phantoms"; }
            @Override public void activate(PolicyContext c) { super.activate(c); context = c; }
            @Override public boolean dispatch() {
                // Pids the link never queued, and made-up enqueue counters of pids it did.
                made.pid(next % 2 == 0 ? 1_000_000 + next : 1 + next % 64).cpu(DispatchedTask.CPU_ANY).sliceNs(1)
                        .vtime(0).enqCnt(Long.MAX_VALUE);
                next++;
                return context.dispatch(made);
            }
        };
        long droppedBefore = 0;
        swapToMisbehavingAndExpectTheConfiguredPolicyBack(phantoms, "phantoms");
        assertTrue("the made-up dispatches were dropped", scheduler.droppedDispatches() > droppedBefore);
    }

    @Test
    public void aPolicyThatNeverReachesOneOfItsTasksIsFailedForStarvingIt() throws Exception {
        // A LIFO that keeps its first task at the bottom for ever while it serves the others.
        Policy unfair = new Policy() {
            private final TestPolicy lifo = new TestPolicy("unfair", TestPolicy.Order.LIFO);
            @Override public String name() { return "unfair"; }
            @Override public void activate(PolicyContext context) { lifo.activate(context); }
            @Override public void enqueue(QueuedTask task) { lifo.enqueue(task); }
            @Override public boolean dispatch() { return lifo.heldTasks() <= 1 || lifo.dispatch(); }
            @Override public int heldTasks() { return lifo.heldTasks(); }
            @Override public void deactivate(Consumer<QueuedTask> handBack) { lifo.deactivate(handBack); }
        };
        swapToMisbehavingAndExpectTheConfiguredPolicyBack(unfair, "unfair");
    }

    @Test
    public void aPolicyThatRunsOutOfHeapInEnqueueHandsItsTasksToTheConfiguredPolicy() throws Exception {
        outOfHeapIn("enqueue");
    }

    @Test
    public void aPolicyThatRunsOutOfHeapInDispatchHandsItsTasksToTheConfiguredPolicy() throws Exception {
        outOfHeapIn("dispatch");
    }

    @Test
    public void aPolicyThatRunsOutOfHeapInActivateLeavesTheConfiguredPolicyInCharge() throws Exception {
        outOfHeapIn("activate");
    }

    @Test
    public void aPolicyThatRunsOutOfHeapInDeactivateHasItsTasksRecoveredForTheConfiguredPolicy() throws Exception {
        outOfHeapIn("deactivate");
    }

    /**
     * The JVM's answer to a policy that allocates until the heap is short: an OutOfMemoryError in
     * whatever it calls next (thrown here at the 200th call, so that the policy holds tasks then).
     */
    private void outOfHeapIn(String method) throws Exception {
        Policy hungry = new Hoarder() {
            private final TestPolicy fifo = new TestPolicy("hungry", TestPolicy.Order.FIFO);
            private int calls;
            @Override public String name() { return "hungry"; }
            @Override public void activate(PolicyContext c) { maybeOutOfHeap("activate"); fifo.activate(c); }
            @Override public void enqueue(QueuedTask task) { maybeOutOfHeap("enqueue"); fifo.enqueue(task); }
            @Override public boolean dispatch() { maybeOutOfHeap("dispatch"); return fifo.dispatch(); }
            @Override public int heldTasks() { return fifo.heldTasks(); }
            @Override public void deactivate(Consumer<QueuedTask> handBack) {
                maybeOutOfHeap("deactivate");
                fifo.deactivate(handBack);
            }
            private void maybeOutOfHeap(String where) {
                if (where.equals(method) && (++calls == 200 || method.equals("activate") || method.equals("deactivate"))) {
                    throw new OutOfMemoryError("Java heap space");
                }
            }
        };
        TestPolicy configured = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(configured);
        scheduler.addPolicy(hungry);
        link = new FakeLink(4, 128, 0, 21).load(5);
        scheduler.attach(link);
        await(() -> configured.activations == 1, "the configured policy active");
        try {
            scheduler.swap("hungry");
            if (method.equals("deactivate")) {
                scheduler.swap("fifo");
            }
        } catch (IllegalStateException e) {
            assertEquals("activate", method);      // the swap says why it did not happen
        }
        await(() -> scheduler.lastFailure() != null && "fifo".equals(scheduler.activePolicy()),
                "the configured policy back");
        String line = scheduler.lastFailure();
        assertTrue(line, line.startsWith("Policy 'hungry' failed in " + method + " (OutOfMemoryError: Java heap space)"));
        assertTrue(line, line.contains("'fifo' takes its tasks"));
        finishAndAssertNothingLost();
    }

    private void swapToMisbehavingAndExpectTheConfiguredPolicyBack(Policy misbehaving, String name) throws Exception {
        TestPolicy configured = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(configured);
        scheduler.addPolicy(misbehaving);
        link = new FakeLink(4, 64, 0, 20).withoutSupersedes().load(3);
        scheduler.attach(link);
        await(() -> configured.activations == 1, "the configured policy active");

        scheduler.swap(name);
        await(() -> scheduler.lastFailure() != null && "fifo".equals(scheduler.activePolicy()),
                "the configured policy back");
        String line = scheduler.lastFailure();
        assertNotNull(line);
        assertTrue(line, line.startsWith("Policy '" + name + "' held pid "));
        assertTrue(line, line.contains(" ms without dispatching it ("));
        assertTrue(line, line.contains("'fifo' takes its tasks"));
        assertFalse("one line", line.contains("\n"));
        assertEquals(2, configured.activations);
        assertNotNull("marked failed until swapped to again", scheduler.failure(name));
        finishAndAssertNothingLost();
    }

    private void finishAndAssertNothingLost() throws InterruptedException {
        link.finish();
        assertTrue("the link should have exited: " + link.summary(), scheduler.awaitLoopEnd(60_000));
        String summary = link.summary();
        assertEquals(summary, 0, link.duplicates);
        assertEquals(summary, 0, link.stranded());
        assertEquals(summary, link.queuedRecords, link.accepted + link.superseded);
    }


    @Test
    public void aPolicyWhoseNameRunsOutOfHeapIsRefusedWithOneLineNamingItsBundle() throws Exception {
        nameMisbehaves(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, "failed (OutOfMemoryError: Java heap space)");
    }

    @Test
    public void aPolicyWhoseNameHangsIsRefusedWithinTheBoundWithOneLineNamingItsBundle() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        try {
            nameMisbehaves(() -> {
                never.await();
                return "never";
            }, "did not answer within 1000 ms");
        } finally {
            never.countDown();
        }
    }

    /** A policy whose name() does {@code what}: refused as it registers, the rest runs on. */
    private void nameMisbehaves(Callable<String> what, String problem) throws Exception {
        TestPolicy configured = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(configured);
        link = new FakeLink(4, 64, 0, 22).load(3);
        scheduler.attach(link);
        await(() -> configured.activations == 1, "the configured policy active");
        Policy nameless = new Hoarder() {
            @Override public String name() {
                try {
                    return what.call();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        link.load(0);       // idle rounds meanwhile, so that a wait of seconds stays far from the link's round limit
        try (LogLines log = new LogLines()) {
            scheduler.addPolicy(nameless, new PolicyRegistry.Origin(7, "com.example.nameless", "2.0.0"));
            List<String> lines = log.with("com.example.nameless");
            assertEquals(lines.toString(), 1, lines.size());
            assertEquals("The policy service of bundle com.example.nameless 2.0.0 was refused: its name() " + problem
                    + "; fix or remove that bundle.", lines.get(0).substring(lines.get(0).indexOf("The policy")));
        }
        assertEquals(List.of(SchedulerBackend.BUILTIN_FIFO, "fifo"), scheduler.availablePolicies());
        assertEquals("fifo", scheduler.activePolicy());
        link.load(3);
        long rounds = link.rounds;
        await(() -> link.rounds > rounds + 1_000, "rounds going on");
        finishAndAssertNothingLost();
    }
}
