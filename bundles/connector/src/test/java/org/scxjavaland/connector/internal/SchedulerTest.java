package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.scxjavaland.connector.internal.Waits.await;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Test;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.api.SwapReport;

/** The scheduling thread, swaps, the built-in FIFO fallback and the ledger, on a {@link FakeLink}. */
public class SchedulerTest {

    private static final String BUILTIN = SchedulerBackend.BUILTIN_FIFO;

    private Scheduler scheduler;
    private FakeLink link;

    @After
    public void closeScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    public void theLoopDrainsEveryQueuedTaskAndDispatchesEachOnce() throws Exception {
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(fifo);
        // 500 records for 100 pids: each pid is queued 5 times, so only its newest record may run.
        link = new FakeLink(4, 100, 7, 1).queueNow(500);

        scheduler.attach(link);
        link.finish();
        awaitLoopEnd();

        assertEquals(link.summary(), 100, link.accepted);
        assertEquals(link.summary(), 400, link.superseded);
        assertNothingLostOrDoubled();
        assertTrue("the policy got every record", fifo.enqueued >= 500);
        assertFalse("bypass stays off when the link exits by itself", link.bypass);
    }

    @Test
    public void aRoundDispatchesEveryTaskThePolicyHoldsWhenTheLinkTakesThem() throws Exception {
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(fifo);
        // 64 records of 64 pids before the first round, and a link that takes any number a round.
        link = new FakeLink(4, 64, 0, 1).takePerRound(0).withoutSupersedes().queueNow(64);

        scheduler.attach(link);
        link.finish();
        awaitLoopEnd();

        assertEquals(link.summary(), 64, link.accepted);
        assertEquals("all 64 went out in the first round that saw them: " + link.summary(), 0, link.ringFull);
        assertTrue("one round for the batch, not one per task: " + link.rounds, link.rounds < 16);
        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyThatHangsTurnsBypassOnUntilItReturns() throws Exception {
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        AtomicBoolean hangNext = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        Policy hanging = new Policy() {
            @Override public String name() { return fifo.name(); }
            @Override public void activate(PolicyContext context) { fifo.activate(context); }
            @Override public void enqueue(QueuedTask task) { fifo.enqueue(task); }
            @Override public int heldTasks() { return fifo.heldTasks(); }
            @Override public void deactivate(Consumer<QueuedTask> handBack) { fifo.deactivate(handBack); }
            @Override public boolean dispatch() {
                if (hangNext.getAndSet(false)) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return fifo.dispatch();
            }
        };
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(hanging);
        link = new FakeLink(2, 64, 0, 3).load(4);
        scheduler.attach(link);
        awaitRounds(1_000);
        assertFalse("bypass is off while rounds are quick", link.bypass);

        hangNext.set(true);
        await(() -> link.bypass, "bypass on while the policy hangs");
        release.countDown();
        await(() -> !link.bypass, "bypass off once the policy returns");
        awaitRounds(link.rounds + 1_000);
        link.finish();
        awaitLoopEnd();
        assertNothingLostOrDoubled();
    }

    @Test
    public void theBuiltinFifoSchedulesWhileTheConfiguredPolicyIsMissing() throws Exception {
        scheduler = new Scheduler("deadline");
        link = new FakeLink(2, 64, 11, 2).load(4);

        scheduler.attach(link);
        awaitRounds(2_000);
        assertEquals(BUILTIN, scheduler.activePolicy());
        link.finish();
        awaitLoopEnd();

        assertTrue(link.summary(), link.accepted > 0);
        assertNothingLostOrDoubled();
    }

    @Test
    public void swappingBackAndForthAHundredTimesUnderLoadLosesNothing() throws Exception {
        TestPolicy lifo = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(lifo);
        scheduler.addPolicy(fifo);
        // Three records a round against one dispatch: the policies always hold tasks, yet a LIFO
        // reaches the superseded records at the bottom of its stack now and then.
        link = new FakeLink(4, 256, 13, 3).load(3);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "lifo holds tasks");

        long handedOver = 0;
        for (int i = 0; i < 100; i++) {
            SwapReport toFifo = scheduler.swap("fifo");
            assertNull(scheduler.lastFailure());
            assertEquals("lifo", toFifo.from());
            assertEquals("fifo", toFifo.to());
            // A policy may also hold superseded records, which are not handed over.
            assertTrue(toFifo.tasksHandedOver() <= lifo.lastHandedBack);
            SwapReport back = scheduler.swap("lifo");
            assertEquals("fifo", back.from());
            assertEquals("lifo", back.to());
            assertTrue(back.tasksHandedOver() <= fifo.lastHandedBack);
            assertTrue(back.durationNs() > 0);
            handedOver += toFifo.tasksHandedOver() + back.tasksHandedOver();
        }
        link.finish();
        awaitLoopEnd();

        assertEquals(101, lifo.activations);
        assertEquals(100, fifo.activations);
        assertTrue("swaps happened with tasks held", handedOver > 0);
        assertEquals("every held task was handed back, none had to come from the ledger", 0, scheduler.tasksRecovered());
        assertNothingLostOrDoubled();
    }

