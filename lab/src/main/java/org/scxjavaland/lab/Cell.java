package org.scxjavaland.lab;

import java.nio.file.Path;

/**
 * One run of a comparison: a policy on a workload with a seed.
 *
 * @param policy the policy's name (as the host knows it)
 * @param policyJar the jar that brings it, or null for a policy the installation has
 * @param workload the workload as the command line named it: a built-in workload's name, or a
 *        workload file's path as given. It labels the cell's results (not the {@code name=} inside
 *        a file: a copy of a built-in workload that keeps its name is another workload)
 * @param seed the simulated machine's seed
 */
public record Cell(String policy, Path policyJar, String workload, long seed) {

    /** A name for the cell's folder: letters, digits, dots and dashes. */
    public String folderName() {
        return safe(policy) + "__" + safe(workload) + "__seed" + seed;
    }

    private static String safe(String text) {
        return text.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    @Override
    public String toString() {
        return policy + " on " + workload + ", seed " + seed;
    }
}
