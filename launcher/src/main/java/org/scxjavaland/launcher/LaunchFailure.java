package org.scxjavaland.launcher;

/**
 * Why the launcher stops: one sentence for the user (what is wrong and what to do) and the exit
 * code. Printed as it is, without a stack trace.
 */
final class LaunchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    LaunchFailure(int exitCode, String sentence) {
        super(sentence, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
