package org.scxjavaland.launcher;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.scxjavaland.api.Metrics;

/**
 * {@code --stats SECS}: every SECS seconds one monitor line on standard output, the dispatch
 * counters as deltas over the interval (the format scx_rustland users know).
 */
final class StatsPrinter implements AutoCloseable {

    /** The name in brackets at the start of each line. */
    static final String SCHEDULER_NAME = "javaland";

    /** gogo's prompt, printed again after a line when the console is open. */
    static final String PROMPT = "g! ";

    private final Supplier<Metrics> metrics;
    private final PrintStream out;
    private final boolean console;
    private final ScheduledExecutorService timer;
    private Metrics previous;

    private StatsPrinter(Supplier<Metrics> metrics, PrintStream out, boolean console) {
        this.metrics = metrics;
        this.out = out;
        this.console = console;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "scx-stats");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts printing every {@code seconds}; the first line covers the first interval.
     *
     * @param console gogo's console is open on the same terminal: each line starts at the line's
     *        beginning (over the prompt) and the prompt is printed again after it
     */
    static StatsPrinter start(Supplier<Metrics> metrics, double seconds, PrintStream out, boolean console) {
        StatsPrinter printer = new StatsPrinter(metrics, out, console);
        printer.previous = metrics.get();
        long periodMicros = Math.max(1, Math.round(seconds * 1_000_000));
        printer.timer.scheduleAtFixedRate(printer::printLine, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        return printer;
    }

    /** The line for {@code now}, with deltas since {@code previous}. */
    static String line(Metrics now, Metrics previous) {
        return now.monitorLine(SCHEDULER_NAME, previous);
    }

    private void printLine() {
        try {
            Metrics now = metrics.get();
            if (now.nrCpus() == 0 || !now.follows(previous)) {
                // The scheduler is not running (stopping, or its link went away): no interval to show.
                previous = now;
                return;
            }
            out.println(console ? "\r" + line(now, previous) : line(now, previous));
            if (console) {
                out.print(PROMPT);
            }
            out.flush();
            previous = now;
        } catch (RuntimeException e) {
            // The scheduler is being replaced or stopped: skip this interval.
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
