package org.scxjavaland.lab;

import java.io.PrintStream;
import java.util.Locale;

/**
 * How far a comparison is: on a terminal a bar redrawn in place, otherwise one line per run done.
 * Called from the runs' threads.
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final int total;
    private final long startNs = System.nanoTime();
    private int done;
    private int failed;

    Progress(PrintStream err, boolean terminal, int total) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        if (terminal) {
            draw("starting");
        }
    }

    synchronized void done(Cell cell, String failure) {
        done++;
        if (failure != null) {
            failed++;
        }
        if (terminal) {
            draw(cell.toString());
        } else {
            err.printf(Locale.ROOT, "[%d/%d] %s%s%n", done, total, cell, failure == null ? "" : ": failed");
        }
    }

    synchronized void finish() {
        if (terminal) {
            err.print("\r\033[K");
            err.flush();
        }
    }

    private void draw(String last) {
        int filled = total == 0 ? WIDTH : done * WIDTH / total;
        long secs = (System.nanoTime() - startNs) / 1_000_000_000L;
        err.printf(Locale.ROOT, "\r\033[K[%s%s] %d/%d runs%s  %d:%02d  %s", "#".repeat(filled),
                "-".repeat(WIDTH - filled), done, total, failed > 0 ? " (" + failed + " failed)" : "", secs / 60,
                secs % 60, last);
        err.flush();
    }
}
