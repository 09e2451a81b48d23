package org.scxjavaland.link;

/**
 * How many lines a log may take for one kind of event that can repeat at the scheduling path's
 * rate (a damaged record from the kernel side, say): at most {@code lines} per {@code windowNs}.
 * Events past the budget are counted, so that the next line allowed can say how many went
 * unlogged. Allocation-free; one thread at a time.
 *
 * <pre>
 * if (budget.allow(now)) {
 *     LOG.warn("... ({} more not logged)", ..., budget.takeSuppressed());
 * }
 * </pre>
 */
public final class LogBudget {

    private final int lines;
    private final long windowNs;
    private long windowStart;
    private int used;
    private long suppressed;
    private boolean started;

    /**
     * @param lines lines allowed per window, at least 1
     * @param windowNs the window, in ns of the clock given to {@link #allow}
     */
    public LogBudget(int lines, long windowNs) {
        if (lines < 1 || windowNs < 1) {
            throw new IllegalArgumentException("A log budget needs at least one line per window of at least 1 ns.");
        }
        this.lines = lines;
        this.windowNs = windowNs;
    }

    /**
     * One event at {@code nowNs}: true when it may be logged, false when it is only counted.
     */
    public boolean allow(long nowNs) {
        if (!started || nowNs - windowStart >= windowNs) {
            started = true;
            windowStart = nowNs;
            used = 0;
        }
        if (used < lines) {
            used++;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Events not logged since the last call, and starts counting from 0 again. */
    public long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }
}
