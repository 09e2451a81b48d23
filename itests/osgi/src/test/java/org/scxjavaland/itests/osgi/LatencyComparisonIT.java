package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.SimReport.GroupReport;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * The point of the deadline policy, measured: on a desktop under a parallel build, interactive
 * tasks wait far less for a CPU than under FIFO. Each policy schedules the same machine (same
 * workload, seed and length) from its start, through the real connector; the two latency tables
 * are printed for the record, and the test asserts the direction only.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LatencyComparisonIT extends HostTestSupport {

    private static final long VIRTUAL_MS = 20_000;

    @Before
    public void stopConfiguredSimulator() throws BundleException {
        installedBundle(SIM_BUNDLE).stop();
    }

    @After
    public void restoreConfiguredSimulator() throws BundleException {
        backend().swap("deadline");
        installedBundle(SIM_BUNDLE).start();
    }

    @Test
    public void deadlineKeepsInteractiveLatencyFarBelowFifo() throws Exception {
        SimReport deadline = run("deadline");
        SimReport fifo = run("fifo");
        System.out.println("deadline policy:\n" + deadline.toTable() + "\nfifo policy:\n" + fifo.toTable());

        GroupReport d = deadline.group("interactive");
        GroupReport f = fifo.group("interactive");
        System.out.printf(Locale.ROOT, "interactive p99 wake-to-run latency: deadline %.1f us, fifo %.1f us%n",
                d.p99Ns() / 1e3, f.p99Ns() / 1e3);
        assertTrue("both runs measured interactive wakeups", d.latencySamples() > 1000 && f.latencySamples() > 1000);
        assertTrue("deadline's interactive p99 (" + d.p99Ns() + " ns) is not far below fifo's (" + f.p99Ns() + " ns)",
                d.p99Ns() * 4 < f.p99Ns());
        assertTrue("deadline did not miss fewer frames than fifo",
                deadline.group("frame").missedPeriods() < fifo.group("frame").missedPeriods());
        assertTrue("the build made no progress under deadline", deadline.group("build").cpuSharePct() > 10);
    }

    /** Schedules a fresh desktop-under-build machine with {@code policy} until its time is up. */
    private SimReport run(String policy) throws Exception {
        SchedulerBackend backend = backend();
        backend.swap(policy); // no machine is scheduled now: this only selects the policy
        SimulatedMachine machine = new SimulatedMachine(Workload.load("desktop-under-build"),
                SimOptions.builder().seed(1).mode(SimOptions.Mode.FAST).durationMs(VIRTUAL_MS).build());
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(KernelLink.KIND, "sim");
        ServiceRegistration<KernelLink> registration = context.registerService(KernelLink.class, machine, properties);
        try {
            waitUntil(policy + " scheduling " + VIRTUAL_MS + " ms of desktop-under-build", machine::exited);
            assertEquals(policy, backend.activePolicy());
            assertTrue(machine.exitReason(), machine.virtualTimeNs() >= VIRTUAL_MS * 1_000_000);
            return machine.report();
        } finally {
            registration.unregister();
        }
    }
}
