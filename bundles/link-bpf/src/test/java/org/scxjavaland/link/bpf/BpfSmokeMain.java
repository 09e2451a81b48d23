package org.scxjavaland.link.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.CounterRules;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;

/**
 * Schedules a real sched_ext kernel for a few seconds with the BPF link and a plain FIFO, while a
 * CPU-bound and a sleeping load run, and prints what happened as {@code key=value} lines (the VM
 * tests parse them). Run as root on a sched_ext kernel (the VM lab):
 *
 * <pre>java -cp ... org.scxjavaland.link.bpf.BpfSmokeMain [seconds] [partial] [hotplug] [cpu-idle]</pre>
 *
 * {@code partial} schedules only the loads (started as SCHED_EXT); {@code hotplug} takes CPU 1
 * offline a quarter into the run and back online 1.5 s later; each makes the kernel ask for a
 * restart. {@code record} records every task's events meanwhile (a thread of its own drains them)
 * and prints what it saw of them. {@code depth} keeps at most one task per CPU dispatched and not
 * yet running (as the connector's {@code --queue-depth 1}), samples the BPF side's count of them at
 * every round, and adds finite workers that must all finish; after the loads stop it watches the
 * count go back to 0.
 * {@code cpu-idle} dispatches to {@code CPU_IDLE} (the BPF side picks the CPU) instead of
 * calling selectCpu for each task, as the deadline policy does: then the scheduling thread's CPU
 * time per round after the warm-up ({@code sched_thread_cpu_ns_per_round}) is what a round costs
 * besides the policy's work, the figure the simulated machine's round cost stands for.
 */
public final class BpfSmokeMain {
    private static final int POOL = 16384;
    /** The kernel's watchdog timeout in the guest: emulation runs tasks many times slower than hardware. */
    private static final int GUEST_TIMEOUT_MS = 20_000;

    private final QueuedTask[] held = new QueuedTask[POOL];
    private int head;
    private int size;
    private long selectCpuCalls;
    private long selectCpuNanos;

    private BpfSmokeMain() {
        for (int i = 0; i < POOL; i++) {
            held[i] = new QueuedTask();
        }
    }

