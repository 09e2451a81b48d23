package org.scxjavaland.trace;

/**
 * One recorded task as a replay plays it: it first wakes at {@code firstWakeNs}, then runs
 * {@code runNs[0]} of CPU time, sleeps {@code sleepNs[0]}, runs {@code runNs[1]}, and so on. A
 * burst is the CPU time between two sleeps, however many times it was preempted; a replay is
 * closed-loop (a sleep starts when the burst ends in the replay, not at the recorded time).
 *
 * @param pid the task's id (thread id) on the recorded machine
 * @param tgid its process (thread group) id
 * @param comm its name, at most 15 bytes
 * @param weight its weight, 1..10000 (100 for nice 0), as last seen
 * @param nrCpusAllowed how many CPUs it may run on, as last seen
 * @param onlyCpu the only CPU a pinned task ran on ({@code nrCpusAllowed == 1}), else -1
 * @param firstWakeNs when it first became runnable, ns after the start of the recording
 * @param runNs the CPU time of each burst, ns
 * @param sleepNs the sleep after each burst, ns; the same length as {@code runNs}; -1 after the
 *     last burst (the task exited, or the recording ended)
 * @param wakeLatencyNs what the recorded machine measured: for each wake-up, ns from becoming
 *     runnable to running (in order; may be shorter than the bursts when the recording began
 *     mid-run)
 */
public record TracedTask(int pid, int tgid, String comm, long weight, int nrCpusAllowed, int onlyCpu,
        long firstWakeNs, long[] runNs, long[] sleepNs, long[] wakeLatencyNs) {
    public TracedTask {
        if (runNs.length != sleepNs.length) {
            throw new IllegalArgumentException("runNs and sleepNs differ in length: " + runNs.length + " and "
                    + sleepNs.length + ".");
        }
    }

    /** Its total CPU time in the recording, ns. */
    public long cpuNs() {
        long sum = 0;
        for (long run : runNs) {
            sum += run;
        }
        return sum;
    }
}
