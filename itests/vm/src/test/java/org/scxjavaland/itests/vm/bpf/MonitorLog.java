package org.scxjavaland.itests.vm.bpf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard output of a launcher run with {@code --stats} and gogo's shell on its standard
 * input: the monitor lines (one per interval), cut into phases by the {@code mark=NAME} lines the
 * guest script had gogo echo, and gogo's answers to {@code scx:use}.
 */
final class MonitorLog {

    /** One monitor line: the gauges, and the dispatch counters of its interval. */
    record Interval(long pageFaults, long userDispatches, long kernelDispatches, long held) {
    }

    /** One answer of {@code scx:use}. */
    record Swap(String from, String to, int tasksHandedOver, double micros) {
    }

    // Lines may start with gogo's prompt ("g! "): the patterns look anywhere in a line.
    private static final Pattern MONITOR = Pattern.compile("\\[javaland\\] tasks -> r: *\\d+/\\d+ +w: *\\d+ */(\\d+) *"
            + "\\| pf: *(\\d+) *\\| dispatch -> u: *(\\d+) +k: *(\\d+) ");
    private static final Pattern MARK = Pattern.compile("mark=(\\S+)");
    private static final Pattern SWAP = Pattern.compile(
            "active policy: (\\S+) -> (\\S+), (\\d+) tasks handed over in ([\\d.]+) us");

    private final Map<String, List<Interval>> phases = new LinkedHashMap<>();
    private final List<Swap> swaps = new ArrayList<>();

    MonitorLog(String stdout) {
        String phase = "start";
        for (String line : stdout.split("\n")) {
            Matcher mark = MARK.matcher(line);
            if (mark.find()) {
                phase = mark.group(1);
            }
            Matcher monitor = MONITOR.matcher(line);
            if (monitor.find()) {
                phases.computeIfAbsent(phase, p -> new ArrayList<>()).add(new Interval(Long.parseLong(monitor.group(2)),
                        Long.parseLong(monitor.group(3)), Long.parseLong(monitor.group(4)),
                        Long.parseLong(monitor.group(1))));
            }
            Matcher swap = SWAP.matcher(line);
            if (swap.find()) {
                swaps.add(new Swap(swap.group(1), swap.group(2), Integer.parseInt(swap.group(3)),
                        Double.parseDouble(swap.group(4))));
            }
        }
    }

    /** The monitor lines printed after {@code mark=phase} and before the next mark (empty if none). */
    List<Interval> phase(String phase) {
        return phases.getOrDefault(phase, List.of());
    }

    /** The monitor lines from the start of {@code first} to the end of {@code last}, in order. */
    List<Interval> phases(String first, String last) {
        List<Interval> all = new ArrayList<>();
        boolean in = false;
        for (Map.Entry<String, List<Interval>> e : phases.entrySet()) {
            in |= e.getKey().equals(first);
            if (in) {
                all.addAll(e.getValue());
            }
            if (e.getKey().equals(last)) {
                break;
            }
        }
        return all;
    }

    int intervals() {
        return phases.values().stream().mapToInt(List::size).sum();
    }

    List<Swap> swaps() {
        return swaps;
    }

    static long userDispatches(List<Interval> intervals) {
        return intervals.stream().mapToLong(Interval::userDispatches).sum();
    }

    static long kernelDispatches(List<Interval> intervals) {
        return intervals.stream().mapToLong(Interval::kernelDispatches).sum();
    }

    /** The longest run of consecutive intervals without a user dispatch. */
    static int longestRunWithoutUserDispatch(List<Interval> intervals) {
        int run = 0;
        int longest = 0;
        for (Interval i : intervals) {
            run = i.userDispatches() == 0 ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
