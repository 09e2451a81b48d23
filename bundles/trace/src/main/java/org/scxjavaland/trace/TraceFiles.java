package org.scxjavaland.trace;

import java.nio.file.Path;

/** Reading trace files (the format of {@code docs/trace-format.md}). */
public final class TraceFiles {

    private TraceFiles() {
    }

    /**
     * Reads a whole trace file.
     *
     * @throws TraceException naming the file and the fault in one sentence
     */
    public static Trace read(Path file) throws TraceException {
        throw new TraceException(file + ": reading trace files is not built yet.");
    }
}
