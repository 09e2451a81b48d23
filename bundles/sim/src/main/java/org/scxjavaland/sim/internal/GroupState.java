package org.scxjavaland.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.scxjavaland.sim.SimReport;
import org.scxjavaland.sim.machine.Workload;

/**
 * The measurements of one task group. The scheduling thread is the single writer; any thread may
 * read: the counters are published with opaque writes, the latencies through a single-writer
 * recorder whose intervals the reader adds up.
 */
final class GroupState {
    /** Latencies above this are recorded as this (10 s: far past the watchdog). */
    private static final long HIGHEST_LATENCY_NS = 10_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    private static final int CPU_NS = 0;
    private static final int WAKEUPS = 1;
    private static final int PERIODS = 2;
    private static final int MISSED = 3;

    final String name;
    private final String kind;
    private final int tasks;
    private final AtomicLongArray stats = new AtomicLongArray(4);
    private final SingleWriterRecorder latency = new SingleWriterRecorder(HIGHEST_LATENCY_NS, SIGNIFICANT_DIGITS);
    /** Reader side, guarded by this. */
    private final Histogram totalLatency = new Histogram(HIGHEST_LATENCY_NS, SIGNIFICANT_DIGITS);
    private Histogram recycled;

    GroupState(Workload.Group spec, int tasks) {
        this.name = spec.name();
        this.kind = spec.kthread() ? "kthread" : spec.kind().name().toLowerCase(java.util.Locale.ROOT);
        this.tasks = tasks;
    }

    void addCpu(long ns) { add(CPU_NS, ns); }
    void countWakeup() { add(WAKEUPS, 1); }
    void countPeriod(boolean missed) {
        add(PERIODS, 1);
        if (missed) {
            add(MISSED, 1);
        }
    }

    void recordLatency(long ns) {
        latency.recordValue(Math.min(Math.max(ns, 0), HIGHEST_LATENCY_NS));
    }

    private void add(int field, long delta) {
        stats.setOpaque(field, stats.getPlain(field) + delta);
    }

    /** Forgets every figure so far (the writer's thread, while it records nothing). */
    synchronized void reset() {
        latency.reset();
        totalLatency.reset();
        for (int field = 0; field < stats.length(); field++) {
            stats.setOpaque(field, 0);
        }
    }

    /**
     * What the recording measured for a traced group: its tasks' recorded wake-to-run latencies
     * in a histogram of the same range and precision as the simulated ones, so the two compare.
     */
    static SimReport.RecordedGroup recorded(Workload.Group spec) {
        Histogram h = new Histogram(HIGHEST_LATENCY_NS, SIGNIFICANT_DIGITS);
        for (org.scxjavaland.trace.TracedTask t : spec.traced()) {
            for (long ns : t.wakeLatencyNs()) {
                h.recordValue(Math.min(Math.max(ns, 0), HIGHEST_LATENCY_NS));
            }
        }
        long samples = h.getTotalCount();
        return new SimReport.RecordedGroup(spec.name(), samples, samples > 0 ? h.getValueAtPercentile(50) : 0,
                samples > 0 ? h.getValueAtPercentile(99) : 0);
    }

    /** This group's row of a report covering {@code elapsedNs} of virtual time on {@code cpus} CPUs. */
    synchronized SimReport.GroupReport report(long elapsedNs, int cpus) {
        recycled = latency.getIntervalHistogram(recycled);
        totalLatency.add(recycled);
        long cpuNs = stats.getOpaque(CPU_NS);
        double share = elapsedNs > 0 ? 100.0 * cpuNs / ((double) elapsedNs * cpus) : 0;
        double perSecond = elapsedNs > 0 ? (double) cpuNs / elapsedNs : 0;
        long samples = totalLatency.getTotalCount();
        List<SimReport.LatencyPoint> curve = new ArrayList<>();
        if (samples > 0) {
            for (double percentile : SimReport.CURVE_PERCENTILES) {
                curve.add(new SimReport.LatencyPoint(percentile, valueAt(percentile)));
            }
        }
        return new SimReport.GroupReport(name, kind, tasks, stats.getOpaque(WAKEUPS), samples,
                samples > 0 ? totalLatency.getValueAtPercentile(50) : 0,
                samples > 0 ? totalLatency.getValueAtPercentile(99) : 0,
                samples > 0 ? totalLatency.getMaxValue() : 0,
                cpuNs, share, perSecond, stats.getOpaque(PERIODS), stats.getOpaque(MISSED),
                samples > 0 ? totalLatency.getValueAtPercentile(99.9) : 0, curve);
    }

    /** The latency at {@code percentile} (0 is the least, 100 the worst recorded). */
    private long valueAt(double percentile) {
        if (percentile <= 0) {
            return totalLatency.getMinValue();
        }
        return percentile >= 100 ? totalLatency.getMaxValue() : totalLatency.getValueAtPercentile(percentile);
    }
}
