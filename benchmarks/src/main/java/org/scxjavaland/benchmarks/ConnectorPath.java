package org.scxjavaland.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scxjavaland.api.Policy;
import org.scxjavaland.connector.internal.Scheduler;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;

/**
 * What the connector adds to the policy's path, per task. Runs the same rounds two ways, with the
 * simulated kernel of {@link SchedulingPathBenchmark} queueing {@code tasks} tasks each round and
 * running whatever was dispatched:
 * <ul>
 *   <li><b>policy alone</b>: this thread drains the queued ring into the policy and lets it
 *   dispatch every task it holds ({@link UserSpacePath}, as the connector's rounds do);</li>
 *   <li><b>through the connector</b>: the real scheduling thread ({@code Scheduler}, its loop,
 *   ledger, record checks and policy context) over a {@link RingLink} on the same rings.</li>
 * </ul>
 * Both report the CPU time of the thread that ran the rounds, minus its CPU time in the simulated
 * kernel, per task dispatched; the difference is the connector's own work.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.scxjavaland.benchmarks.ConnectorPath
 *     [--policy deadline|fifo] [--tasks 256] [--seconds 5] [--warmup-seconds 5] [--repeats 3]</pre>
 */
public final class ConnectorPath {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int NR_CPUS = 4;

    private ConnectorPath() {
    }

    public static void main(String[] args) throws Exception {
        String policy = "deadline";
        int tasks = 256;
        double seconds = 5;
        double warmupSeconds = 5;
        int repeats = 3;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--policy": policy = args[i + 1]; break;
                case "--tasks": tasks = Integer.parseInt(args[i + 1]); break;
                case "--seconds": seconds = Double.parseDouble(args[i + 1]); break;
                case "--warmup-seconds": warmupSeconds = Double.parseDouble(args[i + 1]); break;
                case "--repeats": repeats = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Double> alone = new ArrayList<>();
        List<Double> connector = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            alone.add(policyAlone(newPolicy(policy), tasks, warmupSeconds, seconds).nsPerTask());
            connector.add(throughTheConnector(newPolicy(policy), tasks, warmupSeconds, seconds).nsPerTask());
        }
        System.out.printf(Locale.ROOT, "# policy %s, %d tasks a round, %s s measured after %s s, %d repeats (ns per task: median, then each)%n",
                policy, tasks, seconds, warmupSeconds, repeats);
        System.out.printf(Locale.ROOT, "policy alone        %7.1f  %s%n", median(alone), alone);
        System.out.printf(Locale.ROOT, "through connector   %7.1f  %s%n", median(connector), connector);
        System.out.printf(Locale.ROOT, "connector's own     %7.1f%n", median(connector) - median(alone));
    }

    static Policy newPolicy(String name) {
        switch (name) {
            case "deadline": return new DeadlinePolicy();
            case "fifo": return new FifoPolicy();
            default: throw new IllegalArgumentException("policy is deadline or fifo, not " + name);
        }
    }

    /** What one way of running the rounds measured: tasks dispatched, and CPU ns per task outside the simulated kernel. */
    record Figures(long tasks, double nsPerTask) {
    }

    /** The rounds on this thread, the policy called directly. */
    static Figures policyAlone(Policy policy, int tasks, double warmupSeconds, double seconds) {
        RingMemory queued = RingMemory.allocate(queuedRingBytes(tasks));
        RingMemory dispatched = RingMemory.allocate(dispatchedRingBytes(tasks));
        SimulatedKernel kernel = new SimulatedKernel(queued, dispatched, tasks);
        UserSpacePath user = new UserSpacePath(queued, dispatched, policy);
        for (int pid = 1; pid <= tasks; pid++) {
            kernel.queueNew(pid);
        }
        long[] kernelCpuNs = new long[1];
        long[] sent = new long[1];
        Runnable round = () -> {
            user.drainQueued();
            sent[0] += user.dispatchAll();
            long start = THREADS.getCurrentThreadCpuTime();
            kernel.runDispatched();
            kernelCpuNs[0] += THREADS.getCurrentThreadCpuTime() - start;
        };
        runFor(round, warmupSeconds);
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long kernel0 = kernelCpuNs[0];
        long sent0 = sent[0];
        runFor(round, seconds);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long sentNow = sent[0] - sent0;
        return new Figures(sentNow, (double) (cpu - (kernelCpuNs[0] - kernel0)) / sentNow);
    }

    /** Runs rounds for about {@code seconds}, and 64 at least however late this thread gets to run. */
    private static void runFor(Runnable round, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            for (int i = 0; i < 64; i++) {
                round.run();
            }
        } while (System.nanoTime() < end);
    }

    /** The rounds on the connector's scheduling thread. */
    static Figures throughTheConnector(Policy policy, int tasks, double warmupSeconds, double seconds)
            throws InterruptedException {
        RingMemory queued = RingMemory.allocate(queuedRingBytes(tasks));
        RingMemory dispatched = RingMemory.allocate(dispatchedRingBytes(tasks));
        SimulatedKernel kernel = new SimulatedKernel(queued, dispatched, tasks);
        for (int pid = 1; pid <= tasks; pid++) {
            kernel.queueNew(pid);
        }
        RingLink link = new RingLink(queued, dispatched, kernel, NR_CPUS);
        try (Scheduler scheduler = new Scheduler(policy.name())) {
            scheduler.addPolicy(policy);
            scheduler.attach(link);
            long waitUntil = System.nanoTime() + 30_000_000_000L;
            while (!policy.name().equals(scheduler.activePolicy())) {
                if (System.nanoTime() > waitUntil) {
                    throw new IllegalStateException("the connector did not activate " + policy.name() + " within 30 s");
                }
                Thread.sleep(10);
            }
            Thread.sleep((long) (warmupSeconds * 1000));
            awaitMore(link, 0);
            long thread = schedulingThreadId();
            long cpu0 = THREADS.getThreadCpuTime(thread);
            long kernel0 = link.kernelCpuNs();
            long out0 = link.tasksOut();
            Thread.sleep((long) (seconds * 1000));
            awaitMore(link, out0);
            long cpu = THREADS.getThreadCpuTime(thread) - cpu0;
            long kernelCpuNs = link.kernelCpuNs() - kernel0;
            long out = link.tasksOut() - out0;
            link.exit();
            if (!scheduler.awaitLoopEnd(10_000)) {
                throw new IllegalStateException("the scheduling thread did not end within 10 s");
            }
            return new Figures(out, (double) (cpu - kernelCpuNs) / out);
        }
    }

    /** Waits until a round dispatched more than {@code tasksOut} tasks in all, however loaded the machine. */
    private static void awaitMore(RingLink link, long tasksOut) throws InterruptedException {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (link.tasksOut() <= tasksOut) {
            if (System.nanoTime() > giveUp) {
                throw new IllegalStateException("the scheduling thread dispatched nothing for 60 s");
            }
            Thread.sleep(1);
        }
    }

    private static long schedulingThreadId() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(Scheduler.THREAD_NAME)) {
                return thread.getId();
            }
        }
        throw new IllegalStateException("no thread named " + Scheduler.THREAD_NAME);
    }

    private static int queuedRingBytes(int tasks) {
        return Integer.highestOneBit(Math.max(4096, tasks * 96) * 2 - 1);
    }

    private static int dispatchedRingBytes(int tasks) {
        return Integer.highestOneBit(Math.max(4096, tasks * 48) * 2 - 1);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
