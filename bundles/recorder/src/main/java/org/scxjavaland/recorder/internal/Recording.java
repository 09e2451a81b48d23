package org.scxjavaland.recorder.internal;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;
import org.scxjavaland.trace.TraceEventKind;
import org.scxjavaland.trace.TraceException;
import org.scxjavaland.trace.TraceHeader;
import org.scxjavaland.trace.TraceWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording: drains a kernel side's task events into a trace file on its own thread (never
 * the scheduling thread) until its duration or size cap is reached or it is stopped, then ends
 * the file and says in one line where it wrote and how much. The file is created when the first
 * events arrive, so that its header names the policy then active.
 */
final class Recording implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);
    /** How long the thread rests when no event waits (the kernel's ring holds 65,536 events). */
    static final long IDLE_SLEEP_MS = 10;
    private static final int BATCH = 4096;

    private final RecorderSettings settings;
    private final TaskEventSource source;
    private final Supplier<TraceHeader> header;
    private final LongSupplier nanoClock;
    private final TaskEventSink sink = this::event;
    private volatile boolean stopRequested;
    private TraceWriter writer;
    private TraceException failure;
    private boolean full;
    private String ended;

    Recording(RecorderSettings settings, TaskEventSource source, Supplier<TraceHeader> header, LongSupplier nanoClock) {
        this.settings = settings;
        this.source = source;
        this.header = header;
        this.nanoClock = nanoClock;
    }

    /** Asks the thread to end the recording (it drains what waits, then closes the file). */
    void stop() {
        stopRequested = true;
    }

    /** Why the recording ended, once it has; null before. */
    String ended() {
        return ended;
    }

    @Override
    public void run() {
        long deadline = nanoClock.getAsLong() + (long) (settings.seconds() * 1e9);
        String why = "the host stopped";
        try {
            while (true) {
                if (nanoClock.getAsLong() - deadline >= 0) {
                    why = "its " + format(settings.seconds()) + " s were over";
                    break;
                }
                int n = source.drain(sink, BATCH);
                noteDropped();
                if (failure != null || full) {
                    break;
                }
                if (stopRequested) {
                    // What the kernel side still holds belongs to the recording too.
                    while (n > 0 && failure == null && !full) {
                        n = source.drain(sink, BATCH);
                    }
                    break;
                }
                if (n == 0) {
                    Thread.sleep(IDLE_SLEEP_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            source.close();
            finish(full ? "its size cap of " + (settings.maxBytes() >> 20) + " MiB was reached" : why);
        }
    }

    private void event(int kind, long ts, int pid, int tgid, int cpu, long weight, int nrCpusAllowed, byte[] comm) {
        if (failure != null || full) {
            return;
        }
        TraceEventKind traced = kind(kind);
        if (traced == null) {
            return;
        }
        try {
            if (writer == null) {
                writer = TraceWriter.create(settings.file(), header.get());
            }
            if (writer.bytes() + TraceWriter.MAX_EVENT_BYTES + TraceWriter.MAX_END_BYTES + 16 > settings.maxBytes()) {
                full = true;
                return;
            }
            writer.event(traced, ts, pid, tgid, cpu, weight, nrCpusAllowed, comm);
        } catch (TraceException e) {
            failure = e;
        }
    }

    /** Notes in the file the events the kernel side lost since the last look. */
    private void noteDropped() {
        if (writer == null || failure != null) {
            return;
        }
        long lost = source.dropped() - writer.droppedEvents();
        if (lost > 0 && writer.bytes() + 11 + TraceWriter.MAX_END_BYTES <= settings.maxBytes()) {
            try {
                writer.dropped(lost);
            } catch (TraceException e) {
                failure = e;
            }
        }
    }

    private void finish(String why) {
        if (failure != null) {
            ended = failure.getMessage();
            LOG.error("Recording stopped: {}", failure.getMessage());
            return;
        }
        try {
            if (writer == null) {
                // Not one event: still a valid, empty trace.
                writer = TraceWriter.create(settings.file(), header.get());
            }
            writer.close();
            ended = why;
            LOG.info("Recorded {} events of {} tasks ({} bytes, {} events dropped by the kernel side) into {}: {}.",
                    writer.events(), writer.tasks(), writer.bytes(), source.dropped(), settings.file(), why);
        } catch (TraceException e) {
            ended = e.getMessage();
            LOG.error("Recording stopped: {}", e.getMessage());
        }
    }

    /** The trace's word for a kernel side's event kind; null for a kind this build does not know. */
    static TraceEventKind kind(int kind) {
        return switch (kind) {
            case TaskEventSink.KIND_WAKE -> TraceEventKind.WAKE;
            case TaskEventSink.KIND_RUNNABLE -> TraceEventKind.RUNNABLE;
            case TaskEventSink.KIND_RUNNING -> TraceEventKind.RUNNING;
            case TaskEventSink.KIND_PREEMPTED -> TraceEventKind.PREEMPTED;
            case TaskEventSink.KIND_SLEEP -> TraceEventKind.SLEEP;
            default -> null;
        };
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }
}
