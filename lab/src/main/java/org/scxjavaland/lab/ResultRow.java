package org.scxjavaland.lab;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One figure of one group in one run: a line of results.csv and an element of results.json's
 * {@code rows}, so that results can be plotted elsewhere and compared across versions.
 *
 * @param value rounded to 3 decimals (ns for the latencies in us)
 */
public record ResultRow(String policy, String workload, long seed, String group, String kind, String figure,
        double value) {

    public static final String CSV_HEADER = "policy,workload,seed,group,kind,figure,value";

    /** Every figure of every group of {@code run}. */
    public static List<ResultRow> of(RunResult run) {
        List<ResultRow> rows = new ArrayList<>();
        for (GroupResult g : run.groups()) {
            for (Figure f : Figure.applicable(g)) {
                rows.add(new ResultRow(run.policy(), run.workload(), run.seed(), g.name(), g.kind(), f.key(),
                        round(f.value(g))));
            }
        }
        return rows;
    }

    public static List<ResultRow> of(List<RunResult> runs) {
        List<ResultRow> rows = new ArrayList<>();
        for (RunResult run : runs) {
            rows.addAll(of(run));
        }
        return rows;
    }

    static double round(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The line of results.csv (names with a comma or quote are quoted). */
    public String csvLine() {
        return String.join(",", quote(policy), quote(workload), Long.toString(seed), quote(group), quote(kind),
                quote(figure), BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }

    /** Parses a line written by {@link #csvLine()}. */
    public static ResultRow parseCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        if (cells.size() != 7) {
            throw new IllegalArgumentException("a results.csv line has 7 cells, this one " + cells.size() + ": " + line);
        }
        return new ResultRow(cells.get(0), cells.get(1), Long.parseLong(cells.get(2)), cells.get(3), cells.get(4),
                cells.get(5), Double.parseDouble(cells.get(6)));
    }

    private static String quote(String text) {
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
