package org.scxjavaland.lab;

import java.util.List;

/**
 * What produced a set of results, so that it can be repeated: the exact command, the versions,
 * the seeds, and where and when it ran.
 *
 * @param command the command line, as it can be typed again
 * @param version scx_javaland's version
 * @param java the Java runtime (vendor and version)
 * @param os the operating system and architecture
 * @param hostCores cores of the machine that ran it
 * @param jobs runs made at the same time
 * @param policies the policies compared, as named on the command line
 * @param workloads the workloads
 * @param seeds the seeds every policy and workload ran with
 * @param durationMs virtual milliseconds of every run
 * @param startedAt when it started (ISO-8601, UTC)
 * @param wallMs wall-clock milliseconds it took
 */
public record Provenance(String command, String version, String java, String os, int hostCores, int jobs,
        List<String> policies, List<String> workloads, List<Long> seeds, long durationMs, String startedAt,
        long wallMs) {

    public Provenance {
        policies = List.copyOf(policies);
        workloads = List.copyOf(workloads);
        seeds = List.copyOf(seeds);
    }

    /** The Java runtime running this. */
    public static String thisJava() {
        return System.getProperty("java.vm.name", "java") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version", "?"));
    }

    /** The operating system running this. */
    public static String thisOs() {
        return System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "") + " "
                + System.getProperty("os.arch", "");
    }
}
