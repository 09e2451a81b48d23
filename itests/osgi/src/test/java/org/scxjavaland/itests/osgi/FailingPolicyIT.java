package org.scxjavaland.itests.osgi;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;

/**
 * A policy that throws is deactivated with its reason logged, the configured policy takes its
 * tasks, and scx:policies shows it failed, with why; one that hangs in a call is given up on after
 * the bound (2 s), and the same happens on a new scheduling thread; one that forgets its tasks
 * loses none either: the connector kept its own record of them. A policy whose name, options or
 * check of options throws, hangs or runs out of heap costs one line, and scheduling goes on.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailingPolicyIT extends CountedMachineSupport {

    @Inject
    private CommandProcessor processor;

    private FlakyPolicy flaky;
    private ServiceRegistration<Policy> registration;

    @Before
    public void registerFlakyPolicy() {
        flaky = new FlakyPolicy();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("scx.policy.name", FlakyPolicy.NAME);
        properties.put(Policy.CONFIG_PID, FlakyPolicy.PID);
        registration = context.registerService(Policy.class, flaky, properties);
        waitUntil("the connector knowing the flaky policy",
                () -> backend().availablePolicies().contains(FlakyPolicy.NAME));
    }

    @After
    public void unregisterFlakyPolicy() {
        flaky.release();
        registration.unregister();
        backend().swap("deadline");
    }

    private void assertDeactivatedFor(FlakyPolicy.Fault fault, String method) {
        SchedulerBackend backend = backend();
        backend.swap(FlakyPolicy.NAME);
        assertEquals(FlakyPolicy.NAME, backend.activePolicy());
        long outBefore = link.tasksOut();
        waitUntil("the flaky policy dispatching", () -> link.tasksOut() > outBefore + 100);
        waitUntil("the flaky policy holding tasks", () -> flaky.heldTasks() > 0);

        try (LogCapture log = new LogCapture()) {
            flaky.fault(fault);
            waitUntil("the flaky policy deactivated", () -> "deadline".equals(backend.activePolicy()));
            waitUntil("the reason logged", () -> log.lineWith("'" + FlakyPolicy.NAME + "'") != null);
            String line = log.lineWith("'" + FlakyPolicy.NAME + "'");
            assertThat(line, containsString(method));
            assertThat(line, containsString("as the test asked"));
        }
        assertThat(backend.lastFailure(), containsString("'" + FlakyPolicy.NAME + "'"));
        assertThat(backend.lastFailure(), containsString(method));
        long outAfter = link.tasksOut();
        waitUntil("tasks flowing under the configured policy", () -> link.tasksOut() > outAfter + 1_000);
        assertEquals("the configured policy took over, not the built-in FIFO", "deadline", backend.activePolicy());
        try (Gogo gogo = new Gogo(processor)) {
            String policies = gogo.run("scx:policies");
            assertTrue(policies, Pattern.compile("(?m)^ +" + FlakyPolicy.NAME + " +\\S+ +\\S+ +failed: failed in " + method
                    + " \\(.*as the test asked.*\\)$").matcher(policies).find());
            assertTrue(policies, Pattern.compile("(?m)^\\* +deadline +.* active$").matcher(policies).find());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertNothingLost();
    }

    @Test
    public void ofTwoPoliciesOfOneNameThePoliciesTableShowsWhichIsUsedAndTheLogSaysTheTruthWhenOneGoes()
            throws Exception {
        FlakyPolicy second = new FlakyPolicy();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("scx.policy.name", FlakyPolicy.NAME);
        ServiceRegistration<Policy> secondRegistration = context.registerService(Policy.class, second, properties);
        try (Gogo gogo = new Gogo(processor)) {
            backend().swap(FlakyPolicy.NAME);
            List<String> rows = gogo.run("scx:policies").lines()
                    .filter(line -> line.matches("[ *] +" + FlakyPolicy.NAME + " .*")).toList();
            assertEquals(rows.toString(), 2, rows.size());
            assertEquals(rows.toString(), 1, rows.stream().filter(line -> line.startsWith("*")).count());
            assertEquals(rows.toString(), 1, rows.stream().filter(line -> line.endsWith(" active")).count());
            assertEquals(rows.toString(), 1, rows.stream()
                    .filter(line -> line.endsWith(" not used: another bundle's policy has this name")).count());
            assertTrue("the first one registered is in use", flaky.activations() > 0);
            assertEquals(0, second.activations());

            secondRegistration.unregister();
            secondRegistration = null;
            List<String> after = gogo.run("scx:policies").lines()
                    .filter(line -> line.matches("[ *] +" + FlakyPolicy.NAME + " .*")).toList();
            assertEquals(after.toString(), 1, after.size());
            assertTrue(after.toString(), after.get(0).startsWith("*") && after.get(0).endsWith(" active"));
            assertEquals(FlakyPolicy.NAME, backend().activePolicy());
        } finally {
            if (secondRegistration != null) {
                secondRegistration.unregister();
            }
        }
        assertNothingLost();
    }

    @Test
    public void throwingInDispatchDeactivatesThePolicyAndLosesNothing() {
        assertDeactivatedFor(FlakyPolicy.Fault.THROW_IN_DISPATCH, "dispatch");
    }

    @Test
    public void throwingInEnqueueDeactivatesThePolicyAndLosesNothing() {
        assertDeactivatedFor(FlakyPolicy.Fault.THROW_IN_ENQUEUE, "enqueue");
    }

    @Test
    public void aPolicyThatForgetsItsTasksOnASwapLosesNone() {
        SchedulerBackend backend = backend();
        flaky.fault(FlakyPolicy.Fault.FORGET_TASKS);
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 20; i++) {
                assertEquals(FlakyPolicy.NAME, backend.swap(FlakyPolicy.NAME).to());
                waitUntil("the flaky policy holding tasks", () -> flaky.heldTasks() > 0 || machine.exited());
                assertEquals("deadline", backend.swap("deadline").to());   // flaky hands back nothing
            }
            // At least one swap found tasks forgotten, and the ledger gave them back.
            assertThat(log.text(), containsString("Policy '" + FlakyPolicy.NAME + "' did not hand back"));
        }
        assertEquals(20, flaky.activations());
        assertNothingLost();
    }
    private void assertGivenUpOnFor(FlakyPolicy.Fault hang, String method) throws Exception {
        SchedulerBackend backend = backend();
        try (LogCapture log = new LogCapture()) {
            if (hang == FlakyPolicy.Fault.HANG_IN_ACTIVATE) {
                flaky.fault(hang);
                try {
                    backend.swap(FlakyPolicy.NAME);
                    throw new AssertionError("the swap to a policy that hangs in activate should say why it failed");
                } catch (IllegalStateException e) {
                    assertThat(e.getMessage(), containsString("'" + FlakyPolicy.NAME + "' did not return from activate"));
                }
            } else {
                backend.swap(FlakyPolicy.NAME);
                long outBefore = link.tasksOut();
                waitUntil("the flaky policy dispatching", () -> link.tasksOut() > outBefore + 100);
                waitUntil("the flaky policy holding tasks", () -> flaky.heldTasks() > 0);
                flaky.fault(hang);
                if (hang == FlakyPolicy.Fault.HANG_IN_DEACTIVATE) {
                    assertEquals("deadline", backend.swap("deadline").to());
                }
            }
            waitUntil("the configured policy taking over", () -> "deadline".equals(backend.activePolicy())
                    && backend.failure(FlakyPolicy.NAME) != null);
            long outAfter = link.tasksOut();
            waitUntil("tasks flowing on the new scheduling thread", () -> link.tasksOut() > outAfter + 1_000);
            List<String> lines = log.text().lines()
                    .filter(line -> line.contains("'" + FlakyPolicy.NAME + "' did not return from")).toList();
            assertEquals(lines.toString(), 1, lines.size());
            assertThat(lines.get(0), containsString("did not return from " + method + " within 2000 ms (at "));
            assertThat(lines.get(0), containsString("FlakyPolicy." + method));
            assertThat(lines.get(0), containsString("'deadline' takes its tasks"));
        }
        assertEquals("the configured policy took over, not the built-in FIFO", "deadline", backend.activePolicy());
        try (Gogo gogo = new Gogo(processor)) {
            String policies = gogo.run("scx:policies");
            assertTrue(policies, Pattern.compile("(?m)^ +" + FlakyPolicy.NAME + " +\\S+ +\\S+ +failed: did not return from "
                    + method + " within 2000 ms \\(at .*\\)$").matcher(policies).find());
        }
        Thread hung = flaky.hungThread();
        flaky.release();
        hung.join(PATIENCE_MS);
        assertFalse("the abandoned thread ends once its call returns", hung.isAlive());
        assertEquals("the context refused the released policy's dispatch", Boolean.FALSE, flaky.lateDispatch());
        assertNothingLost();
    }

    @Test
    public void hangingInDispatchIsGivenUpOnAndLosesNothing() throws Exception {
        assertGivenUpOnFor(FlakyPolicy.Fault.HANG_IN_DISPATCH, "dispatch");
    }

    @Test
    public void hangingInEnqueueIsGivenUpOnAndLosesNothing() throws Exception {
        assertGivenUpOnFor(FlakyPolicy.Fault.HANG_IN_ENQUEUE, "enqueue");
    }

    @Test
    public void hangingInActivateIsGivenUpOnAndLosesNothing() throws Exception {
        assertGivenUpOnFor(FlakyPolicy.Fault.HANG_IN_ACTIVATE, "activate");
    }

    @Test
    public void hangingInDeactivateIsGivenUpOnAndLosesNothing() throws Exception {
        assertGivenUpOnFor(FlakyPolicy.Fault.HANG_IN_DEACTIVATE, "deactivate");
    }

    @Test
    public void optionsThatThrowHangOrRunOutOfHeapCostTheShellOneLineEach() throws Exception {
        SchedulerBackend backend = backend();
        backend.swap(FlakyPolicy.NAME);
        String[][] expected = {
            {"THROW", "failed (IllegalStateException: flaky %s, as the test asked)"},
            {"HANG", "did not answer within 2000 ms"},
            {"OUT_OF_HEAP", "failed (OutOfMemoryError: Java heap space)"},
        };
        try (Gogo gogo = new Gogo(processor)) {
            assertThat(gogo.run("scx:config"), containsString("x = 1"));
            for (String[] answer : expected) {
                FlakyPolicy.Answer misbehaviour = FlakyPolicy.Answer.valueOf(answer[0]);
                flaky.options(misbehaviour);
                assertEquals("policy flaky's configuration() " + String.format(answer[1], "configuration"),
                        gogo.refused("scx:config"));
                assertEquals("policy flaky's configuration() " + String.format(answer[1], "configuration"),
                        gogo.refused("scx:set x 2"));
                flaky.options(FlakyPolicy.Answer.FINE);
                flaky.check(misbehaviour);
                assertEquals("policy flaky's checkConfiguration() " + String.format(answer[1], "checkConfiguration"),
                        gogo.refused("scx:set x 2"));
                flaky.check(FlakyPolicy.Answer.FINE);
            }
        }
        assertEquals(FlakyPolicy.NAME, backend.activePolicy());
        long outBefore = link.tasksOut();
        waitUntil("tasks flowing", () -> link.tasksOut() > outBefore + 1_000);
        assertNothingLost();
    }

    @Test
    public void aPolicyWhoseNameThrowsHangsOrRunsOutOfHeapIsRefusedWithOneLineNamingItsBundle() throws Exception {
        String bundle = context.getBundle().getSymbolicName() + " " + context.getBundle().getVersion();
        String[][] expected = {
            {"THROW", "failed (IllegalStateException: flaky name, as the test asked)"},
            {"HANG", "did not answer within 2000 ms"},
            {"OUT_OF_HEAP", "failed (OutOfMemoryError: Java heap space)"},
        };
        List<String> known = backend().availablePolicies();
        for (String[] answer : expected) {
            FlakyPolicy nameless = new FlakyPolicy().name(FlakyPolicy.Answer.valueOf(answer[0]));
            ServiceRegistration<Policy> refused;
            try (LogCapture log = new LogCapture()) {
                refused = context.registerService(Policy.class, nameless, new Hashtable<>());
                String line = "The policy service of bundle " + bundle + " was refused: its name() " + answer[1]
                        + "; fix or remove that bundle.";
                waitUntil("the refusal logged", () -> log.lineWith(line) != null);
                assertEquals(log.text(), 1, log.text().lines().filter(l -> l.contains(bundle)).count());
            }
            try (Gogo gogo = new Gogo(processor)) {
                String policies = gogo.run("scx:policies");
                assertTrue(policies, policies.contains("refused: its name() " + answer[1]));
            } finally {
                nameless.release();
                refused.unregister();
            }
            assertEquals("the refused policy is not among the known ones", known, backend().availablePolicies());
        }
        long outBefore = link.tasksOut();
        waitUntil("tasks flowing", () -> link.tasksOut() > outBefore + 1_000);
        assertNothingLost();
    }
}
