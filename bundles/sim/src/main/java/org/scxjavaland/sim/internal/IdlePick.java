package org.scxjavaland.sim.internal;

import org.scxjavaland.sim.Topology;

/**
 * The kernel's idle-CPU selection on a machine with SMT siblings, LLCs and NUMA nodes, as the BPF
 * side reaches it. Reads the machine's bitmaps of idle CPUs and of CPUs claimed this round (shared
 * with {@link MachineCore}); claims nothing itself.
 *
 * <p>{@link #selectDefault} follows sched_ext's {@code scx_select_cpu_dfl()} (kernel/sched/ext_idle.c
 * of recent kernels; older ones lack the step to the previous CPU's sibling), which {@code scx_bpf_select_cpu_dfl()} (the BPF side's wake-up path) and
 * {@code scx_bpf_select_cpu_and()} (its {@code pick_idle_cpu()}) run:
 * <ol>
 * <li>with SMT: the previous CPU if its whole core is idle; then a wholly idle core in the previous
 *     CPU's LLC, then in its node, then anywhere (in its node only with {@code SCX_PICK_IDLE_IN_NODE},
 *     which the BPF side asks for with {@code numa_local});</li>
 * <li>the previous CPU if idle; with SMT, an idle sibling of it;</li>
 * <li>any idle CPU in the previous CPU's LLC, then its node, then anywhere (in its node only, as above).</li>
 * </ol>
 * {@link #pickIdle} is {@code scx_bpf_pick_idle_cpu()} / {@code scx_bpf_pick_idle_cpu_node()}: a
 * CPU of a wholly idle core first, then any idle CPU, with no regard for LLCs. Where the kernel
 * takes "any" CPU of a set (it spreads its picks round-robin), this takes the first one from the
 * previous CPU on, wrapping around, as the flat machine always did: the same on a flat machine,
 * and deterministic. Not modelled: {@code SCX_WAKE_SYNC} (moving the wakee to the waker's CPU).
 */
final class IdlePick {
    private final Topology topology;
    private final int nrCpus;
    private final long[] idle;
    private final long[] claimed;
    private final long[][] llcMasks;
    private final long[][] nodeMasks;
    private final boolean smt;
    // Made once: a scan runs on every idle pick and must not allocate.
    private final java.util.function.IntPredicate wholeCoreUnclaimed = c -> coreIdle(c, true);
    private final java.util.function.IntPredicate wholeCoreIdle = c -> coreIdle(c, false);

    IdlePick(Topology topology, long[] idle, long[] claimed) {
        this.topology = topology;
        this.nrCpus = topology.cpus();
        this.idle = idle;
        this.claimed = claimed;
        this.smt = topology.threadsPerCore() > 1;
        llcMasks = new long[topology.nodes() * topology.llcsPerNode()][];
        nodeMasks = new long[topology.nodes()][];
        for (int c = 0; c < nrCpus; c++) {
            if (llcMasks[topology.llcOf(c)] == null) {
                llcMasks[topology.llcOf(c)] = topology.llcMask(c);
            }
            if (nodeMasks[topology.nodeOf(c)] == null) {
                nodeMasks[topology.nodeOf(c)] = topology.nodeMask(c);
            }
        }
    }

