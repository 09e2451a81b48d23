package org.scxjavaland.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.scxjavaland.connector.internal.Scheduler;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/**
 * How fast the simulated machine runs a workload in fast mode, driven as the product drives it:
 * the connector's scheduling thread ({@link Scheduler}) with the deadline (or fifo) policy, without
 * OSGi. Run by hand; it measures and prints, it asserts nothing.
 *
 * <pre>
 * java -Xms256m -Xmx256m -cp benchmarks/target/benchmarks.jar org.scxjavaland.benchmarks.SimulatorSpeed \
 *     [--workload desktop-under-build] [--cpus 4,64,1024] [--virtual-s 600,60,10] [--repeat 3] [--seed 1]
 *     [--policy deadline|fifo] [--sched-round-ns N] [--sched-task-ns N] [--tables]
 * </pre>
 *
 * {@code --virtual-s} gives the virtual seconds of each CPU count's runs (the last one for the CPU
 * counts after it). For each CPU count: one warm-up run, then {@code --repeat} measured runs, each
 * line with its figures, then the medians. The scheduling thread's allocation is sampled while it
 * runs, from 0.1 s into the run (bytes per event, warm); the heap after a full
 * GC is printed before the first and after the last run. {@code --tables} prints each measured
 * run's report, to compare runs of a seed byte for byte. {@code --sched-round-ns} and
 * {@code --sched-task-ns} set the scheduling thread's cost on the machine (SimOptions' defaults
 * unless given; both 0: a free scheduler).
 */
public final class SimulatorSpeed {

    private static final double HOUR_S = 3600.0;

    private SimulatorSpeed() {
    }

    /** The figures of one measured run. */
    private record Run(int cpus, int tasks, double virtualS, double wallS, long events, long taskRuns,
            double allocPerEvent, String table) {
        double eventsPerS() { return events / wallS; }
        double runsPerS() { return taskRuns / wallS; }
        double realTimeFactor() { return virtualS / wallS; }
        double hourS() { return HOUR_S / realTimeFactor(); }
    }

