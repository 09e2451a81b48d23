package org.scxjavaland.trace;

import java.time.Instant;

/**
 * What a trace file says of the recording before its events: the machine and how it was made.
 *
 * @param cpus how many CPUs the recorded machine had
 * @param kernel the recorded kernel's release (or {@code simulated})
 * @param link the kernel side that reported the events ({@code bpf} or {@code sim})
 * @param policy the policy active when the recording began
 * @param started when the recording began (wall clock)
 */
public record TraceHeader(int cpus, String kernel, String link, String policy, Instant started) {
    public TraceHeader {
        if (cpus < 1) {
            throw new IllegalArgumentException("A recorded machine has at least 1 CPU, not " + cpus + ".");
        }
        kernel = headerValue(kernel);
        link = headerValue(link);
        policy = headerValue(policy);
    }

    /** The line {@link Trace#source()} gives. */
    public String source() {
        return "kernel " + kernel + ", link " + link + ", policy " + policy + ", started " + started;
    }

    /** A value as the header holds it: on its own line of the file, so with no line break in it. */
    private static String headerValue(String value) {
        return value == null || value.isBlank() ? "unknown" : value.replaceAll("[\\r\\n]+", " ").strip();
    }
}
