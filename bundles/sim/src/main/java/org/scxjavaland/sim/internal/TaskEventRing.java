package org.scxjavaland.sim.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import org.scxjavaland.link.RingMemory;
import org.scxjavaland.link.RingReader;
import org.scxjavaland.link.RingWriter;
import org.scxjavaland.link.TaskEventRecord;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;

/**
 * The simulated machine's task events while a recording is on: what the BPF side's
 * {@code task_events} ring holds on a real kernel, in the same records, written by the machine (on
 * the scheduling thread, where it runs) and read by the recorder's thread. A full ring drops the
 * event and counts it, as the BPF side does.
 */
public final class TaskEventRing implements TaskEventSource {
    /** As the BPF side's ring: 4 MiB. */
    static final int SIZE = 4 << 20;

    private final RingMemory memory = RingMemory.allocate(SIZE);
    private final RingWriter writer = RingWriter.kernelSide(memory);
    private final RingReader reader = new RingReader(memory, TaskEventRecord.SIZE);
    private final ByteBuffer batch = ByteBuffer.allocate(4096 * TaskEventRecord.SIZE).order(ByteOrder.nativeOrder());
    private final byte[] comm = new byte[16];
    private final AtomicLong dropped = new AtomicLong();
    private final Runnable onClose;
    private volatile boolean closed;

    /** @param onClose what stops the machine writing here */
    public TaskEventRing(Runnable onClose) {
        this.onClose = onClose;
    }

    /** Writes one event of {@code t} (the machine's thread). */
    void emit(int kind, long ts, SimTask t, int cpu) {
        int offset = writer.reserve(TaskEventRecord.SIZE);
        if (offset == RingReader.NONE) {
            dropped.incrementAndGet();
            return;
        }
        TaskEventRecord.encode(writer.buffer(), offset, kind, ts, t.pid, t.pid, Math.max(cpu, 0), t.weight,
                t.nrCpusAllowed, t.comm);
        writer.submit();
    }

    @Override
    public int drain(TaskEventSink sink, int max) {
        int n = TaskEventRecord.copyOut(reader, batch, Math.min(max, batch.capacity() / TaskEventRecord.SIZE));
        TaskEventRecord.decodeAll(batch, n, comm, sink);
        return n;
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