    public static void main(String[] args) throws Exception {
        String workload = "desktop-under-build";
        int[] cpuCounts = {4, 64, 1024};
        double[] virtualS = {60};
        int repeat = 3;
        long seed = 1;
        String policy = DeadlinePolicy.NAME;
        boolean tables = false;
        SimOptions.Builder costs = SimOptions.builder();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload": workload = args[++i]; break;
                case "--cpus": cpuCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--virtual-s": virtualS = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray(); break;
                case "--repeat": repeat = Integer.parseInt(args[++i]); break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                case "--policy": policy = args[++i]; break;
                case "--tables": tables = true; break;
                case "--sched-round-ns": costs.schedRoundNs(Long.parseLong(args[++i])); break;
                case "--sched-task-ns": costs.schedTaskNs(Long.parseLong(args[++i])); break;
                default:
                    System.err.println("unknown argument " + args[i] + "; see the class comment of " + SimulatorSpeed.class.getName());
                    System.exit(2);
            }
        }
        SimOptions costOptions = costs.build();
        long roundNs = costOptions.schedRoundNs();
        long taskNs = costOptions.schedTaskNs();
        System.out.printf(Locale.ROOT, "%s, policy %s, seed %d, scheduler %d ns/round + %d ns/task, virtual s per run %s,"
                + " JVM %s %s%n", workload, policy, seed, roundNs, taskNs, Arrays.toString(virtualS), System.getProperty("java.vm.version"), ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf(Locale.ROOT, "heap after a full GC, before: %.1f MiB%n", heapAfterGcMiB());
        List<Run> medians = new ArrayList<>();
        for (int k = 0; k < cpuCounts.length; k++) {
            int cpus = cpuCounts[k];
            double seconds = virtualS[Math.min(k, virtualS.length - 1)];
            run(workload, cpus, seconds, seed, policy, roundNs, taskNs); // warm-up: the JIT has compiled the path
            List<Run> runs = new ArrayList<>();
            for (int r = 0; r < repeat; r++) {
                Run run = run(workload, cpus, seconds, seed, policy, roundNs, taskNs);
                runs.add(run);
                System.out.println("  run " + (r + 1) + ": " + row(run));
                if (tables) {
                    System.out.print(run.table());
                }
            }
            runs.sort((a, b) -> Double.compare(a.wallS(), b.wallS()));
            medians.add(runs.get(runs.size() / 2));
        }
        System.out.printf(Locale.ROOT, "heap after a full GC, after: %.1f MiB%n", heapAfterGcMiB());
        System.out.println();
        System.out.println("medians (by wall time) of " + repeat + " runs:");
        System.out.println("| CPUs | tasks | virtual s | wall s | events | task runs | events/s | task runs/s"
                + " | real-time factor | one hour takes | B/event |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Run r : medians) {
            System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.2f | %d | %d | %.2f M | %.2f M | %sx | %.0f s | %.3f |%n",
                    r.cpus(), r.tasks(), r.virtualS(), r.wallS(), r.events(), r.taskRuns(), r.eventsPerS() / 1e6,
                    r.runsPerS() / 1e6, factor(r.realTimeFactor()), r.hourS(), r.allocPerEvent());
        }
    }

    private static String row(Run r) {
        return String.format(Locale.ROOT, "%d CPUs, %d tasks, %.1f virtual s in %.3f wall s: %d events, %d task runs,"
                + " %.2f M events/s, %.2f M task runs/s, %sx real time, one hour in %.1f s, %.3f B/event",
                r.cpus(), r.tasks(), r.virtualS(), r.wallS(), r.events(), r.taskRuns(), r.eventsPerS() / 1e6,
                r.runsPerS() / 1e6, factor(r.realTimeFactor()), r.hourS(), r.allocPerEvent());
    }

    /** Two significant digits below 10 (a slow machine's factor is well below 1). */
    private static String factor(double f) {
        return String.format(Locale.ROOT, f < 10 ? "%.2g" : "%.0f", f);
    }

    private static Run run(String workload, int cpus, double virtualS, long seed, String policy, long roundNs,
            long taskNs) throws Exception {
        SimulatedMachine machine = new SimulatedMachine(Workload.load(workload), SimOptions.builder().cpus(cpus)
                .seed(seed).mode(SimOptions.Mode.FAST).durationMs(Math.round(virtualS * 1000))
                .schedRoundNs(roundNs).schedTaskNs(taskNs).build());
        Scheduler scheduler = new Scheduler(policy);
        scheduler.addPolicy(new DeadlinePolicy());
        scheduler.addPolicy(new FifoPolicy());
        long start = System.nanoTime();
        scheduler.attach(machine);
        AllocationSampler sampler = new AllocationSampler(machine);
        while (!scheduler.awaitLoopEnd(20)) {
            sampler.sample();
        }
        double wallS = (System.nanoTime() - start) / 1e9;
        scheduler.close();
        SimReport report = machine.report();
        int tasks = report.groups().stream().mapToInt(SimReport.GroupReport::tasks).sum();
        return new Run(machine.nrCpus(), tasks, machine.virtualTimeNs() / 1e9, wallS, machine.eventsProcessed(),
                machine.taskRuns(), sampler.bytesPerEvent(), report.toTable());
    }

    /**
     * The scheduling thread's allocated bytes against the machine's events, between the first
     * sample taken 0.1 s into the run and the last one taken while the thread lived.
     */
    private static final class AllocationSampler {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final SimulatedMachine machine;
        private final long startNs = System.nanoTime();
        private long threadId = -1;
        private long firstBytes = -1;
        private long firstEvents;
        private long lastBytes;
        private long lastEvents;

        AllocationSampler(SimulatedMachine machine) {
            this.machine = machine;
        }

        void sample() {
            if (System.nanoTime() - startNs < 100_000_000L) {
                return;
            }
            if (threadId < 0) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals(Scheduler.THREAD_NAME)) {
                        threadId = t.getId();
                    }
                }
            }
            long events = machine.eventsProcessed();
            long bytes = threadId < 0 ? -1 : threads.getThreadAllocatedBytes(threadId);
            if (bytes < 0) {
                return;
            }
            if (firstBytes < 0) {
                firstBytes = bytes;
                firstEvents = events;
            } else {
                lastBytes = bytes;
                lastEvents = events;
            }
        }

        /** NaN when the run was too short (0.2 s) to sample twice. */
        double bytesPerEvent() {
            return firstBytes < 0 || lastEvents <= firstEvents ? Double.NaN
                    : (double) (lastBytes - firstBytes) / (lastEvents - firstEvents);
        }
    }

    private static double heapAfterGcMiB() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
