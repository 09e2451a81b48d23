package org.scxjavaland.lab;

import java.util.List;

/**
 * One task group of a run: what its tasks felt.
 *
 * @param name group name
 * @param kind hog, bursty, periodic or kthread
 * @param tasks number of tasks
 * @param wakeups times a task of the group woke up
 * @param latencySamples wake-ups that have run (each gives one wake-to-run latency)
 * @param p50Ns median wake-to-run latency, ns
 * @param p99Ns 99th percentile, ns
 * @param p999Ns 99.9th percentile, ns
 * @param maxNs worst wake-to-run latency, ns
 * @param cpuSharePct the group's CPU time as a percentage of the machine's capacity
 * @param cpuPerSecond CPU-seconds per virtual second: the throughput of a hog group
 * @param periods period boundaries passed (periodic groups)
 * @param missedPeriods boundaries at which the previous period's work was not done
 * @param latencyCurve wake-to-run latency by percentile, from the least to the worst wake-up
 */
public record GroupResult(String name, String kind, int tasks, long wakeups, long latencySamples, long p50Ns,
        long p99Ns, long p999Ns, long maxNs, double cpuSharePct, double cpuPerSecond, long periods,
        long missedPeriods, List<LatencyPoint> latencyCurve) {

    public GroupResult {
        latencyCurve = List.copyOf(latencyCurve);
    }

    public boolean periodic() {
        return "periodic".equals(kind);
    }

    public boolean hog() {
        return "hog".equals(kind);
    }

    public boolean hasLatency() {
        return latencySamples > 0;
    }

    /**
     * One point of a latency distribution.
     *
     * @param percentile 0..100
     * @param ns latency at that percentile, ns
     */
    public record LatencyPoint(double percentile, long ns) {
    }
}
