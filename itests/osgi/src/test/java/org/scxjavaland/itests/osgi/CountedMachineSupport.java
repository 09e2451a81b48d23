package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.After;
import org.junit.Before;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.sim.WorkloadException;

/**
 * Tests that count every task: the configured simulator is stopped and the connector schedules a
 * simulated machine of the test's own, behind a {@link CountingLink}.
 *
 * <p>Its workload makes user space hold tasks most of the time, so that a swap or a failure has
 * something to lose: a herd of 64 tasks that all wake at the same instant every 5 ms (the policy
 * takes them in one round), on CPUs kept busy by two hogs each, with a kernel side that takes one
 * decision a round (a dispatched ring with room for one record), so the policy holds the rest.
 * (A round dispatches every task the ring takes: with the default ring, or on a desktop-like
 * workload, a policy rarely holds anything between rounds.)
 */
public abstract class CountedMachineSupport extends HostTestSupport {

    static final String HERD_UNDER_BUILD = String.join("\n",
            "name=herd-under-build",
            "description=64 tasks waking together every 5 ms, on CPUs kept busy by two hogs each",
            "cpus=4",
            "group.herd.count=64",
            "group.herd.period_us=5000",
            "group.herd.run_us=100",
            "group.herd.start_us=0",
            "group.herd.jitter=0",
            "group.build.count_per_cpu=2",
            "group.build.run_us=-1");

    /** How long, in machine time, the kernel's watchdog lets a runnable task wait. */
    protected static final long WATCHDOG_NS = SimOptions.defaults().watchdogNs();

    protected SimulatedMachine machine;
    protected CountingLink link;
    private ServiceRegistration<KernelLink> registration;

    @Before
    public void scheduleCountedMachine() throws BundleException, WorkloadException {
        installedBundle(SIM_BUNDLE).stop();
        machine = new SimulatedMachine(Workload.parse("herd-under-build", "herd-under-build", HERD_UNDER_BUILD),
                SimOptions.builder().cpus(4).seed(7).mode(SimOptions.Mode.FAST).dispatchedCapacity(1).build());
        link = new CountingLink(machine);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(KernelLink.KIND, "sim");
        registration = context.registerService(KernelLink.class, link, properties);
        waitUntil("the connector scheduling the counted machine", () -> link.rounds() > 100);
    }

    @After
    public void restoreConfiguredSimulator() throws BundleException {
        registration.unregister();
        machine.shutDown("The test is over.");
        installedBundle(SIM_BUNDLE).start();
    }

    /** Lets the machine run {@code virtualNs} further (in fast mode this takes little wall time). */
    protected void runFor(long virtualNs) {
        long until = machine.virtualTimeNs() + virtualNs;
        waitUntil("the machine running " + virtualNs / 1_000_000 + " ms more", () -> machine.virtualTimeNs() >= until
                || machine.exited());
    }

    /**
     * Every task that went into user space came out or is still held, as the connector says; none
     * was dispatched twice or without being held; the machine is still running; and, over a
     * watchdog period, no held task got as old as the watchdog allows (none is stranded).
     */
    protected void assertNothingLost() {
        link.resetMaxHeld();
        runFor(WATCHDOG_NS + WATCHDOG_NS / 2);
        assertNull(link.firstDiscrepancy(), link.firstDiscrepancy());
        assertEquals(0, link.roundsOff());
        assertEquals(0, link.unknownDispatches());
        assertEquals(0, link.requeuedWhileHeld());
        assertFalse("the machine stopped: " + machine.exitReason(), machine.exited());
        assertTrue("a task was held " + link.maxHeldNs() / 1_000_000 + " ms of machine time",
                link.maxHeldNs() < WATCHDOG_NS / 2);
        // Out first: the scheduling thread counts a task in before it counts it out, so reading in
        // after out can only find more tasks in.
        long out = link.tasksOut();
        long heldNow = link.tasksIn() - out;
        assertTrue("user space holds " + heldNow + " tasks", heldNow >= 0);
    }

    /** Every dispatch from now on grants {@code sliceNs} (the herd's tasks all have weight 100). */
    protected void assertSlicesDispatched(long sliceNs) {
        waitUntil("slices of " + sliceNs + " ns dispatched", () -> link.lastSliceNs() == sliceNs);
        link.resetSlices();
        long outBefore = link.tasksOut();
        waitUntil("more dispatches", () -> link.tasksOut() > outBefore + 1_000);
        assertEquals(sliceNs, link.minSliceNs());
        assertEquals(sliceNs, link.maxSliceNs());
    }
}
