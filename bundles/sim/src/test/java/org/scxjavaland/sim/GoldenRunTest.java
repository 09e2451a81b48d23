package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * Fixed-seed runs give the very figures they gave when the digests below were recorded: a change
 * meant to make the simulator faster must not change what it simulates. Each digest covers every
 * group's figures to the nanosecond (CPU time, latencies and their curve, wakeups, periods), the
 * counters, the task runs and the events. A change that is meant to alter the simulation records
 * new digests (the failure message prints them) and says why in its commit. The runs before the
 * scheduler's own cost was modelled keep a free scheduler explicitly; the last ones pin the default
 * cost of the scheduling thread.
 */
public class GoldenRunTest {

    @Test
    public void fifoToAnyCpuOnFourCpus() throws Exception {
        assertDigest("04a89763", run("desktop-under-build", 4, 3, 2_000, false));
    }

    @Test
    public void fifoToAnyCpuOnSixtyFourCpus() throws Exception {
        assertDigest("7afebc68", run("desktop-under-build", 64, 3, 1_000, false));
    }

    @Test
    public void idleCpusAndDirectWakeupsOnFourCpus() throws Exception {
        assertDigest("35f805fb", run("desktop-under-build", 4, 5, 2_000, true));
    }

    @Test
    public void idleCpusAndDirectWakeupsOnSixtyFourCpus() throws Exception {
        assertDigest("4a75078d", run("desktop-under-build", 64, 5, 1_000, true));
    }

    @Test
    public void idleCpusAndDirectWakeupsOnTheServer() throws Exception {
        assertDigest("4d222e46", run("server", 16, 9, 1_000, true));
    }

    @Test
    public void affinitiesAcrossTwoWordsOfCpus() throws Exception {
        assertDigest("dc66acb7", run(AFFINITIES, 100, 11, 1_000, true));
    }

    @Test
    public void affinitiesAcrossTwoWordsOfCpusFifo() throws Exception {
        assertDigest("006d1e6b", run(AFFINITIES, 100, 12, 1_000, false));
    }

    @Test
    public void fifoWithTheSchedulersDefaultCostOnFourCpus() throws Exception {
        assertDigest("b8887e04", run("desktop-under-build", 4, 3, 2_000, false, SimOptions.builder()));
    }

    @Test
    public void idleCpusAndDirectWakeupsWithTheSchedulersDefaultCostOnTheServer() throws Exception {
        assertDigest("596cfe71", run("server", 16, 9, 1_000, true, SimOptions.builder()));
    }

    /**
     * 2 nodes x 2 LLCs x 4 cores x 2 threads: the idle pick that follows the topology, numa_local,
     * and the SMT and cache-refill costs (recorded when they were written; a change of them records
     * new digests and says why).
     */
    @Test
    public void topologyWithSmtCacheCostsAndNumaLocal() throws Exception {
        Topology t = Topology.of(2, 2, 4, 2);
        assertDigest("62a36660", run(Workload.load("desktop-under-build"),
                SimOptions.builder().freeScheduler().topology(t).seed(5).durationMs(1_000).numaLocal(true), true));
        assertDigest("b8eeb641", run(Workload.load("server"), SimOptions.builder().freeScheduler().topology(t).seed(9)
                .durationMs(1_000),
                false));
    }

    /**
     * 100 CPUs (two words of the CPU bitmaps, the second one partly used) and groups that may use
     * only some of them, on both sides of CPU 64, so that idle CPUs are searched past the end.
     */
    private static final String AFFINITIES = String.join("\n",
            "cpus=100",
            "group.pinned.count=6", "group.pinned.run_us=300", "group.pinned.sleep_us=2000",
            "group.pinned.affinity=3,64-70,99",
            "group.hogs.count=120", "group.hogs.run_us=-1", "group.hogs.affinity=10-90",
            "group.io.count=60", "group.io.run_us=200", "group.io.sleep_us=1500",
            "group.edge.count=3", "group.edge.run_us=500", "group.edge.sleep_us=3000", "group.edge.affinity=62-65",
            "group.k.kthread=true", "group.k.run_us=50", "group.k.sleep_us=5000");

    private static void assertDigest(String expected, String run) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(run.getBytes(StandardCharsets.UTF_8));
        String actual = HexFormat.of().formatHex(hash, 0, 4);
        assertEquals("digest of:\n" + run, expected, actual);
    }

    private static String run(String workload, int cpus, long seed, long durationMs, boolean policyLike)
            throws WorkloadException {
        return run(workload, cpus, seed, durationMs, policyLike, SimOptions.builder().freeScheduler());
    }

    private static String run(String workload, int cpus, long seed, long durationMs, boolean policyLike,
            SimOptions.Builder options) throws WorkloadException {
        Workload w = workload.startsWith("cpus=") ? Workload.parse("affinities", "test", workload) : Workload.load(workload);
        return run(w, options.cpus(cpus).seed(seed).durationMs(durationMs), policyLike);
    }

    private static String run(Workload w, SimOptions.Builder options, boolean policyLike) throws WorkloadException {
        SimulatedMachine m = new SimulatedMachine(w, options.build());
        if (policyLike) {
            PolicyLikeDriver driver = new PolicyLikeDriver(m);
            while (!m.exited()) {
                driver.round();
            }
        } else {
            new FifoDriver(m, 1_000_000).runUntilExit(Long.MAX_VALUE);
        }
        SimReport r = m.report();
        return r.toTable() + r.groups() + "\n" + r.counters() + "\nruns " + m.taskRuns() + ", events "
                + m.eventsProcessed() + ", elapsed " + r.elapsedNs() + ", now " + m.now() + "\n";
    }

    /**
     * Uses what the deadline policy uses: selectCpu for every other record, CPU_IDLE for the rest,
     * vtimes that put woken tasks first, and FLAG_WAKE_DIRECT on the dispatches of woken tasks.
     * Dispatches at most 8 records a round, so that tasks are held and the queues fill.
     */
    private static final class PolicyLikeDriver {
        private final SimulatedMachine m;
        private final QueuedTask[] held = new QueuedTask[4096];
        private final DispatchedTask d = new DispatchedTask();
        private int head;
        private int count;
        private long records;

        PolicyLikeDriver(SimulatedMachine m) {
            this.m = m;
            for (int i = 0; i < held.length; i++) {
                held[i] = new QueuedTask();
            }
        }

        void round() {
            while (count < held.length && m.dequeue(held[(head + count) % held.length])) {
                count++;
            }
            for (int n = 0; n < 8 && count > 0; n++) {
                QueuedTask t = held[head];
                boolean woke = (t.flags() & SimulatedMachine.ENQ_WAKEUP) != 0;
                int cpu = DispatchedTask.CPU_IDLE;
                if ((records++ & 1) == 0) {
                    int idle = m.selectCpu(t.pid(), t.cpu(), t.flags());
                    cpu = idle >= 0 ? idle : DispatchedTask.CPU_ANY;
                }
                d.prepare(t).cpu(cpu).sliceNs(woke ? 5_000_000 : 3_000_000)
                        .vtime(m.now() + (woke ? 0 : 3_000_000)).wakeDirect(woke);
                if (!m.dispatch(d)) {
                    break;
                }
                head = (head + 1) % held.length;
                count--;
            }
            m.notifyComplete(count);
        }
    }
}
