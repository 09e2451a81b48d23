package org.scxjavaland.link.bpf.ring;

import java.nio.ByteBuffer;
import java.util.Map;
import org.scxjavaland.link.TaskEventSink;

/**
 * The 56-byte {@code task_events} record (struct jl_task_event) the BPF side writes for each state
 * change of a task while recording (native byte order; {@code kind} is one of {@link TaskEventSink}'s
 * {@code KIND_*}):
 *
 * <pre>
 *  0 u64 ts    8 s32 pid   12 s32 tgid   16 s32 cpu   20 u32 kind   24 u64 weight
 * 32 u32 nr_cpus_allowed   36 u32 pad    40 char comm[16]
 * </pre>
 */
public final class TaskEventRecord {
    /** Size of the record in bytes. */
    public static final int SIZE = 56;

    static final int TS = 0;
    static final int PID = 8;
    static final int TGID = 12;
    static final int CPU = 16;
    static final int KIND = 20;
    static final int WEIGHT = 24;
    static final int NR_CPUS_ALLOWED = 32;
    static final int COMM = 40;
    static final int COMM_LEN = 16;

    private TaskEventRecord() {
    }

    /** The offset of each field, by its name in struct jl_task_event: what a layout check compares. */
    public static Map<String, Integer> offsets() {
        return Map.of("ts", TS, "pid", PID, "tgid", TGID, "cpu", CPU, "kind", KIND, "weight", WEIGHT,
                "nr_cpus_allowed", NR_CPUS_ALLOWED, "comm", COMM);
    }

    /**
     * Hands the record at {@code offset} to {@code sink}.
     *
     * @param comm a 16-byte array the name is copied into (reused from call to call)
     */
    public static void decode(ByteBuffer buffer, int offset, byte[] comm, TaskEventSink sink) {
        buffer.get(offset + COMM, comm, 0, COMM_LEN);
        sink.event(buffer.getInt(offset + KIND), buffer.getLong(offset + TS), buffer.getInt(offset + PID),
                buffer.getInt(offset + TGID), buffer.getInt(offset + CPU), buffer.getLong(offset + WEIGHT),
                buffer.getInt(offset + NR_CPUS_ALLOWED), comm);
    }

    /**
     * Copies up to {@code limit} records from {@code reader} into {@code batch} (consuming them), so
     * that the ring's space is free again before anyone looks at them.
     *
     * @return how many were copied
     */
    public static int copyOut(RingReader reader, ByteBuffer batch, int limit) {
        int n = 0;
        while (n < limit && reader.next() != RingReader.NONE) {
            batch.put(n * SIZE, reader.buffer(), reader.offset(), SIZE);
            reader.release();
            n++;
        }
        return n;
    }

    /** Hands the first {@code n} records of {@code batch} to {@code sink}, in order. */
    public static void decodeAll(ByteBuffer batch, int n, byte[] comm, TaskEventSink sink) {
        for (int i = 0; i < n; i++) {
            decode(batch, i * SIZE, comm, sink);
        }
    }

    /** Writes a record at {@code offset}, as the BPF side does (for tests). */
    public static void encode(ByteBuffer buffer, int offset, int kind, long ts, int pid, int tgid, int cpu, long weight,
            int nrCpusAllowed, byte[] comm) {
        buffer.putLong(offset + TS, ts).putInt(offset + PID, pid).putInt(offset + TGID, tgid).putInt(offset + CPU, cpu)
                .putInt(offset + KIND, kind).putLong(offset + WEIGHT, weight).putInt(offset + NR_CPUS_ALLOWED, nrCpusAllowed)
                .putInt(offset + NR_CPUS_ALLOWED + 4, 0);
        for (int i = 0; i < COMM_LEN; i++) {
            buffer.put(offset + COMM + i, i < comm.length ? comm[i] : 0);
        }
    }
}
