package org.scxjavaland.sim.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.scxjavaland.sim.SimOptions;
import org.scxjavaland.sim.Topology;
import org.scxjavaland.sim.WorkloadException;

/**
 * Reads the workload format described on {@link Workload#parse}. Every problem becomes one
 * {@link WorkloadException} sentence naming the source, the line, the key and what is expected.
 */
final class WorkloadParser {

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern INLINE_COMMENT = Pattern.compile("\\s+#.*$");
    private static final List<String> TOP_KEYS = List.of("name", "description", "cpus", "topology");
    private static final List<String> GROUP_FIELDS = List.of("count", "count_per_cpu", "run_us", "sleep_us",
            "period_us", "jitter", "distribution", "nice", "weight", "affinity", "kthread", "comm", "start_us");
    private static final double DEFAULT_JITTER = 0.1;

    /** A value of the file and the line it came from. */
    private record Entry(String key, String value, int line) {
    }

    private final String source;
    private final Map<String, Entry> top = new LinkedHashMap<>();
    /** Group name -> field -> entry, in order of first appearance. */
    private final Map<String, Map<String, Entry>> groups = new LinkedHashMap<>();

    private WorkloadParser(String source) {
        this.source = source;
    }

    static Workload parse(String source, String defaultName, String text) throws WorkloadException {
        WorkloadParser parser = new WorkloadParser(source);
        parser.readLines(text);
        return parser.build(defaultName);
    }

