package org.scxjavaland.link.bpf.ring;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.scxjavaland.api.QueuedTask;

/**
 * The 88-byte {@code queued} record the kernel side sends for each runnable task (native byte
 * order, LP64, naturally aligned):
 *
 * <pre>
 *  0 s32 pid            4 s32 cpu           8 u64 nr_cpus_allowed  16 u64 flags
 * 24 u64 start_ts      32 u64 stop_ts      40 u64 exec_runtime     48 u64 weight
 * 56 u64 vtime         64 u64 enq_cnt      72 char comm[16]
 * </pre>
 *
 * Decoding and encoding use absolute indexed access and allocate nothing. The buffer must be in
 * native byte order (the rings' buffers are).
 */
public final class QueuedRecord {
    /** Size of the record in bytes. */
    public static final int SIZE = 88;

    static final int PID = 0;
    static final int CPU = 4;
    static final int NR_CPUS_ALLOWED = 8;
    static final int FLAGS = 16;
    static final int START_TS = 24;
    static final int STOP_TS = 32;
    static final int EXEC_RUNTIME = 40;
    static final int WEIGHT = 48;
    static final int VTIME = 56;
    static final int ENQ_CNT = 64;
    static final int COMM = 72;

    private QueuedRecord() {
    }

    /**
     * Converts 8 comm bytes read (or to be written) as one long in {@code buffer}'s byte order to
     * or from {@link QueuedTask#commWord}'s little-endian layout: unchanged on x86 and arm64,
     * swapped for a big-endian buffer. Its own inverse.
     */
    private static long commWord(ByteBuffer buffer, long word) {
        return buffer.order() == ByteOrder.BIG_ENDIAN ? Long.reverseBytes(word) : word;
    }

    /** The offset of each field, by its name in the C struct (jl_queued_task): what a layout check compares. */
    public static Map<String, Integer> offsets() {
        return Map.ofEntries(Map.entry("pid", PID), Map.entry("cpu", CPU), Map.entry("nr_cpus_allowed", NR_CPUS_ALLOWED),
                Map.entry("flags", FLAGS), Map.entry("start_ts", START_TS), Map.entry("stop_ts", STOP_TS),
                Map.entry("exec_runtime", EXEC_RUNTIME), Map.entry("weight", WEIGHT), Map.entry("vtime", VTIME),
                Map.entry("enq_cnt", ENQ_CNT), Map.entry("comm", COMM));
    }

    /** Fills {@code into} from the record at {@code offset} in {@code buffer}. */
    public static void decode(ByteBuffer buffer, int offset, QueuedTask into) {
        into.pid(buffer.getInt(offset + PID))
                .cpu(buffer.getInt(offset + CPU))
                .nrCpusAllowed(buffer.getLong(offset + NR_CPUS_ALLOWED))
                .flags(buffer.getLong(offset + FLAGS))
                .startTs(buffer.getLong(offset + START_TS))
                .stopTs(buffer.getLong(offset + STOP_TS))
                .execRuntime(buffer.getLong(offset + EXEC_RUNTIME))
                .weight(buffer.getLong(offset + WEIGHT))
                .vtime(buffer.getLong(offset + VTIME))
                .enqCnt(buffer.getLong(offset + ENQ_CNT));
        into.commWords(commWord(buffer, buffer.getLong(offset + COMM)),
                commWord(buffer, buffer.getLong(offset + COMM + Long.BYTES)));
    }

    /** Writes {@code task} as a record at {@code offset} in {@code buffer}. */
    public static void encode(QueuedTask task, ByteBuffer buffer, int offset) {
        buffer.putInt(offset + PID, task.pid())
                .putInt(offset + CPU, task.cpu())
                .putLong(offset + NR_CPUS_ALLOWED, task.nrCpusAllowed())
                .putLong(offset + FLAGS, task.flags())
                .putLong(offset + START_TS, task.startTs())
                .putLong(offset + STOP_TS, task.stopTs())
                .putLong(offset + EXEC_RUNTIME, task.execRuntime())
                .putLong(offset + WEIGHT, task.weight())
                .putLong(offset + VTIME, task.vtime())
                .putLong(offset + ENQ_CNT, task.enqCnt());
        buffer.putLong(offset + COMM, commWord(buffer, task.commWord(0)))
                .putLong(offset + COMM + Long.BYTES, commWord(buffer, task.commWord(1)));
    }

    /**
     * Takes the next queued record from the ring into {@code into}.
     *
     * @return false when no committed record is ready
     * @throws IllegalStateException if the record is shorter than {@link #SIZE} (the BPF side and
     *     this build disagree on the layout); the record is consumed
     */
    public static boolean read(RingReader reader, QueuedTask into) {
        int length = reader.next();
        if (length == RingReader.NONE) {
            return false;
        }
        if (length < SIZE) {
            reader.release();
            throw new IllegalStateException("A queued record of " + length + " bytes is shorter than the " + SIZE
                    + " bytes this build expects: the BPF object and the Java side do not match");
        }
        decode(reader.buffer(), reader.offset(), into);
        reader.release();
        return true;
    }

    /**
     * Queues {@code task} in the ring, as the kernel side does.
     *
     * @return false when the ring is full
     */
    public static boolean write(RingWriter writer, QueuedTask task) {
        int offset = writer.reserve(SIZE);
        if (offset == RingReader.NONE) {
            return false;
        }
        encode(task, writer.buffer(), offset);
        writer.submit();
        return true;
    }
}
