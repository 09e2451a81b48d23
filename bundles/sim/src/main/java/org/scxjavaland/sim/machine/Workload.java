package org.scxjavaland.sim.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.trace.Trace;
import org.scxjavaland.trace.TraceException;
import org.scxjavaland.trace.TraceFiles;
import org.scxjavaland.trace.TracedTask;
import org.scxjavaland.sim.Topology;
import org.scxjavaland.sim.WorkloadException;

/**
 * What runs on the simulated machine: a few groups of similar tasks, read from a small
 * {@code .properties} file (format in {@code WORKLOADS.md} of this bundle and in
 * {@link #parse(String, String)}). Immutable.
 *
 * <p>Three workloads are built in: {@code desktop-under-build}, {@code server} and {@code idle}.
 * A recorded trace replays as a workload too ({@code trace:FILE}, {@link #fromTrace}): each
 * recorded task runs its bursts and sleeps in order, its groups named after the tasks' names.
 */
public final class Workload {

    /** Names of the built-in workloads. */
    public static final List<String> BUILT_IN = List.of("desktop-under-build", "server", "idle");

    /** How {@link #load} tells a trace file from a workload file: {@code trace:FILE}. */
    public static final String TRACE_PREFIX = "trace:";

    /** Value of a time or count field that the file leaves unset. */
    public static final long UNSET = -1;

    /** How the tasks of a group behave. */
    public enum Kind {
        /** Never sleeps ({@code run_us=-1}): a compiler, a batch job. */
        HOG,
        /** Runs a burst, sleeps, wakes again ({@code sleep_us}). */
        BURSTY,
        /** Released every {@code period_us}, runs a burst each period (frames, audio buffers). */
        PERIODIC,
        /**
         * Replays a recorded task: wakes when it first woke, runs each recorded burst, sleeps the
         * recorded sleep after it (closed loop: from when the burst ends here), and ends after its
         * last burst.
         */
        TRACED
    }

    /**
     * One group of similar tasks, as the file describes it. Times are in ns; {@link #UNSET} (-1)
     * where the file did not set them.
     *
     * @param name group name (the {@code <g>} of {@code group.<g>.*})
     * @param runNs mean CPU burst per wakeup, or -1 for a CPU hog
     * @param sleepNs mean sleep between bursts (bursty groups), else -1
     * @param periodNs release period (periodic groups), else -1
     * @param count number of tasks, or -1 when {@code countPerCpu} or {@code kthread} decides
     * @param countPerCpu tasks per CPU, or -1
     * @param jitter bursts and sleeps are drawn uniformly in mean·(1 ± jitter)
     * @param exponential bursts and sleeps are drawn from an exponential distribution instead
     * @param weight scheduling weight 1..10000 (100 = nice 0)
     * @param affinity CPUs the tasks may use; empty means every CPU
     * @param kthread one task pinned on each CPU, dispatched by the kernel side itself
     * @param comm command name of the tasks (kthreads get {@code comm/N})
     * @param startNs first wakeup of every task, or -1 for a random point in the first sleep or period
     * @param traced the recorded tasks a {@link Kind#TRACED} group replays, one simulated task each
     *     (their own weight, comm and pinning); empty for the other kinds
     */
    public record Group(String name, long runNs, long sleepNs, long periodNs, int count, int countPerCpu,
            double jitter, boolean exponential, long weight, List<Integer> affinity, boolean kthread,
            String comm, long startNs, List<TracedTask> traced) {

        public Group {
            affinity = List.copyOf(affinity);
            traced = List.copyOf(traced);
        }

        /** A group of a workload file (no recorded tasks). */
        public Group(String name, long runNs, long sleepNs, long periodNs, int count, int countPerCpu,
                double jitter, boolean exponential, long weight, List<Integer> affinity, boolean kthread,
                String comm, long startNs) {
            this(name, runNs, sleepNs, periodNs, count, countPerCpu, jitter, exponential, weight, affinity, kthread,
                    comm, startNs, List.of());
        }

        public Kind kind() {
            if (!traced.isEmpty()) {
                return Kind.TRACED;
            }
            if (runNs < 0) {
                return Kind.HOG;
            }
            return periodNs > 0 ? Kind.PERIODIC : Kind.BURSTY;
        }

        /** Number of tasks of this group on a machine of {@code cpus} CPUs. */
        public int taskCount(int cpus) {
            if (!traced.isEmpty()) {
                return traced.size();
            }
            if (kthread) {
                return cpus;
            }
            if (countPerCpu >= 0) {
                return countPerCpu * cpus;
            }
            return count >= 0 ? count : 1;
        }
    }

