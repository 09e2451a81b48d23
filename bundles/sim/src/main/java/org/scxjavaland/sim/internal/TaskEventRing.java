package org.scxjavaland.sim.internal;

import java.util.concurrent.atomic.AtomicLong;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.TaskEventSink;
import org.scxjavaland.link.TaskEventSource;

/**
 * The simulated machine's task events while a recording is on: what the BPF side's
 * {@code task_events} ring holds on a real kernel, written by the machine (on the scheduling
 * thread, where it runs) and read by the recorder's thread, one writer and one reader. It holds
 * as many events as the BPF side's ring does; a full ring drops the event and counts it, as the
 * BPF side does.
 */
public final class TaskEventRing implements TaskEventSource {
    /**
     * As the BPF side's 4 MiB ring of 56-byte records, each with its 8-byte header; the kernel
     * keeps one byte of a ring free, which costs one record.
     */
    static final int CAPACITY = (4 << 20) / 64 - 1;

    private final int[] kinds = new int[CAPACITY];
    private final long[] times = new long[CAPACITY];
    private final int[] cpus = new int[CAPACITY];
    /** A task's pid, weight, affinity and name never change: the event keeps the task. */
    private final SimTask[] tasks = new SimTask[CAPACITY];
    /** Events written (the machine's thread) and events taken (the recorder's), since the start. */
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final byte[] comm = new byte[QueuedTask.COMM_LEN];
    private final AtomicLong dropped = new AtomicLong();
    private final Runnable onClose;
    private volatile boolean closed;

    /** @param onClose what stops the machine writing here */
    public TaskEventRing(Runnable onClose) {
        this.onClose = onClose;
    }

    /** Writes one event of {@code t} (the machine's thread). */
    void emit(int kind, long ts, SimTask t, int cpu) {
        long w = written.getPlain();
        if (w - taken.getAcquire() == CAPACITY) {
            dropped.incrementAndGet();
            return;
        }
        int slot = (int) (w % CAPACITY);
        kinds[slot] = kind;
        times[slot] = ts;
        cpus[slot] = Math.max(cpu, 0);
        tasks[slot] = t;
        written.setRelease(w + 1);
    }

    @Override
    public int drain(TaskEventSink sink, int max) {
        long t = taken.getPlain();
        int n = (int) Math.min(max, written.getAcquire() - t);
        for (int i = 0; i < n; i++) {
            int slot = (int) ((t + i) % CAPACITY);
            SimTask task = tasks[slot];
            System.arraycopy(task.comm, 0, comm, 0, comm.length);
            sink.event(kinds[slot], times[slot], task.pid, task.pid, cpus[slot], task.weight, task.nrCpusAllowed,
                    comm);
            // Each event leaves as it is handed, so the machine may write into its slot again.
            taken.setRelease(t + i + 1);
        }
        return Math.max(n, 0);
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
