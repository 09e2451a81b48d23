package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.Simulator;

/** The host comes up in Felix: every bundle starts, the scheduler appears and tasks flow. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostStartsIT extends HostTestSupport {

    @Test
    public void everyBundleIsActiveAndEveryFragmentResolved() {
        backend(); // the host is up
        List<String> notStarted = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != expected) {
                notStarted.add(bundle.getSymbolicName() + " (state " + bundle.getState() + ")");
            }
        }
        assertEquals("bundles not started: " + notStarted, List.of(), notStarted);
        for (String name : List.of("org.scxjavaland.api", "org.scxjavaland.link", "org.scxjavaland.connector",
                SIM_BUNDLE, DEADLINE_BUNDLE, FIFO_BUNDLE, "org.scxjavaland.shell")) {
            assertEquals(name, Bundle.ACTIVE, installedBundle(name).getState());
        }
    }

    @Test
    public void schedulerSchedulesTheSimulatedMachineWithTheDeadlinePolicy() {
        SchedulerBackend backend = backend();
        waitUntil("the sim link attached", () -> "sim".equals(backend.kind()) && backend.nrCpus() > 0);
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
        assertTrue(backend.availablePolicies().containsAll(
                List.of(SchedulerBackend.BUILTIN_FIFO, "deadline", "fifo")));
        assertEquals(backend.nrCpus(), backend.metrics().nrCpus());
    }

    @Test
    public void tasksFlowOnTheSimulatedMachine() {
        Simulator simulator = service(Simulator.class, null);
        SimReport before = simulator.report();
        awaitUserDispatches(1_000);
        waitUntil("tasks running on the simulated CPUs", () -> simulator.report().taskRuns() > before.taskRuns() + 1_000);
        SimReport after = simulator.report();
        for (SimReport.GroupReport group : after.groups()) {
            assertTrue(group.name() + " never ran", group.cpuNs() > 0);
        }
    }
}
