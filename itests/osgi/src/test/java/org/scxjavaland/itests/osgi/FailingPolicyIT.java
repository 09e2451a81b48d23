package org.scxjavaland.itests.osgi;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;

import java.util.Dictionary;
import java.util.Hashtable;
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
 * A policy that throws is deactivated with its reason logged, and the built-in FIFO takes its tasks;
 * one that forgets its tasks loses none either: the connector kept its own record of them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailingPolicyIT extends CountedMachineSupport {

    private FlakyPolicy flaky;
    private ServiceRegistration<Policy> registration;

    @Before
    public void registerFlakyPolicy() {
        flaky = new FlakyPolicy();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("scx.policy.name", FlakyPolicy.NAME);
        registration = context.registerService(Policy.class, flaky, properties);
        waitUntil("the connector knowing the flaky policy",
                () -> backend().availablePolicies().contains(FlakyPolicy.NAME));
    }

    @After
    public void unregisterFlakyPolicy() {
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
            waitUntil("the flaky policy deactivated", () -> SchedulerBackend.BUILTIN_FIFO.equals(backend.activePolicy()));
            waitUntil("the reason logged", () -> log.lineWith("'" + FlakyPolicy.NAME + "'") != null);
            String line = log.lineWith("'" + FlakyPolicy.NAME + "'");
            assertThat(line, containsString(method));
            assertThat(line, containsString("as the test asked"));
        }
        assertThat(backend.lastFailure(), containsString("'" + FlakyPolicy.NAME + "'"));
        assertThat(backend.lastFailure(), containsString(method));
        long outAfter = link.tasksOut();
        waitUntil("tasks flowing under the built-in FIFO", () -> link.tasksOut() > outAfter + 1_000);
        assertEquals(SchedulerBackend.BUILTIN_FIFO, backend.activePolicy());
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
}