    private final String name;
    private final String description;
    private final String source;
    private final int cpus;
    private final List<Group> groups;
    private final long durationNs;
    private final Topology topology;

    Workload(String name, String description, String source, int cpus, List<Group> groups) {
        this(name, description, source, cpus, groups, null, 0);
    }

    Workload(String name, String description, String source, int cpus, List<Group> groups, Topology topology,
            long durationNs) {
        this.name = name;
        this.description = description;
        this.source = source;
        this.cpus = cpus;
        this.groups = List.copyOf(groups);
        this.durationNs = durationNs;
        this.topology = topology;
    }

    /** The workload's name ({@code name=}, else the file name without {@code .properties}). */
    public String name() { return name; }
    /** The file's {@code description}, or an empty string. */
    public String description() { return description; }
    /** Where it came from, as error messages name it ("Built-in workload server", "Workload file /x.properties"). */
    public String source() { return source; }
    /** The file's {@code cpus}, or 0 when it does not say. */
    public int cpus() { return cpus; }
    /** The CPUs a machine running this workload has: {@code cpus} if given (not 0), else the workload's, else {@value SimOptions#DEFAULT_CPUS}. */
    public int machineCpus(int cpus) {
        return cpus > 0 ? cpus : this.cpus > 0 ? this.cpus : SimOptions.DEFAULT_CPUS;
    }
    /** The task groups in file order. */
    public List<Group> groups() { return groups; }
    /** How long the recording lasted (a replayed trace), in ns: how long a run lasts unless told; 0 for the others. */
    public long durationNs() { return durationNs; }
    /** The file's {@code topology} (its CPUs are then {@link #cpus()}), or null when it declares none. */
    public Topology topology() { return topology; }

    /**
     * A built-in workload by name, a workload file by path, or a trace file as {@code trace:FILE}.
     *
     * @throws WorkloadException naming the problem in one sentence
     */
    public static Workload load(String nameOrPath) throws WorkloadException {
        String wanted = nameOrPath == null ? "" : nameOrPath.trim();
        if (wanted.startsWith(TRACE_PREFIX)) {
            return fromTraceFile(wanted.substring(TRACE_PREFIX.length()).trim());
        }
        if (BUILT_IN.contains(wanted)) {
            return builtIn(wanted);
        }
        Path path;
        try {
            path = Path.of(wanted);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (!wanted.isEmpty() && path != null && Files.isRegularFile(path)) {
            return fromFile(path);
        }
        boolean looksLikeName = !wanted.contains("/") && !wanted.contains("\\") && !wanted.endsWith(".properties");
        if (looksLikeName) {
            throw new WorkloadException("There is no built-in workload named '" + wanted + "': use one of "
                    + String.join(", ", BUILT_IN) + ", or the path of a workload file.");
        }
        throw new WorkloadException("The workload file '" + wanted + "' does not exist: give the path of a"
                + " .properties workload file, or one of the built-in names " + String.join(", ", BUILT_IN) + ".");
    }

    /** One of the {@link #BUILT_IN} workloads. */
    public static Workload builtIn(String name) throws WorkloadException {
        if (!BUILT_IN.contains(name)) {
            throw new WorkloadException("There is no built-in workload named '" + name + "': use one of "
                    + String.join(", ", BUILT_IN) + ".");
        }
        try (InputStream in = Workload.class.getResourceAsStream("/workloads/" + name + ".properties")) {
            if (in == null) {
                throw new WorkloadException("The built-in workload " + name + " is missing from the sim bundle: reinstall it.");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return WorkloadParser.parse("Built-in workload " + name, name, text);
        } catch (IOException e) {
            throw new WorkloadException("The built-in workload " + name + " cannot be read (" + e.getMessage()
                    + "): reinstall the sim bundle.", e);
        }
    }

    /** A workload file. */
    public static Workload fromFile(Path file) throws WorkloadException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new WorkloadException("The workload file " + file + " is not text (it holds bytes that are not"
                    + " UTF-8): give a .properties text file as WORKLOADS.md describes, e.g. a copy of a built-in one.", e);
        } catch (IOException e) {
            throw new WorkloadException("The workload file " + file + " cannot be read (" + e.getMessage()
                    + "): check that it exists and is readable.", e);
        }
        String fileName = String.valueOf(file.getFileName());
        String defaultName = fileName.endsWith(".properties")
                ? fileName.substring(0, fileName.length() - ".properties".length()) : fileName;
        return WorkloadParser.parse("Workload file " + file, defaultName, text);
    }

