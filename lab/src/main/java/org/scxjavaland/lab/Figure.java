package org.scxjavaland.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of a task group that the lab writes and compares, each with its name in the
 * CSV and JSON files, its unit, and which way is better.
 */
public enum Figure {
    P50_US("p50_us", "us", true, g -> g.p50Ns() / 1e3),
    P99_US("p99_us", "us", true, g -> g.p99Ns() / 1e3),
    P999_US("p99.9_us", "us", true, g -> g.p999Ns() / 1e3),
    MAX_US("max_us", "us", true, g -> g.maxNs() / 1e3),
    CPU_SHARE_PCT("cpu_share_pct", "%", false, GroupResult::cpuSharePct),
    MISSED_PERIODS("missed_periods", "periods", true, GroupResult::missedPeriods),
    HOG_THROUGHPUT("hog_cpu_s_per_s", "cpu-s/s", false, GroupResult::cpuPerSecond);

    private final String key;
    private final String unit;
    private final boolean lowerIsBetter;
    private final ToDoubleFunction<GroupResult> value;

    Figure(String key, String unit, boolean lowerIsBetter, ToDoubleFunction<GroupResult> value) {
        this.key = key;
        this.unit = unit;
        this.lowerIsBetter = lowerIsBetter;
        this.value = value;
    }

    /** The name in results.csv and results.json. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** Whether the group has this figure: latencies need wake-ups that ran, missed periods a periodic group, throughput a hog. */
    public boolean appliesTo(GroupResult g) {
        return switch (this) {
            case P50_US, P99_US, P999_US, MAX_US -> g.hasLatency();
            case MISSED_PERIODS -> g.periodic();
            case HOG_THROUGHPUT -> g.hog();
            case CPU_SHARE_PCT -> true;
        };
    }

    public double value(GroupResult g) {
        return value.applyAsDouble(g);
    }

    /** The figures {@code g} has, in this order. */
    public static List<Figure> applicable(GroupResult g, Figure... among) {
        List<Figure> figures = new ArrayList<>();
        for (Figure f : among.length == 0 ? values() : among) {
            if (f.appliesTo(g)) {
                figures.add(f);
            }
        }
        return figures;
    }

    /** The figure that says most about a group of this kind: missed periods, hog throughput, else the p99 latency. */
    public static Figure headline(GroupResult g) {
        if (g.periodic()) {
            return MISSED_PERIODS;
        }
        if (g.hog()) {
            return HOG_THROUGHPUT;
        }
        return P99_US;
    }

    public static Figure byKey(String key) {
        for (Figure f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no figure " + key);
    }
}
