package org.scxjavaland.lab;

import java.nio.file.Path;

/**
 * One run of a comparison: a policy on a workload with a seed.
 *
 * @param policy the policy's name (as the host knows it)
 * @param policyJar the jar that brings it, or null for a policy the installation has
 * @param workload a built-in workload's name or a workload file
 * @param seed the simulated machine's seed
 */
public record Cell(String policy, Path policyJar, String workload, long seed) {

    /** A name for the cell's folder: letters, digits, dots and dashes. */
    public String folderName() {
        return safe(policy) + "__" + safe(workloadName()) + "__seed" + seed;
    }

    /** The workload's name: a file's name without its extension. */
    public String workloadName() {
        String name = Path.of(workload).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return workload.contains("/") && dot > 0 ? name.substring(0, dot) : workload;
    }

    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    @Override
    public String toString() {
        return policy + " on " + workloadName() + ", seed " + seed;
    }
}
