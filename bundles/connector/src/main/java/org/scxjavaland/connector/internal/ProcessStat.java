package org.scxjavaland.connector.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's page-fault count from {@code /proc/self/stat}. Allocates: never on the scheduling path. */
final class ProcessStat {

    private static final Path STAT = Path.of("/proc/self/stat");

    private ProcessStat() {
    }

    /** Minor plus major page faults of this process so far, or -1 where /proc cannot tell. */
    static long pageFaults() {
        try {
            return pageFaults(Files.readString(STAT));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Parses a stat line: minflt and majflt are fields 10 and 12, counted after the "(comm)" field. */
    static long pageFaults(String statLine) {
        // comm may hold spaces and parentheses: the fields resume after the last ')'.
        String[] fields = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        return Long.parseLong(fields[10 - 3]) + Long.parseLong(fields[12 - 3]);
    }
}
