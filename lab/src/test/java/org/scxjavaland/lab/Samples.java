package org.scxjavaland.lab;

import java.util.ArrayList;
import java.util.List;

/** Small results whose every figure is known, for the lab's tests. */
final class Samples {

    private Samples() {
    }

    /**
     * A run of a desktop with three groups: "interactive" (bursty, latency {@code p99Us} at p99 and
     * ten times less at p50), "frame" (periodic, {@code missed} periods missed of 600) and "build"
     * (hog, {@code hogCpuPerSecond}).
     */
    static RunResult desktop(String policy, long seed, double p99Us, long missed, double hogCpuPerSecond) {
        long p99 = Math.round(p99Us * 1000);
        return new RunResult(policy, "desktop", seed, 4, 10_000_000_000L, "done", List.of(
                new GroupResult("interactive", "bursty", 4, 1000, 1000, p99 / 10, p99, p99 * 2, p99 * 3, 5.0, 0.2,
                        0, 0, curve(p99)),
                new GroupResult("frame", "periodic", 1, 600, 600, 2000, 4000, 5000, 6000, 10.0, 0.4, 600, missed,
                        curve(4000)),
                new GroupResult("build", "hog", 8, 8, 8, 2000, 2000, 2000, 2000, 80.0, hogCpuPerSecond, 0, 0,
                        curve(2000))));
    }

    /** A curve through p50 = p99/10, p99 and max = 3 x p99. */
    static List<GroupResult.LatencyPoint> curve(long p99) {
        List<GroupResult.LatencyPoint> points = new ArrayList<>();
        double[] percentiles = {0, 50, 90, 99, 99.9, 100};
        long[] values = {p99 / 20, p99 / 10, p99 / 2, p99, p99 * 2, p99 * 3};
        for (int i = 0; i < percentiles.length; i++) {
            points.add(new GroupResult.LatencyPoint(percentiles[i], values[i]));
        }
        return points;
    }

    static Provenance provenance(List<String> policies, List<Long> seeds) {
        return new Provenance("scx_javaland-compare --policies " + String.join(",", policies), "/home/someone",
                "test", "java", "os", 2, 2, policies,
                List.of(new Provenance.PolicyJar(policies.get(0), "/opt/scx_javaland/bundles/" + policies.get(0) + ".jar",
                        "org.example." + policies.get(0), "1.0.0", "ab".repeat(32))),
                List.of("desktop"), seeds, 10_000, "2025-01-01T00:00:00Z", 1234);
    }
}
