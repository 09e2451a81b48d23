package org.scxjavaland.shell;

import java.time.Duration;
import java.util.List;
import org.scxjavaland.api.Metrics;

/** Text layout for the shell's output: tables, durations, counters, typed values. */
final class Format {

    private Format() {
    }

    /** A left-aligned table with a header row, columns as wide as their widest cell. */
    static String table(String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        for (String[] row : rows) {
            appendRow(sb, row, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            line.append(String.format("%-" + width[c] + "s", cells[c]));
            if (c < cells.length - 1) {
                line.append("  ");
            }
        }
        sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }

    /** 1h02m03s, 4m05s or 6.1s. */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
        }
        if (s >= 60) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }

    /** Nanoseconds as microseconds with one decimal, e.g. "84.2 us". */
    static String micros(long ns) {
        return String.format("%.1f us", ns / 1000.0);
    }

    /** Every counter, one per line, with its name. */
    static String counters(Metrics m) {
        String nl = System.lineSeparator();
        return "counters:" + nl
                + "  nr_running           " + m.nrRunning() + nl
                + "  nr_cpus              " + m.nrCpus() + nl
                + "  nr_queued            " + m.nrQueued() + nl
                + "  nr_scheduled         " + m.nrScheduled() + nl
                + "  nr_page_faults       " + m.nrPageFaults() + nl
                + "  nr_user_dispatches   " + m.nrUserDispatches() + nl
                + "  nr_kernel_dispatches " + m.nrKernelDispatches() + nl
                + "  nr_cancel_dispatches " + m.nrCancelDispatches() + nl
                + "  nr_bounce_dispatches " + m.nrBounceDispatches() + nl
                + "  nr_failed_dispatches " + m.nrFailedDispatches() + nl
                + "  nr_sched_congested   " + m.nrSchedCongested() + nl;
    }

    /**
     * Parses a value typed at the shell into the type of the option's current value (Boolean,
     * Integer, Long), so the policy's own check sees what ConfigAdmin will hold.
     */
    static Object parseValue(String text, Object current) {
        if (current instanceof Boolean) {
            if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("expected true or false, not '" + text + "'");
            }
            return Boolean.valueOf(text);
        }
        if (current instanceof Integer || current instanceof Long) {
            long v;
            try {
                v = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number, not '" + text + "'");
            }
            if (current instanceof Integer) {
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(text + " is out of range for this option");
                }
                return (int) v;
            }
            return v;
        }
        return text;
    }
}
