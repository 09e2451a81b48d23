package org.scxjavaland.launcher;

import java.io.PrintStream;
import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's own log messages (resolution errors, bundle failures), written as one short line on
 * standard error like the bundles' slf4j lines; the stack trace only with {@code -v}.
 */
final class FelixLog extends Logger {

    private static final String[] LEVELS = {"", "ERROR", "WARN", "INFO", "DEBUG"};

    private final PrintStream err;
    private final boolean verbose;

    FelixLog(PrintStream err, boolean verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    @Override
    @SuppressWarnings("rawtypes") // Felix's Logger declares the raw type
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String message, Throwable throwable) {
        String name = level >= 1 && level < LEVELS.length ? LEVELS[level] : "LOG";
        StringBuilder line = new StringBuilder();
        if (bundle != null && bundle.getSymbolicName() != null) {
            line.append(bundle.getSymbolicName()).append(": ");
        }
        line.append(message);
        if (throwable != null && throwable.getMessage() != null && !message.contains(throwable.getMessage())) {
            line.append(": ").append(throwable.getMessage());
        }
        err.println(ConsoleLog.line(name, "felix", line.toString()));
        if (throwable != null && verbose) {
            throwable.printStackTrace(err);
        }
    }
}
