package org.scxjavaland.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a trace file (docs/trace-format.md) as the events come: the header, then one record per
 * event, with a task-table entry before a task's first event and whenever its weight, affinity,
 * process or name changes. One thread writes. {@link #bytes()} counts what the file will hold, so
 * that a caller can stop before a size cap; {@link #close} ends the file with its end record.
 */
public final class TraceWriter implements AutoCloseable {
    /** Bytes an event takes at most, its task-table entry included: what a caller keeps free under a cap. */
    public static final int MAX_EVENT_BYTES = 1 + 10 + 5 + 5 + 1 + 5 + 5 + 10 + 5 + 1 + TraceFormat.COMM_MAX;
    /** Bytes the end record takes at most. */
    public static final int MAX_END_BYTES = 1 + 10 + 10;

    private static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");

    private final Path file;
    private final OutputStream out;
    private final byte[] scratch = new byte[MAX_EVENT_BYTES];
    private final Map<Integer, KnownTask> known = new HashMap<>();
    private long bytes;
    private long events;
    private long dropped;
    private long lastTs;
    private boolean closed;

    /** What the file last said of one task. */
    private static final class KnownTask {
        int tgid;
        long weight;
        int nrCpusAllowed;
        final byte[] comm = new byte[TraceFormat.COMM_MAX];
        int commLength;
    }

    private TraceWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Creates (or replaces) {@code file}, mode 0644, and writes the header. A symbolic link at
     * {@code file} is refused, not followed.
     *
     * @throws TraceException with one sentence naming the file, when it cannot be created
     */
    public static TraceWriter create(Path file, TraceHeader header) throws TraceException {
        OutputStream out = null;
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new TraceException("The trace file " + file + " exists and is not a regular file (a symbolic link"
                        + " or a folder): choose another name.");
            }
            FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(MODE_0644));
            out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            // An older file of that name keeps its mode on TRUNCATE: make it 0644 too.
            Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(MODE_0644);   // not through a link swapped in since the open
            TraceWriter writer = new TraceWriter(file, out);
            writer.header(header);
            return writer;
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(out);
            throw new TraceException("The trace file " + file + " cannot be written (" + e + ").", e);
        }
    }

    private void header(TraceHeader header) throws IOException {
        String text = TraceFormat.MAGIC + TraceFormat.VERSION + "\n"
                + "cpus: " + header.cpus() + "\n"
                + "kernel: " + header.kernel() + "\n"
                + "link: " + header.link() + "\n"
                + "policy: " + header.policy() + "\n"
                + "started: " + header.started() + "\n"
                + "clock: ns\n"
                + "\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        this.bytes += bytes.length;
    }

    /**
     * Writes one event.
     *
     * @param ts when it happened, on the recorded machine's clock (ns)
     * @param comm the task's name: its bytes up to the first NUL (at most 15 are kept)
     */
    public void event(TraceEventKind kind, long ts, int pid, int tgid, int cpu, long weight, int nrCpusAllowed, byte[] comm)
            throws TraceException {
        int commLength = 0;
        while (commLength < comm.length && commLength < TraceFormat.COMM_MAX && comm[commLength] != 0) {
            commLength++;
        }
        int at = 0;
        KnownTask task = known.get(pid);
        if (task == null || task.tgid != tgid || task.weight != weight || task.nrCpusAllowed != nrCpusAllowed
                || !Arrays.equals(task.comm, 0, task.commLength, comm, 0, commLength)) {
            if (task == null) {
                task = new KnownTask();
                known.put(pid, task);
            }
            task.tgid = tgid;
            task.weight = weight;
            task.nrCpusAllowed = nrCpusAllowed;
            System.arraycopy(comm, 0, task.comm, 0, commLength);
            task.commLength = commLength;
            scratch[at++] = TraceFormat.TAG_TASK;
            at = VarInts.putUnsigned(scratch, at, pid & 0xffffffffL);
            at = VarInts.putUnsigned(scratch, at, tgid & 0xffffffffL);
            at = VarInts.putUnsigned(scratch, at, weight);
            at = VarInts.putUnsigned(scratch, at, nrCpusAllowed & 0xffffffffL);
            scratch[at++] = (byte) commLength;
            System.arraycopy(comm, 0, scratch, at, commLength);
            at += commLength;
        }
        scratch[at++] = (byte) TraceFormat.tag(kind);
        at = VarInts.putSigned(scratch, at, ts - lastTs);
        at = VarInts.putUnsigned(scratch, at, pid & 0xffffffffL);
        at = VarInts.putUnsigned(scratch, at, cpu & 0xffffffffL);
        lastTs = ts;
        write(at);
        events++;
    }

    /** {@link #event(TraceEventKind, long, int, int, int, long, int, byte[])} with the name as a string. */
    public void event(TraceEventKind kind, long ts, int pid, int tgid, int cpu, long weight, int nrCpusAllowed, String comm)
            throws TraceException {
        event(kind, ts, pid, tgid, cpu, weight, nrCpusAllowed, comm.getBytes(StandardCharsets.UTF_8));
    }

    /** Notes that {@code count} events were lost here (the recording machine's buffer was full). */
    public void dropped(long count) throws TraceException {
        if (count <= 0) {
            return;
        }
        scratch[0] = TraceFormat.TAG_DROPPED;
        write(VarInts.putUnsigned(scratch, 1, count));
        dropped += count;
    }

    private void write(int length) throws TraceException {
        if (closed) {
            throw new IllegalStateException("The trace file " + file + " is closed.");
        }
        try {
            out.write(scratch, 0, length);
        } catch (IOException e) {
            throw new TraceException("Writing the trace file " + file + " failed (" + e + ").", e);
        }
        bytes += length;
    }

    /** Bytes written so far (the header included). */
    public long bytes() {
        return bytes;
    }

    /** Events written so far. */
    public long events() {
        return events;
    }

    /** Tasks seen so far. */
    public int tasks() {
        return known.size();
    }

    /** Events noted as lost so far. */
    public long droppedEvents() {
        return dropped;
    }

    /**
     * Ends the file: the end record (when the recording ended, on the recorded clock; an earlier
     * time than the last event's is taken as the last event's) and closes it. Closing twice does nothing.
     */
    public void close(long endTs) throws TraceException {
        if (closed) {
            return;
        }
        scratch[0] = TraceFormat.TAG_END;
        int at = VarInts.putSigned(scratch, 1, Math.max(0, endTs - lastTs));
        at = VarInts.putUnsigned(scratch, at, dropped);
        try {
            write(at);
            out.close();
        } catch (IOException e) {
            throw new TraceException("Closing the trace file " + file + " failed (" + e + ").", e);
        } finally {
            closed = true;
            closeQuietly(out);
        }
    }

    /** Ends the file at the last event's time. */
    @Override
    public void close() throws TraceException {
        close(lastTs);
    }

    private static void closeQuietly(OutputStream out) {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // already failing: the first error is the one reported
            }
        }
    }
}
