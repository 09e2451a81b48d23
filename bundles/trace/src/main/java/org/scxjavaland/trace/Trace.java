package org.scxjavaland.trace;

import java.util.List;

/**
 * A recording read back: the machine it was made on and every task seen, each as the sequence of
 * its CPU bursts and sleeps.
 *
 * @param formatVersion the file's format version
 * @param cpus how many CPUs the recorded machine had
 * @param source one line saying where and how it was recorded (kernel, link, policy)
 * @param durationNs from the first event to the end of the recording
 * @param tasks every task that ran or woke during the recording, in the order they first appeared
 */
public record Trace(int formatVersion, int cpus, String source, long durationNs, List<TracedTask> tasks) {
    public Trace {
        tasks = List.copyOf(tasks);
    }
}
