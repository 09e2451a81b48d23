package org.scxjavaland.connector.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Page-fault counts from {@code /proc}. The metric counts the scheduling thread's own faults: they
 * are the ones that delay scheduling (the JIT compiler's and the shell's threads fault as they
 * work, which does not). Allocates: never on the scheduling path.
 */
final class ProcessStat {

    private ProcessStat() {
    }

    /** The stat file of the calling thread ({@code /proc/<pid>/task/<tid>/stat}), or null where /proc cannot tell. */
    static Path currentThreadStat() {
        try {
            return Path.of("/proc/thread-self").toRealPath().resolve("stat");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Minor plus major page faults counted in {@code stat} so far, or -1 where it cannot be read. */
    static long pageFaults(Path stat) {
        if (stat == null) {
            return -1;
        }
        try {
            return pageFaults(Files.readString(stat));
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
