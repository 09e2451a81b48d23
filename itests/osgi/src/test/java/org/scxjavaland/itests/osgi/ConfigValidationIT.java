package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.sim.Simulator;

/**
 * Bad values arriving through ConfigAdmin (as from an edited etc/*.cfg or a shell command) are
 * rejected with a logged sentence, and the running host keeps what it had.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConfigValidationIT extends HostTestSupport {

    private static final String DEADLINE_PID = "org.scxjavaland.policy.deadline";
    private static final String CONNECTOR_PID = "org.scxjavaland.connector";
    private static final String SIM_PID = "org.scxjavaland.sim";

    /** Waits for each deletion: the next test configures the same PIDs (see {@link #deleteConfiguration}). */
    @After
    public void forgetConfigurations() {
        for (String pid : new String[] {DEADLINE_PID, CONNECTOR_PID, SIM_PID}) {
            deleteConfiguration(pid);
        }
    }

    /** Applies {@code bad} to {@code pid} and waits for the host to log about it (ConfigAdmin is asynchronous). */
    private String applyRejected(String pid, Map<String, ?> bad, String logged) {
        try (LogCapture log = new LogCapture()) {
            configure(pid, bad);
            waitUntil("a logged sentence about " + bad, () -> log.lineWith(logged) != null);
            return log.lineWith(logged);
        }
    }

    @Test
    public void badSlicesLeaveTheDeadlinePolicyAsItWas() {
        Policy deadline = policy("deadline");
        configure(DEADLINE_PID, Map.of("slice_us", 15_000L, "slice_us_min", 500L));
        waitUntil("the good slices in force", () -> Long.valueOf(15_000).equals(deadline.configuration().get("slice_us")));
        Map<String, Object> inForce = deadline.configuration();

        Object[][] badValues = {{"slice_us", 0L}, {"slice_us", -5L}, {"slice_us", "abc"}, {"slice_us_min", 0L},
            {"slice_us_min", 30_000L}};
        for (Object[] bad : badValues) {
            // The policy's own sentence, not any line with the digits in it: ConfigAdmin is asynchronous.
            String line = applyRejected(DEADLINE_PID, Map.of((String) bad[0], bad[1]), "Ignoring the configuration");
            assertTrue(line, line.contains((String) bad[0]) && line.contains(String.valueOf(bad[1])));
            assertEquals("after " + line, inForce, deadline.configuration());
        }
        assertEquals("deadline", backend().activePolicy());
        awaitUserDispatches(1_000);
    }

    @Test
    public void anUnknownPolicyNameKeepsTheActivePolicy() {
        SchedulerBackend backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
        try (LogCapture log = new LogCapture()) {
            configure(CONNECTOR_PID, Map.of("policy", "nosuch"));
            waitUntil("the connector rejecting the policy, or giving up deadline",
                    () -> log.lineWith("nosuch") != null || !"deadline".equals(backend.activePolicy()));
            assertEquals("deadline", backend.activePolicy());
            assertEquals("WARN org.scxjavaland.connector.internal.Scheduler - The configured policy 'nosuch' is not"
                    + " installed (the known policies are builtin-fifo, deadline, fifo): 'deadline' stays active, and"
                    + " 'nosuch' becomes active when a policy of that name appears.",
                    log.lineWith("nosuch").replaceFirst("^\\[[^]]*\\] ", ""));
        }
        awaitUserDispatches(1_000);
        assertEquals("deadline", backend.activePolicy());
    }

    @Test
    public void aConfiguredPolicyThatAppearsLaterBecomesActive() {
        SchedulerBackend backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
        applyRejected(CONNECTOR_PID, Map.of("policy", FlakyPolicy.NAME), "'" + FlakyPolicy.NAME + "' is not installed");
        awaitUserDispatches(1_000);
        assertEquals("deadline", backend.activePolicy());

        FlakyPolicy flaky = new FlakyPolicy();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("scx.policy.name", FlakyPolicy.NAME);
        ServiceRegistration<Policy> registration = context.registerService(Policy.class, flaky, properties);
        try {
            assertEquals(FlakyPolicy.NAME, backend.activePolicy());
            assertEquals(1, flaky.activations());
            awaitUserDispatches(1_000);
        } finally {
            registration.unregister();
        }
    }

    @Test
    public void anUnknownBackendKeepsTheSimulatedMachine() {
        SchedulerBackend backend = backend();
        waitUntil("the sim link attached", () -> "sim".equals(backend.kind()));
        applyRejected(CONNECTOR_PID, Map.of("backend", "quantum"), "quantum");
        assertEquals("sim", backend.kind());
        awaitUserDispatches(1_000);
    }

    @Test
    public void badSimulatorValuesKeepTheRunningMachine() {
        Simulator simulator = service(Simulator.class, null);
        int cpus = simulator.options().cpus();
        for (Object[] bad : new Object[][] {{"cpus", 0L}, {"cpus", "many"}, {"seed", "x1"}, {"mode", "slow"},
            {"duration_ms", -1L}, {"workload", "nosuch"}}) {
            applyRejected(SIM_PID, Map.of((String) bad[0], bad[1]), "'" + bad[1] + "'");
            assertSame("the simulated machine was replaced after " + bad[0] + "=" + bad[1],
                    simulator, service(Simulator.class, null));
            assertEquals(cpus, simulator.options().cpus());
        }
        awaitUserDispatches(1_000);
    }
}
