package org.scxjavaland.sim;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;

import org.junit.Test;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * The per-task path (dequeue, dispatch, selectCpu, notifyComplete and the events they run)
 * allocates nothing once warm, with a driver that allocates nothing either.
 */
public class HotPathAllocationTest {

    @Test
    public void aWarmMachineAllocatesNothingPerTask() throws Exception {
        assertAllocatesNothingPerTask(new SimulatedMachine(Workload.load("desktop-under-build"), SimOptions.defaults()));
    }

    /** Idle picks on SMT siblings, LLCs and nodes, speeds that change, caches refilled. */
    @Test
    public void aWarmMachineWithATopologyAllocatesNothingPerTask() throws Exception {
        assertAllocatesNothingPerTask(new SimulatedMachine(Workload.parse("Test workload", "t", String.join("\n",
                "topology=nodes=2,llcs-per-node=2,cores-per-llc=2,threads-per-core=2",
                "group.w.count_per_cpu=4", "group.w.run_us=200", "group.w.sleep_us=2000",
                "group.w.distribution=exponential", "group.h.count=4", "group.h.run_us=-1")),
                SimOptions.builder().directIdleDispatch(true).build()));
    }

    private static void assertAllocatesNothingPerTask(SimulatedMachine m) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        SelectingDriver driver = new SelectingDriver(m);
        for (int i = 0; i < 300_000; i++) { // warm: queues grown, code compiled
            driver.round();
        }
        // Per-task allocation shows in every window; the JIT's one-off allocations (a late
        // recompilation) may land in one, so the quietest of three windows is what is checked.
        long id = Thread.currentThread().getId();
        long quietest = Long.MAX_VALUE;
        long runs = 0;
        for (int window = 0; window < 3; window++) {
            long runsBefore = m.taskRuns();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 200_000; i++) {
                driver.round();
            }
            quietest = Math.min(quietest, threads.getThreadAllocatedBytes(id) - before);
            runs = m.taskRuns() - runsBefore;
        }
        // Any object per task would cost at least 16 bytes a run.
        assertTrue("ran " + runs + " tasks per window", runs > 100_000);
        assertTrue("allocated " + quietest + " bytes over " + runs + " task runs", quietest < 1024);
    }

    /** FIFO with selectCpu, as the seed's policy uses it; preallocated ring of records. */
    private static final class SelectingDriver {
        private final SimulatedMachine m;
        private final org.scxjavaland.api.QueuedTask[] held = new org.scxjavaland.api.QueuedTask[8192];
        private final org.scxjavaland.api.DispatchedTask d = new org.scxjavaland.api.DispatchedTask();
        private int head;
        private int count;

        SelectingDriver(SimulatedMachine m) {
            this.m = m;
            for (int i = 0; i < held.length; i++) {
                held[i] = new org.scxjavaland.api.QueuedTask();
            }
        }

        void round() {
            while (count < held.length && m.dequeue(held[(head + count) % held.length])) {
                count++;
            }
            if (count > 0) {
                org.scxjavaland.api.QueuedTask t = held[head];
                int cpu = m.selectCpu(t.pid(), t.cpu(), t.flags());
                d.prepare(t).cpu(cpu >= 0 ? cpu : org.scxjavaland.api.DispatchedTask.CPU_ANY).sliceNs(2_000_000)
                        .vtime(m.now());
                if (m.dispatch(d)) {
                    head = (head + 1) % held.length;
                    count--;
                }
            }
            m.notifyComplete(count);
        }
    }
}