    @Test
    public void theNextPolicysVtimesNeverSortTheTasksOfThePreviousOneToTheBack() throws Exception {
        long deadlines = 1_000_000_000_000L;
        TestPolicy deadlineLike = new TestPolicy("deadline", TestPolicy.Order.LIFO).vtimes(deadlines);
        TestPolicy zeroVtimes = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(deadlineLike);
        scheduler.addPolicy(zeroVtimes);
        link = new FakeLink(4, 64, 0, 16).withoutSupersedes().recordVtimes(1 << 20).load(3);
        scheduler.attach(link);
        awaitRounds(1_000);

        scheduler.swap("fifo");
        awaitRounds(link.rounds + 1_000);
        link.finish();
        awaitLoopEnd();

        long[] sent = link.vtimes();
        int before = (int) deadlineLike.dispatches;
        assertTrue("both policies dispatched while recording", before > 0 && before < sent.length);
        long highestBeforeSwap = 0;
        for (int i = 0; i < before; i++) {
            assertEquals("the first policy's vtimes go out unchanged", deadlines + i, sent[i]);
            highestBeforeSwap = Math.max(highestBeforeSwap, sent[i]);
        }
        int i = before;
        for (; i < sent.length; i++) {
            assertTrue("vtime " + sent[i] + " at dispatch " + i + " is below " + highestBeforeSwap,
                    sent[i] >= highestBeforeSwap);
        }
        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyThatThrowsInEnqueueIsDeactivatedAndLosesNothing() throws Exception {
        policyThatThrowsDuringRounds("enqueue");
    }

    @Test
    public void aPolicyThatThrowsInDispatchIsDeactivatedAndLosesNothing() throws Exception {
        policyThatThrowsDuringRounds("dispatch");
    }

    private void policyThatThrowsDuringRounds(String method) throws Exception {
        TestPolicy broken = new TestPolicy("broken", TestPolicy.Order.FIFO).failIn(method, 300);
        scheduler = new Scheduler("broken");
        scheduler.addPolicy(broken);
        link = new FakeLink(4, 128, 17, 4).load(5);

        scheduler.attach(link);
        await(() -> broken.deactivations == 1 && BUILTIN.equals(scheduler.activePolicy()), "the policy failed");
        assertFailureNamed("broken", method);
        assertEquals(1, broken.deactivations);
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyThatThrowsInDeactivateHasItsTasksRecoveredFromTheLedger() throws Exception {
        TestPolicy broken = new TestPolicy("broken", TestPolicy.Order.FIFO).failIn("deactivate", 0);
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("broken");
        scheduler.addPolicy(broken);
        scheduler.addPolicy(fifo);
        link = new FakeLink(4, 128, 0, 5).load(8);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        SwapReport report = scheduler.swap("fifo");
        assertEquals("fifo", report.to());
        assertFailureNamed("broken", "deactivate");
        assertTrue("held tasks came from the ledger", scheduler.tasksRecovered() > 0);
        assertEquals(scheduler.tasksRecovered(), report.tasksHandedOver());
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyThatThrowsInActivateLeavesTheConfiguredPolicyInChargeAndTheSwapSaysWhy() throws Exception {
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        TestPolicy broken = new TestPolicy("broken", TestPolicy.Order.LIFO).failIn("activate", 0);
        scheduler = new Scheduler("fifo");
        scheduler.addPolicy(fifo);
        scheduler.addPolicy(broken);
        link = new FakeLink(4, 128, 0, 6).load(5);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 5, "the policy holds tasks");

        try {
            scheduler.swap("broken");
            fail("the swap should report the failed activation");
        } catch (IllegalStateException e) {
            assertEquals(scheduler.lastFailure(), e.getMessage());
        }
        assertEquals("fifo", scheduler.activePolicy());
        assertFailureNamed("broken", "activate");
        assertTrue(scheduler.lastFailure(), scheduler.lastFailure().contains("'fifo' takes its tasks"));
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aFailedPolicyComesBackOnlyWhenSwappedToOrReRegistered() throws Exception {
        TestPolicy broken = new TestPolicy("deadline", TestPolicy.Order.LIFO).failIn("dispatch", 100);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(broken);
        link = new FakeLink(4, 128, 0, 7).load(4);
        scheduler.attach(link);
        await(() -> broken.deactivations == 1 && BUILTIN.equals(scheduler.activePolicy()), "the policy failed");

        scheduler.addPolicy(new TestPolicy("other", TestPolicy.Order.FIFO));
        assertEquals("a registry change does not bring a failed policy back", BUILTIN, scheduler.activePolicy());
        assertEquals("a swap by name does", "deadline", scheduler.swap("deadline").to());

        TestPolicy brokenAgain = new TestPolicy("deadline", TestPolicy.Order.LIFO).failIn("dispatch", 100);
        scheduler.removePolicy(broken);
        scheduler.addPolicy(brokenAgain);
        await(() -> brokenAgain.deactivations == 1 && BUILTIN.equals(scheduler.activePolicy()),
                "the second instance failed and the built-in FIFO took over");

        TestPolicy updated = new TestPolicy("deadline", TestPolicy.Order.LIFO);
        scheduler.removePolicy(brokenAgain);
        scheduler.addPolicy(updated);
        assertEquals("a re-registered policy is made active again", "deadline", scheduler.activePolicy());
        assertEquals(1, updated.activations);
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aSwappedToPolicyThatFailsHandsItsTasksToTheConfiguredPolicyAndIsMarkedFailedUntilReRegistered()
            throws Exception {
        TestPolicy deadline = new TestPolicy("deadline", TestPolicy.Order.LIFO);
        TestPolicy broken = new TestPolicy("broken", TestPolicy.Order.FIFO).failIn("dispatch", 200);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(deadline);
        scheduler.addPolicy(broken);
        link = new FakeLink(4, 128, 0, 14).load(5);
        scheduler.attach(link);
        assertNull(scheduler.failure("broken"));
        await(() -> deadline.activations == 1, "deadline active");

        assertEquals("broken", scheduler.swap("broken").to());
        await(() -> broken.deactivations == 1 && "deadline".equals(scheduler.activePolicy()), "the policy failed");
        assertEquals("the configured policy took over, not the built-in FIFO", 2, deadline.activations);
        assertFailureNamed("broken", "dispatch");
        String why = scheduler.failure("broken");
        assertNotNull("scx:policies can say it failed", why);
        assertTrue(why, why.startsWith("failed in dispatch ("));
        assertNull(scheduler.failure("deadline"));

        scheduler.addPolicy(new TestPolicy("other", TestPolicy.Order.FIFO));
        assertNotNull("another policy's arrival changes nothing", scheduler.failure("broken"));
        TestPolicy updated = new TestPolicy("broken", TestPolicy.Order.FIFO);
        scheduler.removePolicy(broken);
        scheduler.addPolicy(updated);
        assertNull("a re-registered policy starts with a clean record", scheduler.failure("broken"));
        assertEquals("and, still the one swapped to, is active again", "broken", scheduler.activePolicy());
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void ofTwoPoliciesSharingANameTheFirstIsInUseAndTheSecondTakesOverWhenItGoes() throws Exception {
        TestPolicy first = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        TestPolicy second = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        TestPolicy third = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(first, new PolicyRegistry.Origin(1, "a", "1.0.0"));
        scheduler.addPolicy(second, new PolicyRegistry.Origin(2, "b", "1.0.0"));
        scheduler.addPolicy(third, new PolicyRegistry.Origin(3, "c", "1.0.0"));
        link = new FakeLink(4, 64, 0, 15).load(4);
        scheduler.attach(link);
        await(() -> first.activations == 1, "the first one active");
        assertSame(first, scheduler.policyInUse("lifo"));
        assertNull(scheduler.policyInUse("nosuch"));

        scheduler.removePolicy(third);
        assertEquals("A second policy named 'lifo' (c 1.0.0) went away; the one (a 1.0.0) stays in use.",
                scheduler.lastAnnouncement());
        assertSame(first, scheduler.policyInUse("lifo"));
        scheduler.removePolicy(first);
        assertEquals("Policy 'lifo' (a 1.0.0) went away; the other policy named 'lifo' (b 1.0.0) takes its place.",
                scheduler.lastAnnouncement());
        assertSame(second, scheduler.policyInUse("lifo"));
        assertEquals(1, second.activations);
        assertEquals("lifo", scheduler.activePolicy());
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyUpdatedInItsBundleIsLoggedWithBothVersionsAndTheTasksHandedOver() throws Exception {
        TestPolicy deadline = new TestPolicy("deadline", TestPolicy.Order.LIFO);
        TestPolicy lottery = new TestPolicy("lottery", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(deadline);
        scheduler.addPolicy(lottery, new PolicyRegistry.Origin(42, "com.example.lottery", "1.0.0"));
        link = new FakeLink(4, 128, 0, 16).load(6);
        scheduler.attach(link);
        scheduler.swap("lottery");
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        String before = scheduler.lastAnnouncement();
        // Its bundle stops for the update (a transient stop): not said to be gone.
        scheduler.removePolicy(lottery, true);
        assertEquals("nothing said while the bundle is being updated", before, scheduler.lastAnnouncement());
        assertEquals("deadline", scheduler.activePolicy());
        scheduler.addPolicy(new TestPolicy("lottery", TestPolicy.Order.FIFO),
                new PolicyRegistry.Origin(42, "com.example.lottery", "1.0.1"));
        assertEquals("the update brings it back", "lottery", scheduler.activePolicy());
        String line = scheduler.lastAnnouncement();
        assertTrue(line, line.matches("Policy updated: lottery 1\\.0\\.0 -> 1\\.0\\.1, \\d+ tasks handed over\\."));
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyWhoseBundleIsStoppedOrUninstalledIsSaidToBeGoneOnce() throws Exception {
        TestPolicy lottery = new TestPolicy("lottery", TestPolicy.Order.FIFO);
        TestPolicy dice = new TestPolicy("dice", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(new TestPolicy("deadline", TestPolicy.Order.LIFO));
        scheduler.addPolicy(lottery, new PolicyRegistry.Origin(42, "com.example.lottery", "1.0.0"));
        scheduler.addPolicy(dice, new PolicyRegistry.Origin(43, "com.example.dice", "2.0.0"));

        // A stop a user asked for: gone at once, and only then (its uninstall later says nothing more).
        scheduler.removePolicy(dice, false);
        assertEquals("Policy 'dice' (com.example.dice 2.0.0) is no longer available.", scheduler.lastAnnouncement());
        TestPolicy other = new TestPolicy("other", TestPolicy.Order.FIFO);
        scheduler.addPolicy(other);
        scheduler.removePolicy(other, false);
        assertEquals("Policy 'other' is no longer available.", scheduler.lastAnnouncement());
        scheduler.bundleUninstalled(43);
        assertEquals("Policy 'other' is no longer available.", scheduler.lastAnnouncement());

        // An uninstall (the bundle stops for now, then goes): gone when the bundle is uninstalled.
        String before = scheduler.lastAnnouncement();
        scheduler.removePolicy(lottery, true);
        assertEquals(before, scheduler.lastAnnouncement());
        scheduler.bundleUninstalled(7);
        assertEquals("another bundle's uninstall says nothing of it", before, scheduler.lastAnnouncement());
        scheduler.bundleUninstalled(42);
        assertEquals("Policy 'lottery' (com.example.lottery 1.0.0) is no longer available.",
                scheduler.lastAnnouncement());
        assertFalse(scheduler.availablePolicies().contains("lottery"));

        // Restarted in the same version (a refresh): back, not "updated 1.0.0 -> 1.0.0".
        TestPolicy again = new TestPolicy("dice", TestPolicy.Order.FIFO);
        scheduler.addPolicy(again, new PolicyRegistry.Origin(43, "com.example.dice", "2.0.0"));
        scheduler.removePolicy(again, true);
        scheduler.addPolicy(new TestPolicy("dice", TestPolicy.Order.FIFO),
                new PolicyRegistry.Origin(43, "com.example.dice", "2.0.0"));
        assertEquals("Policy 'dice' (com.example.dice 2.0.0) is back: its bundle restarted.",
                scheduler.lastAnnouncement());
    }

    @Test
    public void aPolicyThatForgetsTasksOnDeactivateHasThemRecoveredFromTheLedger() throws Exception {
        TestPolicy forgetful = new TestPolicy("forgetful", TestPolicy.Order.FIFO).forgetEvery(3);
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("forgetful");
        scheduler.addPolicy(forgetful);
        scheduler.addPolicy(fifo);
        link = new FakeLink(4, 128, 0, 8).withoutSupersedes().load(8);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        SwapReport report = scheduler.swap("fifo");
        long recovered = scheduler.tasksRecovered();
        assertTrue("forgotten tasks were recovered", recovered > 0);
        assertEquals(forgetful.lastHandedBack + recovered, report.tasksHandedOver());
        assertEquals("the forgetful policy is not blamed for a failure", null, scheduler.lastFailure());
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aDispatchOfATaskThePolicyDoesNotHoldIsDropped() throws Exception {
        TestPolicy sloppy = new TestPolicy("sloppy", TestPolicy.Order.FIFO).dispatchTwice();
        scheduler = new Scheduler("sloppy");
        scheduler.addPolicy(sloppy);
        link = new FakeLink(4, 64, 0, 9).load(3);

        scheduler.attach(link);
        awaitRounds(5_000);
        link.finish();
        awaitLoopEnd();

        assertTrue("second dispatches were dropped", scheduler.droppedDispatches() > 0);
        assertEquals("and counted as cancelled", link.cancelled + scheduler.droppedDispatches(),
                scheduler.metrics().nrCancelDispatches());
        assertNothingLostOrDoubled();
    }

    @Test
    public void removingTheActivePolicyFallsBackToTheBuiltinFifoAtOnce() throws Exception {
        TestPolicy lifo = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(lifo);
        link = new FakeLink(4, 128, 0, 10).load(6);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        scheduler.removePolicy(lifo);
        assertEquals(BUILTIN, scheduler.activePolicy());
        assertEquals("it was asked for its tasks while still there", 1, lifo.deactivations);
        assertEquals(List.of(BUILTIN), scheduler.availablePolicies());

        TestPolicy again = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        scheduler.addPolicy(again);
        assertEquals("the configured policy is active again as soon as it is back", "lifo", scheduler.activePolicy());
        assertEquals(1, again.activations);
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void aPolicyWhoseBundleIsGoneBeforeDeactivateLosesNothing() throws Exception {
        TestPolicy gone = new TestPolicy("gone", TestPolicy.Order.FIFO).failIn("deactivate", 0);
        scheduler = new Scheduler("gone");
        scheduler.addPolicy(gone);
        link = new FakeLink(4, 128, 0, 11).load(6);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        scheduler.removePolicy(gone);
        assertEquals(BUILTIN, scheduler.activePolicy());
        assertTrue(scheduler.tasksRecovered() > 0);
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void theConfiguredPolicyTakesOverFromTheBuiltinFifoWhenItAppears() throws Exception {
        scheduler = new Scheduler("deadline");
        link = new FakeLink(4, 128, 0, 12).load(6);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the built-in FIFO holds tasks");
        assertEquals(BUILTIN, scheduler.activePolicy());

        TestPolicy deadline = new TestPolicy("deadline", TestPolicy.Order.LIFO);
        scheduler.addPolicy(deadline);
        assertEquals("deadline", scheduler.activePolicy());
        assertTrue("the FIFO's tasks were handed over", deadline.enqueued > 0);
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
    }

    @Test
    public void anUnknownNameIsRefusedWithTheKnownNamesInOneSentence() {
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(new TestPolicy("lifo", TestPolicy.Order.LIFO));
        scheduler.addPolicy(new TestPolicy("fifo", TestPolicy.Order.FIFO));
        try {
            scheduler.swap("nope");
            fail("an unknown name must be refused");
        } catch (IllegalArgumentException e) {
            assertEquals("No policy named 'nope' is available; the known policies are builtin-fifo, fifo, lifo.",
                    e.getMessage());
        }
        assertEquals("lifo", scheduler.activePolicy());
    }

    @Test
    public void aSwapWithoutALinkMovesTheSelectionUsedWhenSchedulingStarts() throws Exception {
        TestPolicy lifo = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        TestPolicy fifo = new TestPolicy("fifo", TestPolicy.Order.FIFO);
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(lifo);
        scheduler.addPolicy(fifo);
        assertEquals("lifo", scheduler.activePolicy());
        assertNull(scheduler.startedAt());

        SwapReport report = scheduler.swap("fifo");
        assertEquals(new SwapReport("lifo", "fifo", 0, report.durationNs()), report);
        assertEquals("fifo", scheduler.activePolicy());
        assertEquals(-1, scheduler.selectCpu(2, 0, 0));
        assertEquals("none", scheduler.kind());

        link = new FakeLink(4, 32, 0, 13).load(2);
        scheduler.attach(link);
        assertNotNull(scheduler.startedAt());
        await(() -> fifo.activations == 1, "fifo was activated");
        assertEquals(0, lifo.activations);
        assertEquals("fake", scheduler.kind());
        assertEquals(4, scheduler.nrCpus());
        assertEquals("a query from another thread goes through the scheduling thread", 2, scheduler.selectCpu(2, 2, 0));
        link.finish();
        awaitLoopEnd();

        assertNothingLostOrDoubled();
        assertNull("not scheduling any more", scheduler.startedAt());
        assertEquals("fifo", scheduler.activePolicy());
    }

    @Test
    public void stoppingWhileTheLinkRunsTurnsBypassOnAndHandsEveryTaskBack() throws Exception {
        TestPolicy lifo = new TestPolicy("lifo", TestPolicy.Order.LIFO);
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(lifo);
        link = new FakeLink(4, 128, 5, 14).load(6);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        scheduler.detach();

        assertTrue(link.bypass);
        assertFalse(scheduler.scheduling());
        assertEquals(1, lifo.deactivations);
        assertNothingLostOrDoubled();
    }

    @Test
    public void metricsAddWhatThePolicyHoldsToTheLinkCounters() throws Exception {
        scheduler = new Scheduler("lifo");
        scheduler.addPolicy(new TestPolicy("lifo", TestPolicy.Order.LIFO));
        link = new FakeLink(3, 128, 0, 15).load(6);
        scheduler.attach(link);
        await(() -> scheduler.metrics().nrScheduled() > 10, "the policy holds tasks");

        assertEquals(3, scheduler.metrics().nrCpus());
        assertTrue(scheduler.metrics().nrPageFaults() >= 0);
        link.finish();
        awaitLoopEnd();
        assertEquals(0, scheduler.metrics().nrScheduled());
    }

    @Test
    public void aSwappedToPolicyThatGoesAwayLeavesTheConfiguredOneInChargeUntilItComesBack() throws Exception {
        TestPolicy deadline = new TestPolicy("deadline", TestPolicy.Order.FIFO);
        TestPolicy fair = new TestPolicy("fair", TestPolicy.Order.LIFO);
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(deadline);
        scheduler.addPolicy(fair);
        link = new FakeLink(4, 256, 13, 3).load(3);
        scheduler.attach(link);
        // The scheduling thread activates the configured policy first; the swap comes after that.
        await(() -> deadline.activations == 1, "the configured policy is activated at attach");
        assertEquals("fair", scheduler.swap("fair").to());
        await(() -> scheduler.metrics().nrScheduled() > 10, "fair holds tasks");

        scheduler.removePolicy(fair);       // its bundle is being updated
        assertEquals("deadline", scheduler.activePolicy());
        TestPolicy fairAgain = new TestPolicy("fair", TestPolicy.Order.LIFO);
        scheduler.addPolicy(fairAgain);     // the new version
        assertEquals("fair", scheduler.activePolicy());
        await(() -> scheduler.metrics().nrScheduled() > 10, "the new fair holds tasks");
        scheduler.removePolicy(fairAgain);  // uninstalled
        assertEquals("deadline", scheduler.activePolicy());
        link.finish();
        awaitLoopEnd();

        assertEquals(1, fairAgain.activations);
        assertEquals("at attach, after fair went, after the new fair went", 3, deadline.activations);
        assertNothingLostOrDoubled();
    }

    @Test
    public void aConfigurationNamingAMissingPolicyKeepsTheActiveOneUntilThatPolicyAppears() throws Exception {
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(new TestPolicy("deadline", TestPolicy.Order.FIFO));
        link = new FakeLink(2, 64, 11, 2).load(4);
        scheduler.attach(link);
        awaitRounds(500);

        scheduler.reconfigurePolicy("later");
        assertEquals("deadline", scheduler.activePolicy());
        awaitRounds(link.rounds + 500);
        assertEquals("deadline", scheduler.activePolicy());
        scheduler.addPolicy(new TestPolicy("later", TestPolicy.Order.LIFO));
        assertEquals("later", scheduler.activePolicy());
        scheduler.reconfigurePolicy("deadline");
        assertEquals("deadline", scheduler.activePolicy());
        link.finish();
        awaitLoopEnd();
        assertNothingLostOrDoubled();
    }

    @Test
    public void aSwapOverridesAConfiguredPolicyStillToCome() throws Exception {
        scheduler = new Scheduler("deadline");
        scheduler.addPolicy(new TestPolicy("deadline", TestPolicy.Order.FIFO));
        scheduler.addPolicy(new TestPolicy("fifo", TestPolicy.Order.FIFO));
        link = new FakeLink(2, 64, 11, 2).load(4);
        scheduler.attach(link);
        awaitRounds(500);

        scheduler.reconfigurePolicy("later");
        scheduler.swap("fifo");
        scheduler.addPolicy(new TestPolicy("later", TestPolicy.Order.LIFO));
        assertEquals("the swap came after the configuration", "fifo", scheduler.activePolicy());
        link.finish();
        awaitLoopEnd();
        assertNothingLostOrDoubled();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Every queued record ran exactly once or was superseded; nothing was dispatched twice or made up. */
    private void assertNothingLostOrDoubled() {
        String summary = link.summary();
        assertEquals(summary, 0, link.duplicates);
        assertEquals(summary, 0, link.bogus);
        assertEquals(summary, 0, link.stranded());
        assertEquals(summary, link.queuedRecords, link.accepted + link.superseded);
    }

    private void assertFailureNamed(String policy, String method) {
        String failure = scheduler.lastFailure();
        assertNotNull(failure);
        assertTrue(failure, failure.startsWith("Policy '" + policy + "' failed in " + method + " ("));
        assertFalse("one line", failure.contains("\n"));
    }

    private void awaitLoopEnd() throws InterruptedException {
        assertTrue("the link should have exited: " + link.summary(), scheduler.awaitLoopEnd(60_000));
    }

    private void awaitRounds(long rounds) throws InterruptedException {
        await(() -> link.rounds >= rounds, rounds + " rounds");
    }
}
