package org.scxjavaland.trace;

/** A trace file that cannot be read or written; the message is one sentence naming the file and the fault. */
public final class TraceException extends Exception {
    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