    /**
     * {@code scx_select_cpu_dfl()}: an idle, unclaimed CPU of {@code allowed} near {@code prev}, or
     * -1; with {@code inNode} never outside {@code prev}'s node.
     */
    int selectDefault(long[] allowed, int prev, boolean inNode) {
        int from = prev >= 0 && prev < nrCpus ? prev : 0;
        boolean prevAllowed = isSet(allowed, from);
        long[] llc = llcMasks[topology.llcOf(from)];
        long[] node = nodeMasks[topology.nodeOf(from)];
        long[] anywhere = inNode ? node : null;
        int c;
        if (smt) {
            if (prevAllowed && coreIdle(from, true)) {
                return from;
            }
            if ((c = scan(allowed, llc, from, true, true)) >= 0
                    || (c = scan(allowed, node, from, true, true)) >= 0
                    || (c = scan(allowed, anywhere, from, true, true)) >= 0) {
                return c;
            }
        }
        if (prevAllowed && cpuIdle(from, true)) {
            return from;
        }
        if (smt) {
            int core = topology.coreOf(from);
            for (int t = 0; t < topology.threadsPerCore(); t++) {
                int sibling = topology.cpuOf(core, t);
                if (sibling != from && isSet(allowed, sibling) && cpuIdle(sibling, true)) {
                    return sibling;
                }
            }
        }
        if ((c = scan(allowed, llc, from, true, false)) >= 0 || (c = scan(allowed, node, from, true, false)) >= 0) {
            return c;
        }
        return scan(allowed, anywhere, from, true, false);
    }

    /**
     * The BPF side's {@code claim_idle_cpu()}: {@code prev} if it is idle, else {@link #pickIdle};
     * with {@code nodeFirst} (its {@code scx_bpf_pick_idle_cpu_node()} without
     * {@code SCX_PICK_IDLE_IN_NODE}) in {@code prev}'s node first, then anywhere; unclaimed CPUs
     * only; -1 if none.
     */
    int claim(long[] allowed, int prev, boolean nodeFirst) {
        int from = prev >= 0 && prev < nrCpus ? prev : 0;
        if (isSet(allowed, from) && cpuIdle(from, true)) {
            return from;
        }
        int c = nodeFirst ? pickIdle(allowed, from, nodeMasks[topology.nodeOf(from)], true) : -1;
        return c >= 0 ? c : pickIdle(allowed, from, null, true);
    }

    /**
     * {@code scx_bpf_pick_idle_cpu()}: a CPU of {@code allowed} (and of {@code domain} unless null)
     * whose whole core is idle, else any idle one, from {@code from} on; with {@code unclaimedOnly}
     * false, a claimed CPU will do when no other is idle (see MachineCore.insertShared); -1 if none.
     */
    int pickIdle(long[] allowed, int from, long[] domain, boolean unclaimedOnly) {
        int start = from >= 0 && from < nrCpus ? from : 0;
        int c = -1;
        if (smt) {
            c = scan(allowed, domain, start, true, true);
        }
        if (c < 0) {
            c = scan(allowed, domain, start, true, false);
        }
        if (c < 0 && !unclaimedOnly) {
            c = smt ? scan(allowed, domain, start, false, true) : -1;
            c = c >= 0 ? c : scan(allowed, domain, start, false, false);
        }
        return c;
    }

    /**
     * The first CPU of {@code allowed} and {@code domain} (null: every CPU) at or after {@code from},
     * wrapping around, that is idle (and unclaimed with {@code unclaimedOnly}) and, with
     * {@code wholeCore}, whose SMT siblings are too; -1 if none.
     */
    private int scan(long[] allowed, long[] domain, int from, boolean unclaimedOnly, boolean wholeCore) {
        return CpuBitmaps.first(idle, allowed, domain, unclaimedOnly ? claimed : null, from,
                !wholeCore ? null : unclaimedOnly ? wholeCoreUnclaimed : wholeCoreIdle);
    }

    /** True when every SMT thread of {@code cpu}'s core is idle (and unclaimed). */
    boolean coreIdle(int cpu, boolean unclaimedOnly) {
        int core = topology.coreOf(cpu);
        for (int t = 0; t < topology.threadsPerCore(); t++) {
            if (!cpuIdle(topology.cpuOf(core, t), unclaimedOnly)) {
                return false;
            }
        }
        return true;
    }

    private boolean cpuIdle(int cpu, boolean unclaimedOnly) {
        long bit = 1L << cpu;
        return (idle[cpu >>> 6] & bit) != 0 && (!unclaimedOnly || (claimed[cpu >>> 6] & bit) == 0);
    }

    private static boolean isSet(long[] mask, int cpu) {
        return (mask[cpu >>> 6] & (1L << cpu)) != 0;
    }
}