    /**
     * A trace file ({@code trace:FILE}): its tasks replayed, named {@code trace:FILE}.
     *
     * @throws WorkloadException when the file cannot be read or holds no task that ran
     */
    private static Workload fromTraceFile(String file) throws WorkloadException {
        if (file.isEmpty()) {
            throw new WorkloadException("The workload trace: names no file: give trace:FILE with the path of a trace"
                    + " file that scx_javaland --record wrote.");
        }
        Trace trace;
        try {
            trace = TraceFiles.read(Path.of(file));
        } catch (InvalidPathException e) {
            throw new WorkloadException("The trace file name '" + file + "' is not a valid path: give trace:FILE with"
                    + " the path of a trace file.", e);
        } catch (TraceException e) {
            throw new WorkloadException(e.getMessage(), e);
        }
        return fromTrace(trace, TRACE_PREFIX + file);
    }

    /**
     * A recorded trace as a workload: every task that ran at least once becomes one task of a
     * {@link Kind#TRACED} group, the groups made of tasks whose names differ only in trailing
     * numbers ({@code kworker/1:2} and {@code kworker/0:1} are {@code kworker}, see
     * {@link TraceGroups#groupName}), in the order the groups first appear. The machine has the
     * trace's CPUs unless told otherwise, and runs for its duration unless told otherwise.
     *
     * @param name the workload's name (and its source as errors name it)
     * @throws WorkloadException when no task of the trace ever ran
     */
    public static Workload fromTrace(Trace trace, String name) throws WorkloadException {
        return TraceGroups.workload(trace, name);
    }

    /**
     * Parses workload text. The format is a subset of {@code .properties}: one {@code key=value}
     * (or {@code key: value}) per line, {@code #} or {@code !} comment lines, and a {@code #}
     * after a value (preceded by a space) starts a comment. Keys:
     *
     * <pre>
     * name=server                      optional; default: the file name
     * description=...                  optional
     * cpus=4                           optional; CPUs of the machine unless the options say otherwise
     * topology=nodes=1,cores-per-llc=2,threads-per-core=2   optional; see {@link Topology}
     * group.G.run_us=300               required: mean CPU burst per wakeup, -1 for a CPU hog
     * group.G.sleep_us=6000            bursty: mean sleep after each burst
     * group.G.period_us=16667          periodic: released every period (not with sleep_us)
     * group.G.count=4                  tasks (default 1), or
     * group.G.count_per_cpu=2          tasks per CPU
     * group.G.jitter=0.2               bursts/sleeps uniform in mean*(1 +- jitter) (default 0.1)
     * group.G.distribution=exponential uniform (default) or exponential
     * group.G.nice=-5                  -20..19, or group.G.weight=1..10000 (default nice 0 = weight 100)
     * group.G.affinity=0-1,3           CPUs the tasks may use (default all)
     * group.G.kthread=true             one pinned task per CPU, dispatched by the kernel side
     * group.G.comm=cc1                 command name (default the group name)
     * group.G.start_us=0               first wakeup (default random within the first sleep/period)
     * </pre>
     *
     * @param sourceName how error messages name the text, e.g. "Workload file /tmp/w.properties"
     * @param defaultName name when the text has no {@code name=}
     */
    public static Workload parse(String sourceName, String defaultName, String text) throws WorkloadException {
        return WorkloadParser.parse(sourceName, defaultName, text);
    }

    @Override
    public String toString() {
        return name + " (" + source + ", " + groups.size() + " groups)";
    }
}
