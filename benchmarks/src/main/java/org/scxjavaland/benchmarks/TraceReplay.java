package org.scxjavaland.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.scxjavaland.connector.internal.Scheduler;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TracedTask;

/**
 * A generated trace replayed on the simulated machine, as each cell of {@code scx_javaland-compare
 * --workloads trace:FILE} replays it (the connector's scheduling thread, fast mode, no OSGi): a
 * periodic sleeper ({@code cyclictest}: 1 ms sleeps, 20-40 us bursts) among CPU hogs
 * ({@code stress-ng-cpu}) and bursty workers, under each policy, each group's p50/p99 next to the
 * trace's own (made up here: 5-60 us). Then the replay's speed: medians of repeated runs. Run by
 * hand; it measures and prints, it asserts nothing.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.scxjavaland.benchmarks.TraceReplay \
 *     [--cpus 4] [--hogs 4] [--workers 300] [--worker-sleep-ms 50] [--virtual-s 10] [--policies deadline,fifo] [--repeat 3] [--seed 1]
 * </pre>
 */
public final class TraceReplay {

    private static final long US = 1_000;
    private static final long MS = 1_000_000;

    private TraceReplay() {
    }

    public static void main(String[] args) throws Exception {
        int cpus = 4;
        int hogs = 4;
        int workers = 300;
        long workerSleepNs = 50 * MS;
        double virtualS = 10;
        List<String> policies = List.of(DeadlinePolicy.NAME, FifoPolicy.NAME);
        int repeat = 3;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cpus": cpus = Integer.parseInt(args[++i]); break;
                case "--hogs": hogs = Integer.parseInt(args[++i]); break;
                case "--workers": workers = Integer.parseInt(args[++i]); break;
                case "--worker-sleep-ms": workerSleepNs = Math.round(Double.parseDouble(args[++i]) * MS); break;
                case "--virtual-s": virtualS = Double.parseDouble(args[++i]); break;
                case "--policies": policies = Arrays.asList(args[++i].split(",")); break;
                case "--repeat": repeat = Integer.parseInt(args[++i]); break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                default:
                    System.err.println("unknown argument " + args[i] + "; see the class comment of " + TraceReplay.class.getName());
                    System.exit(2);
            }
        }
        Trace trace = generate(cpus, hogs, workers, workerSleepNs, Math.round(virtualS * 1e9), seed);
        Workload workload = Workload.fromTrace(trace, "trace:generated");
        System.out.printf(Locale.ROOT, "generated trace: %d tasks on %d CPUs, %.1f s (%s)%n", trace.tasks().size(),
                trace.cpus(), trace.durationNs() / 1e9, workload.description());

        System.out.println();
        System.out.println("| policy | group | tasks | wake-ups | p50 us | p99 us | recorded p50 us | recorded p99 us |"
                + " cpu % |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        List<String> tables = new ArrayList<>();
        for (String policy : policies) {
            Run run = run(workload, policy, cpus, workload.durationNs());
            tables.add("policy " + policy + ", " + run.report().toTable() + run.exitReason() + "\n");
            for (SimReport.GroupReport g : run.report().groups()) {
                SimReport.RecordedGroup r = run.report().recorded().stream().filter(x -> x.name().equals(g.name()))
                        .findFirst().orElseThrow();
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", policy,
                        g.name(), g.tasks(), g.wakeups(), g.p50Ns() / 1e3, g.p99Ns() / 1e3, r.p50Ns() / 1e3,
                        r.p99Ns() / 1e3, g.cpuSharePct());
            }
        }
        System.out.println();
        tables.forEach(System.out::print);

        System.out.println();
        // The replay's speed, side by side with the built-in server workload on the same machine for
        // the same virtual time, runs of the two taking turns.
        Workload server = Workload.builtIn("server");
        System.out.println("replay speed, " + policies.get(0) + ", against the built-in server workload on " + cpus
                + " CPUs for the same virtual time: one warm-up run each, then " + repeat + " runs each, in turns");
        run(workload, policies.get(0), cpus, workload.durationNs());
        run(server, policies.get(0), cpus, workload.durationNs());
        List<Run> replays = new ArrayList<>();
        List<Run> servers = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
            replays.add(print("trace ", r, run(workload, policies.get(0), cpus, workload.durationNs())));
            servers.add(print("server", r, run(server, policies.get(0), cpus, workload.durationNs())));
        }
        Run replay = median(replays);
        Run builtIn = median(servers);
        System.out.println("| workload | tasks | virtual s | wall s | events | M events/s | x real time |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Run m : List.of(replay, builtIn)) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.3f | %d | %.2f | %.1f |%n", m.report().workload(),
                    m.report().groups().stream().mapToInt(SimReport.GroupReport::tasks).sum(), m.virtualS(), m.wallS(),
                    m.events(), m.events() / m.wallS() / 1e6, m.virtualS() / m.wallS());
        }
        System.out.printf(Locale.ROOT, "events/s of the replay / of server: %.2f%n",
                (replay.events() / replay.wallS()) / (builtIn.events() / builtIn.wallS()));
    }

    private static Run print(String what, int r, Run run) {
        System.out.printf(Locale.ROOT, "  %s run %d: %.2f virtual s in %.3f wall s, %d events, %.2f M events/s,"
                + " %.1fx real time%n", what, r + 1, run.virtualS(), run.wallS(), run.events(),
                run.events() / run.wallS() / 1e6, run.virtualS() / run.wallS());
        return run;
    }

    /** The median run by wall time. */
    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> Double.compare(a.wallS(), b.wallS()));
        return sorted.get(sorted.size() / 2);
    }

    private record Run(SimReport report, String exitReason, double virtualS, double wallS, long events) {
    }

    /** A run as a comparison's cell runs it: the trace's duration unless it ends sooner. */
    private static Run run(Workload workload, String policy, int cpus, long durationNs) throws Exception {
        SimulatedMachine machine = new SimulatedMachine(workload, SimOptions.builder().cpus(cpus).seed(1)
                .mode(SimOptions.Mode.FAST).durationNs(durationNs).build());
        try (Scheduler scheduler = new Scheduler(policy)) {
            scheduler.addPolicy(new DeadlinePolicy());
            scheduler.addPolicy(new FifoPolicy());
            long start = System.nanoTime();
            scheduler.attach(machine);
            while (!scheduler.awaitLoopEnd(1_000)) {
                // waits for the replay's end
            }
            double wallS = (System.nanoTime() - start) / 1e9;
            return new Run(machine.report(), machine.exitReason(), machine.virtualTimeNs() / 1e9, wallS,
                    machine.eventsProcessed());
        } finally {
            machine.shutDown("The benchmark is over.");
        }
    }

    /** cyclictest, {@code hogs} stress-ng-cpu hogs for the whole time, {@code workers} bursty workers. */
    static Trace generate(int cpus, int hogs, int workers, long workerSleepNs, long durationNs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TracedTask> tasks = new ArrayList<>();
        int pid = 1000;
        tasks.add(sleeper(pid++, durationNs, random));
        for (int h = 0; h < hogs; h++) {
            tasks.add(new TracedTask(pid++, 900, "stress-ng-cpu", 100, cpus, -1, 0, new long[] {durationNs},
                    new long[] {-1}, new long[] {random.nextLong(5 * US, 60 * US)}));
        }
        for (int w = 0; w < workers; w++) {
            tasks.add(worker(pid++, "worker-" + w, cpus, workerSleepNs, durationNs, random));
        }
        return new Trace(1, cpus, "generated by " + TraceReplay.class.getSimpleName(), durationNs, tasks);
    }

    private static TracedTask sleeper(int pid, long durationNs, SplittableRandom random) {
        int bursts = (int) (durationNs / MS) - 1;
        long[] runs = new long[bursts];
        long[] sleeps = new long[bursts];
        long[] latencies = new long[bursts];
        for (int i = 0; i < bursts; i++) {
            runs[i] = random.nextLong(20 * US, 40 * US);
            sleeps[i] = i == bursts - 1 ? -1 : MS;
            latencies[i] = random.nextLong(5 * US, 60 * US);
        }
        return new TracedTask(pid, pid, "cyclictest", 100, 1, -1, MS / 2, runs, sleeps, latencies);
    }

    /** Bursts of 200 us and sleeps of {@code sleepNs} on average (exponential), until the duration. */
    private static TracedTask worker(int pid, String comm, int cpus, long sleepNs, long durationNs,
            SplittableRandom random) {
        List<long[]> pairs = new ArrayList<>();
        long at = random.nextLong(5 * MS);
        long first = at;
        while (at < durationNs) {
            long run = Math.max(1_000, (long) (-Math.log(1 - random.nextDouble()) * 200 * US));
            long sleep = Math.max(1_000, (long) (-Math.log(1 - random.nextDouble()) * sleepNs));
            pairs.add(new long[] {run, sleep});
            at += run + sleep;
        }
        long[] runs = new long[pairs.size()];
        long[] sleeps = new long[pairs.size()];
        long[] latencies = new long[pairs.size()];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = pairs.get(i)[0];
            sleeps[i] = i == runs.length - 1 ? -1 : pairs.get(i)[1];
            latencies[i] = random.nextLong(5 * US, 60 * US);
        }
        return new TracedTask(pid, 800, comm, 100, cpus, -1, first, runs, sleeps, latencies);
    }
}
