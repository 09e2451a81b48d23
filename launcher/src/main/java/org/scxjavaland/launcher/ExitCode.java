package org.scxjavaland.launcher;

/** The launcher's exit codes. */
final class ExitCode {
    /** Ran and stopped normally (also after SIGTERM or Ctrl-C), or printed what was asked. */
    static final int OK = 0;
    /** Could not run: a kernel side that would not start, a missing bundle, a host that did not come up. */
    static final int FAILURE = 1;
    /** Bad input: an unknown option, an invalid value, an unknown policy or workload. */
    static final int USAGE = 2;

    private ExitCode() {
    }
}
