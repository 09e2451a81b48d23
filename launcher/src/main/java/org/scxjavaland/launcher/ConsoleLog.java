package org.scxjavaland.launcher;

import java.io.PrintStream;

/**
 * The launcher's log lines on standard error, in the form the bundles' slf4j lines take (see
 * {@link FrameworkSettings#configureLogging}): {@code LEVEL name - message}, so that a user reads
 * one log whoever wrote the line.
 */
final class ConsoleLog {

    /** The name the launcher's own lines carry. */
    static final String LAUNCHER = "scx_javaland";

    private ConsoleLog() {
    }

    static void info(PrintStream err, String message) {
        err.println(line("INFO", LAUNCHER, message));
    }

    static void warn(PrintStream err, String message) {
        err.println(line("WARN", LAUNCHER, message));
    }

    static void error(PrintStream err, String message) {
        err.println(line("ERROR", LAUNCHER, message));
    }

    /** One line as slf4j-simple writes it with the host's settings. */
    static String line(String level, String name, String message) {
        return level + " " + name + " - " + message;
    }
}