    /** How long a hotplug run may wait for the kernel's restart request and the reload (emulation is slow). */
    private static final long HOTPLUG_CAP_NS = 120_000_000_000L;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        java.util.List<String> modes = java.util.Arrays.asList(args);
        BpfSmokeMain smoke = new BpfSmokeMain();
        smoke.depth = modes.contains("depth");
        smoke.cpuIdle = modes.contains("cpu-idle");
        System.exit(smoke.run(seconds, modes.contains("partial"), modes.contains("hotplug"), modes.contains("record")));
    }

    private boolean cpuIdle;

    /** Bound the tasks dispatched and not yet running to one per CPU (see the class comment). */
    private boolean depth;
    /** Finite CPU-bound processes of the depth run: each must finish. */
    private static final int WORKERS = 6;

    /** Drains the task events on a thread of its own and counts them by kind, and the sleeper's. */
    private static final class EventCounter extends Thread {
        private final TaskEventSource source;
        private final long[] kinds = new long[8];
        private final java.util.Set<Integer> pids = new java.util.HashSet<>();
        private volatile int sleeperPid = -1;
        private long sleeperWakes;
        private long sleeperSleeps;
        private long outOfOrder;
        private long lastTs;
        private volatile boolean stop;

        EventCounter(TaskEventSource source) {
            super("recorder");
            this.source = source;
        }

        @Override
        public void run() {
            TaskEventSink sink = (kind, ts, pid, tgid, cpu, weight, nrCpusAllowed, comm) -> {
                kinds[kind >= 0 && kind < kinds.length ? kind : 0]++;
                pids.add(pid);
                outOfOrder += ts < lastTs ? 1 : 0;
                lastTs = ts;
                if (pid == sleeperPid) {
                    sleeperWakes += kind == TaskEventSink.KIND_WAKE ? 1 : 0;
                    sleeperSleeps += kind == TaskEventSink.KIND_SLEEP ? 1 : 0;
                }
            };
            while (!stop) {
                if (source.drain(sink, 4096) == 0) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            while (source.drain(sink, 4096) > 0) {
                // the rest
            }
        }

        void report() throws InterruptedException {
            stop = true;
            join();
            source.close();
            say("record_events", java.util.Arrays.stream(kinds).sum());
            say("record_kinds", java.util.Arrays.toString(kinds));
            say("record_tasks", pids.size());
            say("record_dropped", source.dropped());
            say("record_out_of_order", outOfOrder);
            say("record_sleeper_wakes", sleeperWakes);
            say("record_sleeper_sleeps", sleeperSleeps);
        }
    }

    private int run(int seconds, boolean partial, boolean hotplug, boolean record) throws Exception {
        say("state_before", sysfs("state"));
        BpfOptions options = new BpfOptions(1000, partial, false, 0, false, true, true, GUEST_TIMEOUT_MS, 500);
        BpfLink link;
        try {
            link = BpfLink.open(options);
        } catch (BpfLinkException e) {
            say("open_error", e.getMessage());
            if (!e.detail().isEmpty()) {
                System.out.println(e.detail());
            }
            return 1;
        }
        say("load_ms", ms(link.loadNanos()));
        List<Process> loads = startLoads(partial);
        Thread.sleep(300);
        try {
            link.attach();
        } catch (BpfLinkException e) {
            say("attach_error", e.getMessage());
            stop(loads);
            link.close();
            return 1;
        }
        say("attach_ms", ms(link.attachNanos()));
        EventCounter recorder = null;
        if (record) {
            recorder = new EventCounter(link.recordTaskEvents());
            recorder.sleeperPid = (int) loads.get(loads.size() - 1).pid();
            recorder.start();
        }
        say("state_attached", sysfs("state"));
        say("ops", sysfs("root/ops"));
        say("nr_cpus", link.nrCpus());
        try {
            BpfLink.open(options).close();
            say("second_open_error", "(none)");
        } catch (BpfLinkException e) {
            say("second_open_error", e.getMessage());
        }

        long budget = depth ? link.nrCpus() : 0;
        link.queueBudget(budget);
        long maxQueued = 0;
        long maxHeld = 0;
        long heldRounds = 0;
        List<Process> workers = depth ? startWorkers() : List.of();
        long start = System.nanoTime();
        long warm = start + 1_000_000_000L;
        long end = start + seconds * 1_000_000_000L;
        // Early, so that a hotplug slowed down by emulation still completes within the run.
        long unplugAt = hotplug ? start + seconds * 250_000_000L : Long.MAX_VALUE;
        long unpluggedAt = -1;
        long restartedAfter = -1;
        long replugAt = Long.MAX_VALUE;
        long faultsAtWarm = -1;
        LinkCounters atWarm = null;
        long rounds = 0;
        long sent = 0;
        // The plain run holds the BPF side to the counting rules the simulated machine keeps too.
        boolean probeDue = !partial && !hotplug && !record && !depth;
        long roundsAtWarm = 0;
        long recordsAtWarm = 0;
        long records = 0;
        long runsAtWarm = 0;
        long cpuAtWarm = 0;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        QueuedTask incoming = new QueuedTask();
        DispatchedTask out = new DispatchedTask();
        // A hotplug run goes on past its seconds until the restart it waits for has happened and CPU 1
        // is back (a slow machine reloads the scheduler slowly), within a bound that only a hung
        // hotplug reaches.
        long hotplugCap = start + HOTPLUG_CAP_NS;
        while (!link.exited()) {
            long now = System.nanoTime();
            boolean hotplugPending = hotplug && (restartedAfter < 0 || replugAt != Long.MAX_VALUE || unplugAt != Long.MAX_VALUE);
            if (now >= end && !(hotplugPending && now < hotplugCap)) {
                break;
            }
            if (now >= unplugAt) {
                unplugAt = Long.MAX_VALUE;
                unpluggedAt = now;
                replugAt = now + 1_500_000_000L;
                say("user_dispatches_before_unplug", link.counters().nrUserDispatches());
                say("cpu1_offline", write("/sys/devices/system/cpu/cpu1/online", "0"));
            }
            if (unpluggedAt >= 0 && restartedAfter < 0 && link.restarts() > 0) {
                restartedAfter = now - unpluggedAt;
                say("user_dispatches_after_restart", link.counters().nrUserDispatches());
            }
            if (now >= replugAt) {
                replugAt = Long.MAX_VALUE;
                say("cpu1_online", write("/sys/devices/system/cpu/cpu1/online", "1"));
            }
            if (atWarm == null && now >= warm) {
                atWarm = link.counters();
                faultsAtWarm = pageFaults();
                roundsAtWarm = rounds;
                recordsAtWarm = records;
                runsAtWarm = link.schedulerRuns();
                cpuAtWarm = threads.getCurrentThreadCpuTime();
            }
            while (size < POOL && link.dequeue(incoming)) {
                held[(head + size++) % POOL].copyFrom(incoming);
                records++;
            }
            if (probeDue && now >= warm && size >= 2) {
                probeDue = false;
                say("counter_rules_expected", CounterRules.expected(CounterRules.PROBE));
                say("counter_rules_seen", probeCounterRules(link, held[head], held[(head + 1) % POOL], sent, size));
                sent += CounterRules.PROBE.length;
                head = (head + 2) % POOL;
                size -= 2;
            }
            long room = depth ? budget - link.queuedInKernel() : Long.MAX_VALUE;
            while (size > 0 && room-- > 0) {
                QueuedTask task = held[head];
                out.prepare(task).sliceNs(5_000_000L).vtime(task.vtime() + 1);
                if (cpuIdle) {
                    out.cpu(DispatchedTask.CPU_IDLE);
                } else {
                    long t0 = System.nanoTime();
                    int cpu = link.selectCpu(task.pid(), task.cpu(), task.flags());
                    selectCpuNanos += System.nanoTime() - t0;
                    selectCpuCalls++;
                    out.cpu(cpu >= 0 ? cpu : DispatchedTask.CPU_ANY);
                }
                if (!link.dispatch(out)) {
                    break;
                }
                records++;
                sent++;
                head = (head + 1) % POOL;
                size--;
            }
            if (depth) {
                maxQueued = Math.max(maxQueued, link.userQueuedInKernel());
                maxHeld = Math.max(maxHeld, size);
                heldRounds += size > 0 ? 1 : 0;
            }
            link.notifyComplete(size);
            rounds++;
        }
        if (depth) {
            say("budget", budget);
            say("max_user_queued", maxQueued);
            say("max_held", maxHeld);
            say("rounds_holding_tasks", heldRounds);
            say("workers_done", finished(workers) + "/" + WORKERS);
        }
        long measured = System.nanoTime();
        if (recorder != null) {
            recorder.report();
        }
        long cpuMeasured = threads.getCurrentThreadCpuTime() - cpuAtWarm;
        long runsMeasured = link.schedulerRuns() - runsAtWarm;
        long faultsAtEnd = pageFaults();
        LinkCounters last = link.counters();
        boolean exited = link.exited();
        say("exited_early", exited);
        if (exited) {
            say("exit_reason", link.exitReason());
        }
        say("rounds", rounds);
        say("restarts", link.restarts());
        if (hotplug) {
            say("offline_to_restart_ms", restartedAfter < 0 ? "never" : ms(restartedAfter));
            if (link.restarts() == 0) {
                reportStuckHotplug();
            }
        }
        say("scheduler_runs", link.schedulerRuns());
        say("counters", last);
        if (atWarm != null) {
            double secs = (measured - warm) / 1e9;
            say("user_dispatches_per_s", Math.round((last.nrUserDispatches() - atWarm.nrUserDispatches()) / secs));
            say("kernel_dispatches_per_s", Math.round((last.nrKernelDispatches() - atWarm.nrKernelDispatches()) / secs));
            say("page_faults_after_warmup", faultsAtEnd - faultsAtWarm);
            long roundsMeasured = rounds - roundsAtWarm;
            say("measured_s", String.format(java.util.Locale.ROOT, "%.3f", secs));
            say("rounds_after_warmup", roundsMeasured);
            say("scheduler_runs_after_warmup", runsMeasured);
            say("records_after_warmup", records - recordsAtWarm);
            say("sched_thread_cpu_ns_after_warmup", cpuMeasured);
            say("sched_thread_cpu_ns_per_round", roundsMeasured == 0 ? 0 : cpuMeasured / roundsMeasured);
            say("sched_thread_cpu_ns_per_scheduler_run", runsMeasured == 0 ? 0 : cpuMeasured / runsMeasured);
        }
        say("nr_user_dispatches", last.nrUserDispatches());
        say("select_cpu_calls", selectCpuCalls);
        say("select_cpu_ns_avg", selectCpuCalls == 0 ? 0 : selectCpuNanos / selectCpuCalls);
        if (depth) {
            say("user_queued_when_quiet", quietCount(link, loads, incoming, out));
        }
        long t0 = System.nanoTime();
        link.close();
        say("detach_ms", ms(System.nanoTime() - t0));
        say("state_after", sysfs("state"));
        say("exit_reason_after_close", link.exitReason());
        if (!depth) {
            say("load_progress", stop(loads));     // the depth run stopped them before its quiet count
        }
        return exited ? 2 : 0;
    }

    /**
     * CPU-bound shell loops that end: under a bound that the BPF side did not keep, or a scheduling
     * thread it did not run when the queues had room, some would wait past the watchdog.
     */
    /**
     * Sends CounterRules' probe for {@code a} and {@code b} once the BPF side has carried out the
     * {@code sent} dispatches before it, and says what the counts grew by once it has carried out
     * the probe too: only user space's dispatches move those counts, and it sends nothing else
     * meanwhile.
     */
    private static String probeCounterRules(BpfLink link, QueuedTask a, QueuedTask b, long sent, long holding) {
        LinkCounters before = awaitCarriedOut(link, sent, holding);
        if (before == null) {
            return "the dispatches before the probe were not carried out";
        }
        if (!CounterRules.sendProbe(link, a, b)) {
            return "the dispatched ring refused the probe";
        }
        LinkCounters after = awaitCarriedOut(link, sent + CounterRules.PROBE.length, holding);
        return after == null ? "the probe was not carried out" : CounterRules.grown(before, after);
    }

    /** The counters once the BPF side has carried out {@code sent} dispatches; null if it does not within 10 s. */
    private static LinkCounters awaitCarriedOut(BpfLink link, long sent, long holding) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && !link.exited()) {
            LinkCounters c = link.counters();
            if (CounterRules.carriedOut(c) >= sent) {
                return c;
            }
            link.notifyComplete(holding); // the CPUs' dispatch path drains the ring meanwhile
        }
        return null;
    }

    private static List<Process> startWorkers() throws IOException {
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done").start());
        }
        return workers;
    }

    /** Workers that ended with exit code 0 (waiting a little for the last ones). */
    private static int finished(List<Process> workers) throws InterruptedException {
        int done = 0;
        for (Process w : workers) {
            if (w.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && w.exitValue() == 0) {
                done++;
            }
        }
        return done;
    }

    /**
     * Stops the loads, then schedules on for up to 10 s and returns the lowest count of tasks
     * dispatched and not yet running the BPF side published (0 once nothing waits: a task counted
     * and never taken back would keep it above).
     */
    private long quietCount(BpfLink link, List<Process> loads, QueuedTask incoming, DispatchedTask out)
            throws IOException {
        say("load_progress", stop(loads));
        long lowest = Long.MAX_VALUE;
        long until = System.nanoTime() + 10_000_000_000L;
        while (!link.exited() && System.nanoTime() < until && lowest > 0) {
            while (size < POOL && link.dequeue(incoming)) {
                held[(head + size++) % POOL].copyFrom(incoming);
            }
            long room = link.nrCpus() - link.queuedInKernel();
            while (size > 0 && room-- > 0) {
                out.prepare(held[head]).sliceNs(5_000_000L).vtime(held[head].vtime() + 1).cpu(DispatchedTask.CPU_ANY);
                if (!link.dispatch(out)) {
                    break;
                }
                head = (head + 1) % POOL;
                size--;
            }
            lowest = Math.min(lowest, link.userQueuedInKernel());
            link.notifyComplete(size);
        }
        return lowest;
    }

    /** Two busy loops and one sleeper (python), as separate processes: the host's own threads skip user space. */
    private static List<Process> startLoads(boolean partial) throws IOException {
        List<Process> loads = new ArrayList<>();
        // In partial mode the loads make themselves SCHED_EXT (policy 7); bookworm's chrt has no --ext.
        String ext = partial ? "os.sched_setscheduler(0, 7, os.sched_param(0))\n" : "";
        for (int i = 0; i < 2; i++) {
            loads.add(new ProcessBuilder("python3", "-c",
                    "import os\n" + ext + "os.execvp('sh', ['sh', '-c', 'while :; do :; done'])").start());
        }
        loads.add(new ProcessBuilder("python3", "-c", "import os, time\n" + ext
                + "n = 0\nwhile True:\n time.sleep(0.002)\n n += 1\n if n % 100 == 0: print(n, flush=True)")
                .redirectErrorStream(true).start());
        return loads;
    }

    private static String stop(List<Process> loads) throws IOException {
        Process sleeper = loads.get(loads.size() - 1);
        byte[] printed = sleeper.getInputStream().readNBytes(sleeper.getInputStream().available());
        for (Process p : loads) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = new String(printed).trim();
        int nl = out.lastIndexOf('\n');
        return "sleeper woke " + (out.isEmpty() ? "0" : out.substring(nl + 1)) + " times";
    }

    /** Writes a sysfs file from a helper thread (the write blocks until the hotplug is done, and needs rounds). */
    private static String write(String file, String value) {
        Thread writer = new Thread(() -> {
            try {
                Files.writeString(Path.of(file), value);
            } catch (IOException e) {
                System.out.println("hotplug_error=" + e.getMessage());
            }
        }, "hotplug");
        writer.setDaemon(true);
        writer.start();
        return "requested";
    }

    /**
     * How far a CPU hotplug that never reached the scheduler got: the state it is in and the one
     * it heads for (the numbers of /sys/devices/system/cpu/hotplug/states).
     */
    private static void reportStuckHotplug() {
        say("uptime", read("/proc/uptime"));
        say("cpu1_hotplug_state", read("/sys/devices/system/cpu/cpu1/hotplug/state"));
        say("cpu1_hotplug_target", read("/sys/devices/system/cpu/cpu1/hotplug/target"));
        say("cpu1_online_now", read("/sys/devices/system/cpu/cpu1/online"));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException | RuntimeException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static long pageFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]) + Long.parseLong(f[9]);
    }

    private static String sysfs(String name) {
        try {
            return Files.readString(Path.of("/sys/kernel/sched_ext", name)).trim();
        } catch (IOException e) {
            return "(none)";
        }
    }

    private static String ms(long nanos) {
        return String.format("%.1f", nanos / 1e6);
    }

    private static void say(String key, Object value) {
        System.out.println(key + "=" + value);
    }
}
