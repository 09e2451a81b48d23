package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libbpf's messages, routed to slf4j and, while a load runs, kept so that a failure can quote
 * them. libbpf has one print callback per process: this class installs it once.
 */
final class LibbpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.scxjavaland.link.bpf.libbpf");
    private static final int WARN = 0;
    private static final int DEBUG = 2;
    private static final int FORMAT_BUFFER = 64 * 1024;

    private static final Memory FORMATTED = new Memory(FORMAT_BUFFER);
    private static final Libbpf.PrintFn PRINTER = LibbpfLog::print;
    private static List<String> captured;
    private static boolean verbose;
    private static boolean installed;

    private LibbpfLog() {
    }

    /** Installs the callback (once) and sets whether libbpf's debug messages are logged at info. */
    static synchronized void install(boolean verboseMessages) {
        verbose = verboseMessages;
        if (!installed) {
            Libbpf.libbpf_set_print(PRINTER);
            installed = true;
        }
    }

    /** Starts keeping libbpf's warnings (a load begins). */
    static synchronized void startCapture() {
        captured = new ArrayList<>();
    }

    /** Stops keeping messages and returns those kept since {@link #startCapture()}. */
    static synchronized List<String> stopCapture() {
        List<String> lines = captured == null ? List.of() : captured;
        captured = null;
        return lines;
    }

    private static synchronized int print(int level, long format, long vaList) {
        int n = LibC.vsnprintf(Pointer.nativeValue(FORMATTED), FORMAT_BUFFER, format, vaList);
        if (n <= 0) {
            return 0;
        }
        String message = FORMATTED.getString(0).stripTrailing();
        if (captured != null && level < DEBUG) {
            captured.add(message);
        }
        if (captured != null) {
            // a failed load quotes them in its own error
            LOG.debug("{}", message);
        } else if (level == WARN) {
            LOG.warn("{}", message);
        } else if (verbose) {
            LOG.info("{}", message);
        } else {
            LOG.debug("{}", message);
        }
        return n;
    }
}