    private void readLines(String text) throws WorkloadException {
        Map<String, Integer> seen = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            int sep = separatorIndex(line);
            if (sep < 0) {
                throw fail(lineNo, "'" + line + "' is not a setting; expected key=value");
            }
            String key = line.substring(0, sep).strip();
            String value = INLINE_COMMENT.matcher(line.substring(sep + 1).strip()).replaceFirst("").strip();
            if (value.startsWith("#")) {
                value = "";
            }
            Integer first = seen.putIfAbsent(key, lineNo);
            if (first != null) {
                throw fail(lineNo, key + " is set a second time (first on line " + first + "); expected each key once");
            }
            classify(new Entry(key, value, lineNo));
        }
    }

    private static int separatorIndex(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private void classify(Entry e) throws WorkloadException {
        if (TOP_KEYS.contains(e.key)) {
            top.put(e.key, e);
            return;
        }
        String[] parts = e.key.split("\\.", -1);
        if (parts.length == 3 && parts[0].equals("group") && GROUP_NAME.matcher(parts[1]).matches()
                && GROUP_FIELDS.contains(parts[2])) {
            groups.computeIfAbsent(parts[1], g -> new LinkedHashMap<>()).put(parts[2], e);
            return;
        }
        throw fail(e.line, "the key " + e.key + " is unknown; expected name, description, cpus, topology, or group.<name>.<field>"
                + " with a field among " + String.join(", ", GROUP_FIELDS));
    }

    private Workload build(String defaultName) throws WorkloadException {
        String name = top.containsKey("name") ? nonEmpty(top.get("name"), "a workload name") : defaultName;
        String description = top.containsKey("description") ? top.get("description").value : "";
        int cpus = top.containsKey("cpus") ? (int) longIn(top.get("cpus"), 1, SimOptions.MAX_CPUS, "a number of CPUs") : 0;
        Topology topology = top.containsKey("topology") ? topology(top.get("topology"), cpus) : null;
        if (topology != null) {
            cpus = topology.cpus();
        }
        if (groups.isEmpty()) {
            throw new WorkloadException(source + " defines no task group; expected at least one group.<name>.run_us line.");
        }
        List<Workload.Group> result = new ArrayList<>();
        for (Map.Entry<String, Map<String, Entry>> g : groups.entrySet()) {
            result.add(group(g.getKey(), g.getValue()));
        }
        return new Workload(name, description, source, cpus, result, topology, 0);
    }

    /** The machine's shape; its CPUs must be the file's {@code cpus} when both are given. */
    private Topology topology(Entry e, int cpus) throws WorkloadException {
        Topology t;
        try {
            t = Topology.parse(e.value);
        } catch (IllegalArgumentException ex) {
            String sentence = ex.getMessage();
            throw fail(e.line, Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1, sentence.length() - 1));
        }
        if (cpus != 0 && cpus != t.cpus()) {
            throw fail(e.line, "the topology has " + t.cpus() + " CPUs but cpus is " + cpus
                    + "; expected the same count, or no cpus line");
        }
        return t;
    }

    private Workload.Group group(String name, Map<String, Entry> f) throws WorkloadException {
        String prefix = "group." + name + ".";
        Entry run = f.get("run_us");
        if (run == null) {
            throw new WorkloadException(source + ": group " + name + " has no " + prefix + "run_us; every group needs"
                    + " its CPU burst in microseconds (-1 for a CPU hog).");
        }
        long runUs = longValue(run, "a whole number of microseconds (-1 for a CPU hog)");
        if (runUs < 1 && runUs != -1) {
            throw fail(run.line, run.key + " is " + runUs + ", expected a burst of at least 1 microsecond, or -1 for a CPU hog");
        }
        boolean hog = runUs == -1;
        long sleepUs = f.containsKey("sleep_us") ? longIn(f.get("sleep_us"), 0, Long.MAX_VALUE / 1000, "microseconds of sleep") : -1;
        long periodUs = f.containsKey("period_us") ? longIn(f.get("period_us"), 1, Long.MAX_VALUE / 1000, "a period in microseconds") : -1;
        if (hog && (sleepUs >= 0 || periodUs >= 0)) {
            Entry bad = sleepUs >= 0 ? f.get("sleep_us") : f.get("period_us");
            throw fail(bad.line, bad.key + " cannot be used with " + prefix + "run_us=-1; a CPU hog never sleeps");
        }
        if (sleepUs >= 0 && periodUs >= 0) {
            throw fail(f.get("period_us").line, prefix + "period_us and " + prefix + "sleep_us are both set; expected one of them");
        }
        if (!hog && sleepUs < 0 && periodUs < 0) {
            throw new WorkloadException(source + ": group " + name + " has neither " + prefix + "sleep_us nor " + prefix
                    + "period_us; a task that is not a CPU hog (run_us=-1) needs one of them.");
        }

        boolean kthread = f.containsKey("kthread") && bool(f.get("kthread"));
        int count = f.containsKey("count") ? (int) longIn(f.get("count"), 0, 100_000, "a number of tasks") : -1;
        int perCpu = f.containsKey("count_per_cpu") ? (int) longIn(f.get("count_per_cpu"), 0, 1000, "a number of tasks per CPU") : -1;
        if (count >= 0 && perCpu >= 0) {
            throw fail(f.get("count_per_cpu").line, prefix + "count and " + prefix + "count_per_cpu are both set; expected one of them");
        }
        if (kthread) {
            for (String notWithKthread : List.of("count", "count_per_cpu", "affinity")) {
                if (f.containsKey(notWithKthread)) {
                    Entry bad = f.get(notWithKthread);
                    throw fail(bad.line, bad.key + " cannot be used with " + prefix + "kthread=true; a kthread group has one"
                            + " task pinned on each CPU");
                }
            }
        }

        double jitter = f.containsKey("jitter") ? jitter(f.get("jitter")) : DEFAULT_JITTER;
        boolean exponential = f.containsKey("distribution") && distribution(f.get("distribution"));
        if (f.containsKey("nice") && f.containsKey("weight")) {
            throw fail(f.get("weight").line, prefix + "nice and " + prefix + "weight are both set; expected one of them");
        }
        long weight = 100;
        if (f.containsKey("nice")) {
            weight = NiceWeights.weightOf((int) longIn(f.get("nice"), -20, 19, "a nice value from -20 to 19"));
        } else if (f.containsKey("weight")) {
            weight = longIn(f.get("weight"), 1, 10_000, "a weight from 1 to 10000 (100 is nice 0)");
        }
        List<Integer> affinity = f.containsKey("affinity") ? cpuList(f.get("affinity")) : List.of();
        String comm = f.containsKey("comm") ? nonEmpty(f.get("comm"), "a command name") : name;
        long startUs = f.containsKey("start_us") ? longIn(f.get("start_us"), 0, Long.MAX_VALUE / 1000, "microseconds from the start") : -1;

        return new Workload.Group(name, hog ? -1 : runUs * 1000, sleepUs < 0 ? -1 : sleepUs * 1000,
                periodUs < 0 ? -1 : periodUs * 1000, count, perCpu, jitter, exponential, weight, affinity, kthread,
                comm, startUs < 0 ? -1 : startUs * 1000);
    }

    private long longValue(Entry e, String expected) throws WorkloadException {
        try {
            return Long.parseLong(e.value);
        } catch (NumberFormatException ex) {
            throw fail(e.line, e.key + " is '" + e.value + "', expected " + expected);
        }
    }

    private long longIn(Entry e, long min, long max, String expected) throws WorkloadException {
        long v = longValue(e, expected);
        if (v < min || v > max) {
            String range = max >= Long.MAX_VALUE / 1000 ? "at least " + min : min + " to " + max;
            throw fail(e.line, e.key + " is " + v + ", expected " + expected + " (" + range + ")");
        }
        return v;
    }

    private double jitter(Entry e) throws WorkloadException {
        try {
            double v = Double.parseDouble(e.value);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw fail(e.line, e.key + " is '" + e.value + "', expected a fraction from 0 to 1 (0.1 means +-10%)");
    }

    private boolean bool(Entry e) throws WorkloadException {
        switch (e.value.toLowerCase(Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw fail(e.line, e.key + " is '" + e.value + "', expected true or false");
        }
    }

    private boolean distribution(Entry e) throws WorkloadException {
        switch (e.value.toLowerCase(Locale.ROOT)) {
            case "exponential": return true;
            case "uniform": return false;
            default: throw fail(e.line, e.key + " is '" + e.value + "', expected uniform or exponential");
        }
    }

    private String nonEmpty(Entry e, String expected) throws WorkloadException {
        if (e.value.isEmpty()) {
            throw fail(e.line, e.key + " is empty, expected " + expected);
        }
        return e.value;
    }

    /** "0-3,6" -> [0, 1, 2, 3, 6]. */
    private List<Integer> cpuList(Entry e) throws WorkloadException {
        TreeSet<Integer> cpus = new TreeSet<>();
        try {
            for (String part : e.value.split(",", -1)) {
                String p = part.strip();
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
                if (from < 0 || to < from || to >= SimOptions.MAX_CPUS) {
                    throw new NumberFormatException();
                }
                for (int c = from; c <= to; c++) {
                    cpus.add(c);
                }
            }
        } catch (NumberFormatException ex) {
            throw fail(e.line, e.key + " is '" + e.value + "', expected a CPU list such as 0-1,3");
        }
        return new ArrayList<>(cpus);
    }

    private WorkloadException fail(int line, String problem) {
        return new WorkloadException(source + ", line " + line + ": " + problem + ".");
    }
}
