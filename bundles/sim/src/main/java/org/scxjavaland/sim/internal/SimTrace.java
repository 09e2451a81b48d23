package org.scxjavaland.sim.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine's timeline, in the Trace Event Format that Perfetto's UI and chrome://tracing open:
 * one track per CPU with the task running on it (complete events, which never overlap on a CPU),
 * one track per task group with each wake-up's wait for a CPU (async begin/end pairs, one id each:
 * a group's waits overlap, and only async events may), and the policy activations as global marks.
 * Bounded: the first {@code capacity} events are kept in preallocated arrays (the scheduling path
 * records without allocating); later ones are counted as dropped, and the file says so.
 */
public final class SimTrace {
    private static final byte RUN = 0;
    private static final byte WAIT = 1;
    /** The trace's processes: the CPUs (a track each), and the waits (a track per task group). */
    private static final int CPUS = 1;
    private static final int WAITS = 2;

    private final int capacity;
    private final byte[] kind;
    private final int[] cpu;
    private final int[] pid;
    private final long[] startNs;
    private final long[] endNs;
    private int count;
    private long dropped;

    private final List<Long> markNs = new ArrayList<>();
    private final List<String> markNames = new ArrayList<>();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<Integer, String> groups = new HashMap<>();

    public SimTrace(int capacity) {
        this.capacity = capacity;
        kind = new byte[capacity];
        cpu = new int[capacity];
        pid = new int[capacity];
        startNs = new long[capacity];
        endNs = new long[capacity];
    }

    /** Learns the names of a workload's tasks (at install, not on the scheduling path). */
    synchronized void learn(SimTask[] tasks) {
        for (SimTask t : tasks) {
            int len = 0;
            while (len < t.comm.length && t.comm[len] != 0) {
                len++;
            }
            names.put(t.pid, new String(t.comm, 0, len, StandardCharsets.US_ASCII) + " (" + t.pid + ")");
            groups.put(t.pid, t.group.name);
        }
    }

    /** Task {@code taskPid} ran on {@code onCpu} from {@code from} to {@code to}. */
    void run(int onCpu, int taskPid, long from, long to) {
        add(RUN, onCpu, taskPid, from, to);
    }

    /** Task {@code taskPid} woke at {@code from} and started to run at {@code to}. */
    void wait(int taskPid, long from, long to) {
        add(WAIT, -1, taskPid, from, to);
    }

    /** A policy became active at {@code at} (a swap: rare, may allocate). */
    synchronized void mark(long at, String policy) {
        markNs.add(at);
        markNames.add(policy);
    }

    private void add(byte k, int c, int p, long from, long to) {
        if (count == capacity) {
            dropped++;
            return;
        }
        kind[count] = k;
        cpu[count] = c;
        pid[count] = p;
        startNs[count] = from;
        endNs[count] = to;
        count++;
    }

    public int recorded() {
        return count;
    }

    public long dropped() {
        return dropped;
    }

    /**
     * Writes the timeline as JSON: {@code traceEvents} and, in {@code otherData}, the cap, how many
     * events were recorded and dropped, and the window they cover.
     */
    public synchronized void write(Path file, int nrCpus, String title) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        int n = count; // what was recorded when the machine stopped
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            long windowEnd = 0;
            for (int i = 0; i < n; i++) {
                windowEnd = Math.max(windowEnd, endNs[i]);
            }
            out.write("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"title\":" + str(title)
                    + ",\"clock\":\"the simulated machine's virtual time\",\"cap_events\":" + capacity
                    + ",\"recorded_events\":" + n + ",\"dropped_events\":" + dropped
                    + ",\"window\":" + str(dropped == 0 ? "the whole run"
                            : "the first " + capacity + " events, up to " + us(windowEnd) + " us of virtual time")
                    + "},\n\"traceEvents\":[\n");
            Events events = new Events(out);
            events.add(meta("process_name", CPUS, 0, "CPUs"));
            events.add(meta("process_name", WAITS, 0, "wake-to-run waits"));
            for (int c = 0; c < nrCpus; c++) {
                events.add(meta("thread_name", CPUS, c, "CPU " + c));
                events.add("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":" + CPUS + ",\"tid\":" + c
                        + ",\"args\":{\"sort_index\":" + c + "}}");
            }
            for (int i = 0; i < n; i++) {
                String task = names.getOrDefault(pid[i], "pid " + pid[i]);
                String group = groups.getOrDefault(pid[i], "?");
                if (kind[i] == RUN) {
                    // A CPU runs one task at a time: its complete events never overlap.
                    events.add("{\"name\":" + str(task) + ",\"cat\":\"run\",\"ph\":\"X\",\"pid\":" + CPUS
                            + ",\"tid\":" + cpu[i] + ",\"ts\":" + us(startNs[i]) + ",\"dur\":"
                            + us(endNs[i] - startNs[i]) + ",\"args\":{\"group\":" + str(group) + "}}");
                } else {
                    // The waits of a group overlap (several of its tasks wait at once), which complete
                    // events on one track may not: each wait is an async pair of its own (id), and the
                    // viewers stack a group's pairs (same name) on rows of one track.
                    String common = "\"name\":" + str(group) + ",\"cat\":\"wake-to-run\",\"id\":" + i
                            + ",\"pid\":" + WAITS + ",\"tid\":0";
                    events.add("{" + common + ",\"ph\":\"b\",\"ts\":" + us(startNs[i]) + ",\"args\":{\"task\":"
                            + str(task) + ",\"latency_us\":" + us(endNs[i] - startNs[i]) + "}}");
                    events.add("{" + common + ",\"ph\":\"e\",\"ts\":" + us(endNs[i]) + "}");
                }
            }
            for (int m = 0; m < markNs.size(); m++) {
                events.add("{\"name\":" + str("policy " + markNames.get(m)) + ",\"cat\":\"policy\",\"ph\":\"i\","
                        + "\"s\":\"g\",\"pid\":" + CPUS + ",\"tid\":0,\"ts\":" + us(markNs.get(m)) + "}");
            }
            out.write("\n]}\n");
        }
    }

    /** Writes the events of the array, a comma between two. */
    private static final class Events {
        private final BufferedWriter out;
        private boolean first = true;

        Events(BufferedWriter out) {
            this.out = out;
        }

        void add(String event) throws IOException {
            if (!first) {
                out.write(",\n");
            }
            first = false;
            out.write(event);
        }
    }

    private static String meta(String what, int process, int thread, String name) {
        return "{\"name\":\"" + what + "\",\"ph\":\"M\",\"pid\":" + process + ",\"tid\":" + thread
                + ",\"args\":{\"name\":" + str(name) + "}}";
    }

    /** ns as the format's microseconds, to the ns. */
    private static String us(long ns) {
        return String.format(Locale.ROOT, "%d.%03d", ns / 1000, Math.abs(ns % 1000));
    }

    private static String str(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
