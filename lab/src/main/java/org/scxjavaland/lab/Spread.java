package org.scxjavaland.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One figure across the seeds of a cell (a policy on a workload): its median, least and greatest.
 *
 * @param n how many seeds gave a value
 */
public record Spread(double median, double min, double max, int n) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
    }

    /** The figure {@code f} of group {@code group} in each of {@code runs} that has it. */
    public static Spread of(List<RunResult> runs, String group, Figure f) {
        List<Double> values = new ArrayList<>();
        for (RunResult run : runs) {
            GroupResult g = run.group(group);
            if (g != null && f.appliesTo(g)) {
                values.add(f.value(g));
            }
        }
        return of(values);
    }

    public boolean empty() {
        return n == 0;
    }
}
