package org.scxjavaland.trace;

/** The constants of the trace file format (docs/trace-format.md), shared by its writer and reader. */
final class TraceFormat {
    /** The first line's words before the version number. */
    static final String MAGIC = "scx_javaland trace v";
    /** The format version this build writes and reads. */
    static final int VERSION = 1;
    /** The longest header line a reader accepts (a damaged file must not make it read on forever). */
    static final int MAX_HEADER_LINE = 4096;

    // Record tags.
    static final int TAG_TASK = 1;
    /** Tags of the events: TAG_EVENT + TraceEventKind.ordinal(). */
    static final int TAG_EVENT = 2;
    static final int TAG_DROPPED = 7;
    static final int TAG_END = 8;

    static final int COMM_MAX = 15;

    private TraceFormat() {
    }

    static int tag(TraceEventKind kind) {
        return TAG_EVENT + kind.ordinal();
    }

    /** The kind of an event tag, or null when the tag is not an event's. */
    static TraceEventKind kind(int tag) {
        int i = tag - TAG_EVENT;
        TraceEventKind[] kinds = TraceEventKind.values();
        return i >= 0 && i < kinds.length ? kinds[i] : null;
    }
}
