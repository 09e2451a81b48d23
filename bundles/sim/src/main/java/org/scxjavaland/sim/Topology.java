package org.scxjavaland.sim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of a simulated machine: NUMA nodes, last-level caches (LLCs) per node, cores per LLC,
 * SMT threads (CPUs) per core, and the small cost model that makes the shape matter. Immutable.
 *
 * <p>Written as {@code nodes=2,llcs-per-node=2,cores-per-llc=4,threads-per-core=2} (the
 * {@code topology} key of a workload file, the simulator's {@code topology} option,
 * {@code --sim-topology}); a size left out is 1, except {@code cores-per-llc}, which is required.
 * The cost keys {@code smt-speed}, {@code llc-refill-us} and {@code node-refill-us} may follow.
 *
 * <p>CPUs are numbered as Linux numbers them on a typical x86 machine: first one thread of every
 * core (node 0's cores first, LLC by LLC), then the second thread of every core in the same order.
 * On 2 nodes x 2 LLCs x 4 cores x 2 threads, CPUs 0-3 and 16-19 share LLC 0 of node 0, and CPU 0's
 * SMT sibling is CPU 16.
 *
 * <p><b>The cost model</b> (a model, not a measurement; its parameters are all here):
 * <ul>
 * <li>{@code smt-speed} (default {@value #DEFAULT_SMT_SPEED}): a task whose core's other thread
 *     also runs a task gets this fraction of a core's work done per ns, as its sibling does. The
 *     default is Intel's public "up to 30 % more throughput" for Hyper-Threading: two threads
 *     together do 1.3 times one thread's work, 0.65 each. 1 turns the SMT cost off.</li>
 * <li>{@code llc-refill-us} (default {@value #DEFAULT_LLC_REFILL_US}): a task that starts on a CPU of
 *     another LLC than the one it last ran on first does this much extra work (its working set is
 *     fetched again): about 1 MiB brought back from memory at about 35 GB/s.</li>
 * <li>{@code node-refill-us} (default {@value #DEFAULT_NODE_REFILL_US}): the same, in place of the
 *     former, when the new CPU is on another NUMA node: twice the LLC refill, as a remote node's
 *     memory is commonly quoted at 1.5 to 2 times the latency of the local one.</li>
 * </ul>
 * A machine without a declared topology is {@linkplain #flat(int) flat} (one node, one LLC, one
 * thread a core): no SMT sibling, no cache to lose, and the idle-CPU pick of earlier versions.
 */
public final class Topology {

    public static final double DEFAULT_SMT_SPEED = 0.65;
    public static final long DEFAULT_LLC_REFILL_US = 30;
    public static final long DEFAULT_NODE_REFILL_US = 60;

    private static final String SIZES = "nodes, llcs-per-node, cores-per-llc, threads-per-core";
    private static final String COSTS = "smt-speed, llc-refill-us, node-refill-us";
    private static final java.util.List<String> KEYS = java.util.List.of("nodes", "llcs-per-node", "cores-per-llc",
            "threads-per-core", "smt-speed", "llc-refill-us", "node-refill-us");

    private final int nodes;
    private final int llcsPerNode;
    private final int coresPerLlc;
    private final int threadsPerCore;
    private final int smtSpeedPermille;
    private final long llcRefillNs;
    private final long nodeRefillNs;
    private final int cores;

    private Topology(int nodes, int llcsPerNode, int coresPerLlc, int threadsPerCore, int smtSpeedPermille,
            long llcRefillNs, long nodeRefillNs) {
        this.nodes = nodes;
        this.llcsPerNode = llcsPerNode;
        this.coresPerLlc = coresPerLlc;
        this.threadsPerCore = threadsPerCore;
        this.smtSpeedPermille = smtSpeedPermille;
        this.llcRefillNs = llcRefillNs;
        this.nodeRefillNs = nodeRefillNs;
        this.cores = nodes * llcsPerNode * coresPerLlc;
    }

    /** One node, one LLC, {@code cpus} cores of one thread: the machine of earlier versions. */
    public static Topology flat(int cpus) {
        return new Topology(1, 1, cpus, 1, 1000, 0, 0);
    }

    /**
     * A machine of these sizes with the default costs.
     *
     * @throws IllegalArgumentException (one sentence) for a size below 1 or too many CPUs
     */
    public static Topology of(int nodes, int llcsPerNode, int coresPerLlc, int threadsPerCore) {
        return parse("nodes=" + nodes + ",llcs-per-node=" + llcsPerNode + ",cores-per-llc=" + coresPerLlc
                + ",threads-per-core=" + threadsPerCore);
    }

    /**
     * Reads {@code nodes=2,llcs-per-node=2,cores-per-llc=4,threads-per-core=2[,smt-speed=0.65]
     * [,llc-refill-us=30][,node-refill-us=60]}.
     *
     * @throws IllegalArgumentException naming the problem in one sentence
     */
    public static Topology parse(String text) {
        String spec = text == null ? "" : text.trim();
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw bad(spec, "'" + part.trim() + "' is not key=value; expected keys among " + SIZES + ", " + COSTS);
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (values.put(key, part.substring(eq + 1).trim()) != null) {
                throw bad(spec, key + " is given twice");
            }
        }
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw bad(spec, "the key '" + key + "' is unknown; expected " + SIZES + ", " + COSTS);
            }
        }
        if (!values.containsKey("cores-per-llc")) {
            throw bad(spec, "cores-per-llc is missing; expected for example nodes=1,cores-per-llc=4,threads-per-core=2");
        }
        int nodes = size(spec, values, "nodes");
        int llcs = size(spec, values, "llcs-per-node");
        int coresPerLlc = size(spec, values, "cores-per-llc");
        int threads = size(spec, values, "threads-per-core");
        long cpus = (long) nodes * llcs * coresPerLlc * threads;
        if (cpus > SimOptions.MAX_CPUS) {
            throw bad(spec, "it has " + cpus + " CPUs, more than the " + SimOptions.MAX_CPUS + " the simulator supports");
        }
        int smt = smtSpeed(spec, values.getOrDefault("smt-speed", Double.toString(DEFAULT_SMT_SPEED)));
        long llcRefill = micros(spec, values, "llc-refill-us", DEFAULT_LLC_REFILL_US);
        long nodeRefill = micros(spec, values, "node-refill-us", DEFAULT_NODE_REFILL_US);
        return new Topology(nodes, llcs, coresPerLlc, threads, smt, llcRefill, nodeRefill);
    }

    private static int size(String spec, Map<String, String> values, String key) {
        String v = values.getOrDefault(key, "1");
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= SimOptions.MAX_CPUS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(spec, key + " is '" + v + "', expected a whole number from 1 to " + SimOptions.MAX_CPUS);
    }

    private static int smtSpeed(String spec, String v) {
        try {
            double speed = Double.parseDouble(v);
            if (speed > 0 && speed <= 1) {
                return (int) Math.round(speed * 1000);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(spec, "smt-speed is '" + v + "', expected a fraction above 0 and at most 1 (three decimals count)");
    }

    private static long micros(String spec, Map<String, String> values, String key, long absent) {
        String v = values.get(key);
        if (v == null) {
            return absent * 1000;
        }
        try {
            long us = Long.parseLong(v);
            if (us >= 0 && us <= 10_000_000) {
                return us * 1000;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(spec, key + " is '" + v + "', expected a whole number of microseconds from 0 to 10000000");
    }

    private static IllegalArgumentException bad(String spec, String problem) {
        return new IllegalArgumentException("The topology '" + spec + "' is wrong: " + problem + ".");
    }

    /** CPUs of the machine. */
    public int cpus() { return cores * threadsPerCore; }
    public int nodes() { return nodes; }
    public int llcsPerNode() { return llcsPerNode; }
    public int coresPerLlc() { return coresPerLlc; }
    public int threadsPerCore() { return threadsPerCore; }
    /** Work a task gets done per ns while its SMT sibling runs too, in thousandths (1000 = full speed). */
    public int smtSpeedPermille() { return smtSpeedPermille; }
    /** Extra work of a task that starts in another LLC than the one it last ran in, ns. */
    public long llcRefillNs() { return llcRefillNs; }
    /** Extra work of a task that starts on another node than the one it last ran on, ns. */
    public long nodeRefillNs() { return nodeRefillNs; }

    /** True for one node, one LLC and one thread a core: the machine of earlier versions. */
    public boolean isFlat() {
        return nodes == 1 && llcsPerNode == 1 && threadsPerCore == 1;
    }

    /** The physical core of {@code cpu}, 0 .. cores-1. */
    public int coreOf(int cpu) {
        return cpu % cores;
    }

    /** The LLC of {@code cpu}, 0 .. nodes x llcs-per-node - 1. */
    public int llcOf(int cpu) {
        return coreOf(cpu) / coresPerLlc;
    }

    /** The NUMA node of {@code cpu}. */
    public int nodeOf(int cpu) {
        return llcOf(cpu) / llcsPerNode;
    }

    /** The {@code thread}-th CPU (0 .. threads-per-core - 1) of {@code core}. */
    public int cpuOf(int core, int thread) {
        return thread * cores + core;
    }

    /** A bitmap (64 CPUs a word) of the CPUs that share {@code cpu}'s LLC. */
    public long[] llcMask(int cpu) {
        int llc = llcOf(cpu);
        return mask(llc * coresPerLlc, coresPerLlc);
    }

    /** A bitmap of the CPUs on {@code cpu}'s node. */
    public long[] nodeMask(int cpu) {
        int node = nodeOf(cpu);
        return mask(node * llcsPerNode * coresPerLlc, llcsPerNode * coresPerLlc);
    }

    private long[] mask(int firstCore, int count) {
        long[] m = new long[(cpus() + 63) >>> 6];
        for (int t = 0; t < threadsPerCore; t++) {
            for (int k = 0; k < count; k++) {
                int c = cpuOf(firstCore + k, t);
                m[c >>> 6] |= 1L << c;
            }
        }
        return m;
    }

    /** The written form, as {@link #parse} reads it (costs included). */
    @Override
    public String toString() {
        return "nodes=" + nodes + ",llcs-per-node=" + llcsPerNode + ",cores-per-llc=" + coresPerLlc
                + ",threads-per-core=" + threadsPerCore + ",smt-speed=" + (smtSpeedPermille / 1000.0)
                + ",llc-refill-us=" + llcRefillNs / 1000 + ",node-refill-us=" + nodeRefillNs / 1000;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && toString().equals(t.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
