package org.scxjavaland.link.bpf.ring;

import java.nio.ByteBuffer;
import java.util.Map;
import org.scxjavaland.api.DispatchedTask;

/**
 * The 40-byte {@code dispatched} record user space sends for each task it dispatches (native
 * byte order, LP64, naturally aligned):
 *
 * <pre>
 *  0 s32 pid   4 s32 cpu (or DispatchedTask.CPU_ANY)   8 u64 flags
 * 16 u64 slice_ns        24 u64 vtime                  32 u64 enq_cnt
 * </pre>
 *
 * Decoding and encoding use absolute indexed access and allocate nothing. The buffer must be in
 * native byte order (the rings' buffers are).
 */
public final class DispatchedRecord {
    /** Size of the record in bytes. */
    public static final int SIZE = 40;
    /** Bytes one record takes in the ring, its header included. */
    public static final int SPAN = RingMemory.recordSpan(SIZE);

    static final int PID = 0;
    static final int CPU = 4;
    static final int FLAGS = 8;
    static final int SLICE_NS = 16;
    static final int VTIME = 24;
    static final int ENQ_CNT = 32;

    private DispatchedRecord() {
    }

    /** The offset of each field, by its name in the C struct (jl_dispatched_task): what a layout check compares. */
    public static Map<String, Integer> offsets() {
        return Map.of("pid", PID, "cpu", CPU, "flags", FLAGS, "slice_ns", SLICE_NS, "vtime", VTIME, "enq_cnt", ENQ_CNT);
    }

    /** Writes {@code task} as a record at {@code offset} in {@code buffer}. */
    public static void encode(DispatchedTask task, ByteBuffer buffer, int offset) {
        buffer.putInt(offset + PID, task.pid())
                .putInt(offset + CPU, task.cpu())
                .putLong(offset + FLAGS, task.flags())
                .putLong(offset + SLICE_NS, task.sliceNs())
                .putLong(offset + VTIME, task.vtime())
                .putLong(offset + ENQ_CNT, task.enqCnt());
    }

    /** Fills {@code into} from the record at {@code offset} in {@code buffer}. */
    public static void decode(ByteBuffer buffer, int offset, DispatchedTask into) {
        into.pid(buffer.getInt(offset + PID))
                .cpu(buffer.getInt(offset + CPU))
                .flags(buffer.getLong(offset + FLAGS))
                .sliceNs(buffer.getLong(offset + SLICE_NS))
                .vtime(buffer.getLong(offset + VTIME))
                .enqCnt(buffer.getLong(offset + ENQ_CNT));
    }

    /**
     * Sends {@code task} through the user ring.
     *
     * @return false when the ring is full (nothing was written)
     */
    public static boolean write(RingWriter writer, DispatchedTask task) {
        int offset = writer.reserve(SIZE);
        if (offset == RingReader.NONE) {
            return false;
        }
        encode(task, writer.buffer(), offset);
        writer.submit();
        return true;
    }

    /**
     * Takes the next dispatched record from the ring into {@code into}, as the kernel side does.
     *
     * @return false when no committed record is ready
     * @throws IllegalStateException if the record is shorter than {@link #SIZE}; the record is consumed
     */
    public static boolean read(RingReader reader, DispatchedTask into) {
        int length = reader.next();
        if (length == RingReader.NONE) {
            return false;
        }
        if (length < SIZE) {
            reader.release();
            throw new IllegalStateException("A dispatched record of " + length + " bytes is shorter than the " + SIZE
                    + " bytes expected");
        }
        decode(reader.buffer(), reader.offset(), into);
        reader.release();
        return true;
    }
}
