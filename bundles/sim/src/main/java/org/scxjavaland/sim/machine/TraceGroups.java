package org.scxjavaland.sim.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TracedTask;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.WorkloadException;

/**
 * Puts the tasks of a trace into the groups a report shows: the threads of one program, or the
 * per-CPU instances of one kernel thread, differ only in trailing numbers, and their latencies
 * are read together.
 */
final class TraceGroups {

    /** Trailing numbers and the separators before them: "-12", ":2", "3". */
    private static final Pattern TRAILING_ID = Pattern.compile("[-_:.#0-9]+$");
    /** What a group name may hold (it becomes a CSV field and a folder-safe label). */
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.+-]");

    private TraceGroups() {
    }

    /**
     * The group of a task named {@code comm}: what comes before a {@code /} (kernel threads name
     * their CPU or queue after it), without trailing numbers and separators, other characters than
     * letters, digits and {@code _.+-} made {@code _}. {@code kworker/1:2} and {@code kworker/u8:0}
     * are {@code kworker}, {@code pool-1-thread-3} is {@code pool-1-thread}, {@code stress-ng-cpu}
     * and {@code cyclictest} stay as they are; a name of numbers only stays whole.
     */
    static String groupName(String comm) {
        String name = comm == null ? "" : comm.strip();
        int slash = name.indexOf('/');
        if (slash > 0) {
            name = name.substring(0, slash);
        }
        String stripped = TRAILING_ID.matcher(name).replaceFirst("");
        if (!stripped.isEmpty()) {
            name = stripped;
        }
        name = UNSAFE.matcher(name).replaceAll("_");
        return name.isEmpty() ? "task" : name;
    }

    /**
     * The name of scx_javaland's scheduling thread (the connector's): a recording on scx_javaland holds
     * it, and a replay leaves it out, since the simulated machine has a scheduling thread of its own.
     */
    static final String RECORDED_SCHEDULER = "scx-scheduler";

    /** See {@link Workload#fromTrace}. */
    static Workload workload(Trace trace, String name) throws WorkloadException {
        Map<String, List<TracedTask>> byGroup = new LinkedHashMap<>();
        int neverRan = 0;
        int schedulers = 0;
        for (TracedTask t : trace.tasks()) {
            if (t.runNs().length == 0) {
                neverRan++; // it woke but the recording ended before it ran: nothing to replay
                continue;
            }
            if (RECORDED_SCHEDULER.equals(t.comm())) {
                schedulers++; // the simulated machine runs its own scheduling thread (and costs it)
                continue;
            }
            byGroup.computeIfAbsent(groupName(t.comm()), g -> new ArrayList<>()).add(t);
        }
        if (byGroup.isEmpty()) {
            throw new WorkloadException(name + " holds no task that ran: record for longer, or while the"
                    + " machine does something.");
        }
        List<Workload.Group> groups = new ArrayList<>();
        for (Map.Entry<String, List<TracedTask>> g : byGroup.entrySet()) {
            groups.add(group(g.getKey(), g.getValue()));
        }
        int cpus = Math.min(Math.max(trace.cpus(), 0), SimOptions.MAX_CPUS);
        String description = trace.tasks().size() + " recorded tasks (" + neverRan + " never ran, " + schedulers
                + " scheduling thread left out) on " + trace.cpus()
                + " CPUs, " + trace.durationNs() / 1_000_000 + " ms: " + trace.source();
        return new Workload(name, description, "Trace " + name, cpus, groups, null, Math.max(0, trace.durationNs()));
    }

    /** A traced group: its mean burst and sleep say what it is like; each task replays its own. */
    private static Workload.Group group(String name, List<TracedTask> tasks) {
        long runs = 0;
        long cpuNs = 0;
        long sleeps = 0;
        long sleptNs = 0;
        for (TracedTask t : tasks) {
            runs += t.runNs().length;
            cpuNs += t.cpuNs();
            for (long s : t.sleepNs()) {
                if (s >= 0) {
                    sleeps++;
                    sleptNs += s;
                }
            }
        }
        return new Workload.Group(name, Math.max(1, cpuNs / runs), sleeps > 0 ? sleptNs / sleeps : Workload.UNSET,
                Workload.UNSET, tasks.size(), -1, 0, false, 100, List.of(), false, name, 0, tasks);
    }
}
