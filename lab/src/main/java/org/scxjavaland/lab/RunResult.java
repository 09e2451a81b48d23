package org.scxjavaland.lab;

import java.util.List;

/**
 * What one simulated run measured: one policy on one workload with one seed, for a virtual
 * duration. The unit the lab stores, compares and plots; a run's {@code --report} folder holds
 * one, a compare report one per cell.
 *
 * @param policy the policy that scheduled the run (the active one at its end)
 * @param workload workload name
 * @param seed the simulated machine's seed
 * @param cpus CPUs of the simulated machine
 * @param virtualNs virtual time the run covered, ns
 * @param exitReason how the run ended (the simulator's sentence), or null
 * @param groups one row per task group, in workload order
 */
public record RunResult(String policy, String workload, long seed, int cpus, long virtualNs, String exitReason,
        List<GroupResult> groups) {

    public RunResult {
        groups = List.copyOf(groups);
    }

    /** The group of that name, or null. */
    public GroupResult group(String name) {
        for (GroupResult g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }
}
