package org.scxjavaland.sim.internal;

import java.util.concurrent.atomic.AtomicLongArray;

import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.Topology;

/**
 * What a machine's topology costs its tasks, by the model of {@link Topology} (SMT siblings share a
 * core's speed; a task that moves to another LLC or node first refills its cache), and the figures
 * that judge where tasks were put: where each wake-up ran compared with where the task ran before,
 * time spent beside a busy sibling, work spent refilling caches. The scheduling thread is the only
 * writer; the figures are published with opaque writes for any thread.
 */
final class TopologyCosts {
    /** Full speed, in the thousandths that {@link SimTask#speedPermille} counts. */
    static final int FULL_SPEED = 1000;

    private static final int SAME_CPU = 0;
    private static final int SAME_CORE = 1;
    private static final int SAME_LLC = 2;
    private static final int OTHER_LLC = 3;
    private static final int OTHER_NODE = 4;
    private static final int SMT_SHARED_NS = 5;
    private static final int SMT_LOST_NS = 6;
    private static final int LLC_REFILLS = 7;
    private static final int NODE_REFILLS = 8;
    private static final int REFILL_NS = 9;
    private static final int NR_FIGURES = 10;

    private final Topology topology;
    private final String idlePick;
    private final boolean numaLocal;
    private final AtomicLongArray figures = new AtomicLongArray(NR_FIGURES);

    TopologyCosts(Topology topology, String idlePick, boolean numaLocal) {
        this.topology = topology;
        this.idlePick = idlePick;
        this.numaLocal = numaLocal;
    }

    Topology topology() {
        return topology;
    }

    /** The speed of a task on {@code cpu}: reduced while another thread of its core runs a task. */
    int speedOn(int cpu, SimTask[] running) {
        int core = topology.coreOf(cpu);
        for (int t = 0; t < topology.threadsPerCore(); t++) {
            int sibling = topology.cpuOf(core, t);
            if (sibling != cpu && running[sibling] != null) {
                return topology.smtSpeedPermille();
            }
        }
        return FULL_SPEED;
    }

    /**
     * {@code t} starts on {@code cpu}, having last run on {@code lastCpu}: a wake-up counts by where
     * it ran, and a task that leaves its LLC (or node) gets the refill as extra work.
     */
    void started(SimTask t, int lastCpu, int cpu, boolean wakeup) {
        t.workCarry = 0;
        if (!t.ranBefore) {
            t.ranBefore = true;
            return; // a task that never ran has no cache to lose
        }
        boolean otherNode = topology.nodeOf(lastCpu) != topology.nodeOf(cpu);
        boolean otherLlc = topology.llcOf(lastCpu) != topology.llcOf(cpu);
        if (wakeup) {
            add(lastCpu == cpu ? SAME_CPU : topology.coreOf(lastCpu) == topology.coreOf(cpu) ? SAME_CORE
                    : !otherLlc ? SAME_LLC : !otherNode ? OTHER_LLC : OTHER_NODE, 1);
        }
        if (otherLlc) {
            long refill = otherNode ? topology.nodeRefillNs() : topology.llcRefillNs();
            t.remainingNs += refill;
            add(otherNode ? NODE_REFILLS : LLC_REFILLS, 1);
            add(REFILL_NS, refill);
        }
    }

    /**
     * The work {@code t} got done in {@code usedNs} at its speed below full: fractions of a ns carry
     * over to the next stretch, so the work adds up exactly.
     */
    long work(SimTask t, long usedNs) {
        long scaled = usedNs * t.speedPermille + t.workCarry;
        long work = scaled / FULL_SPEED;
        t.workCarry = scaled % FULL_SPEED;
        add(SMT_SHARED_NS, usedNs);
        add(SMT_LOST_NS, usedNs - work);
        return work;
    }

    /** The wall time until {@code t} has done its remaining work at its speed (at least the work). */
    static long wallFor(SimTask t) {
        if (t.speedPermille == FULL_SPEED || t.remainingNs >= SimTask.FOREVER / FULL_SPEED) {
            return t.remainingNs;
        }
        long needed = t.remainingNs * FULL_SPEED - t.workCarry;
        return needed <= 0 ? 0 : (needed + t.speedPermille - 1) / t.speedPermille;
    }

    /** Starts the figures afresh (a policy was activated). */
    void reset() {
        for (int i = 0; i < NR_FIGURES; i++) {
            figures.setOpaque(i, 0);
        }
    }

    SimReport.TopologyFigures figures() {
        return new SimReport.TopologyFigures(topology.toString(), idlePick, numaLocal, figures.getOpaque(SAME_CPU),
                figures.getOpaque(SAME_CORE), figures.getOpaque(SAME_LLC), figures.getOpaque(OTHER_LLC),
                figures.getOpaque(OTHER_NODE), figures.getOpaque(SMT_SHARED_NS), figures.getOpaque(SMT_LOST_NS),
                figures.getOpaque(LLC_REFILLS), figures.getOpaque(NODE_REFILLS), figures.getOpaque(REFILL_NS));
    }

    private void add(int figure, long delta) {
        figures.setOpaque(figure, figures.getPlain(figure) + delta);
    }
}
