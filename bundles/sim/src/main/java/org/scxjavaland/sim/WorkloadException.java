package org.scxjavaland.sim;

/**
 * A workload that cannot be used: an unknown name, an unreadable file, or a file with a bad value,
 * an unknown key or a missing key. The message is one sentence for the user, naming the file (or
 * built-in workload), the key and what is expected.
 */
public final class WorkloadException extends Exception {
    private static final long serialVersionUID = 1L;

    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
