package org.scxjavaland.link.bpf.ring;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory of one BPF ring buffer ({@code BPF_MAP_TYPE_RINGBUF} or
 * {@code BPF_MAP_TYPE_USER_RINGBUF}) as user space sees it, whether mapped from the kernel or
 * allocated here for tests and benchmarks.
 *
 * <p>Layout, as the kernel defines it: the map's file offset 0 is the consumer page, whose first
 * 8 bytes hold the consumer position; the next page holds the producer position in its first 8
 * bytes; the data area follows, a power-of-two number of bytes, mapped twice in a row so that a
 * record running past the end can be read in one piece. Positions are byte counters (unsigned
 * long) that only grow; {@code position & (size - 1)} is the offset in the data area. For a
 * RINGBUF user space may write only the consumer page; for a USER_RINGBUF it may write the
 * producer page and the data, not the consumer page.
 *
 * <p>Each record starts with an 8-byte header: a 32-bit length word (the payload length, plus
 * {@link #BUSY_BIT} while the producer still writes it and {@link #DISCARD_BIT} when it was
 * dropped) and a 32-bit word the kernel keeps for itself. Records, header included, take a
 * multiple of 8 bytes ({@link #recordSpan}).
 *
 * <p>The positions and the length word are read with acquire and written with release semantics,
 * which is what pairs with the kernel's {@code smp_load_acquire}/{@code smp_store_release}: an
 * aligned plain access followed (read) or preceded (write) by the matching {@link VarHandle} fence
 * (on x86 no instruction at all; on arm64 a barrier, which may cost more than the kernel's own
 * load-acquire and store-release); a byte-buffer view VarHandle in acquire/release mode does the
 * same with more checks per call on the scheduling path. All
 * buffers handed out are in native byte order.
 */
public final class RingMemory {
    /** Size of a record header ({@code BPF_RINGBUF_HDR_SZ}). */
    public static final int HEADER_SIZE = 8;
    /** Set in the length word while the record is being written. */
    public static final int BUSY_BIT = 1 << 31;
    /** Set in the length word of a record the producer dropped: consumers skip it. */
    public static final int DISCARD_BIT = 1 << 30;

    static final int LENGTH_MASK = ~(BUSY_BIT | DISCARD_BIT);

    private final ByteBuffer consumerPage;
    private final ByteBuffer producerPage;
    private final ByteBuffer data;
    private final int size;
    /** Bytes readable in one piece from any offset below {@code size}: {@code 2 * size} when mapped twice. */
    private final long window;

    private RingMemory(ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer data, int size) {
        this.consumerPage = consumerPage;
        this.producerPage = producerPage;
        this.data = data;
        this.size = size;
        this.window = data.capacity() >= 2L * size ? 2L * size : size;
    }

    /**
     * Wraps memory mapped from a ring buffer map.
     *
     * @param consumerPage memory whose first 8 bytes are the consumer position (8-byte aligned)
     * @param producerPage memory whose first 8 bytes are the producer position (8-byte aligned)
     * @param data the data area: {@code dataSize} bytes, or {@code 2 * dataSize} when mapped twice
     *     as the kernel allows (then no record ever needs copying)
     * @param dataSize the map's {@code max_entries}: a power of two, at least 16
     */
    public static RingMemory of(ByteBuffer consumerPage, ByteBuffer producerPage, ByteBuffer data, int dataSize) {
        if (dataSize < 16 || Integer.bitCount(dataSize) != 1) {
            throw new IllegalArgumentException("The ring's data size must be a power of two of at least 16 bytes, not " + dataSize + ".");
        }
        if (data.capacity() < dataSize) {
            throw new IllegalArgumentException("The ring's data area holds " + data.capacity() + " bytes, less than its size " + dataSize + ".");
        }
        if (consumerPage.capacity() < Long.BYTES || producerPage.capacity() < Long.BYTES) {
            throw new IllegalArgumentException("The consumer and producer pages must hold at least 8 bytes each.");
        }
        return new RingMemory(consumerPage.duplicate().order(ByteOrder.nativeOrder()),
                producerPage.duplicate().order(ByteOrder.nativeOrder()),
                data.duplicate().order(ByteOrder.nativeOrder()).clear(), dataSize);
    }

    /** A ring in plain direct memory (not mapped twice), for tests and benchmarks. */
    public static RingMemory allocate(int dataSize) {
        return of(alignedDirect(Long.BYTES), alignedDirect(Long.BYTES), alignedDirect(dataSize), dataSize);
    }

    private static ByteBuffer alignedDirect(int bytes) {
        // alignedSlice trims both ends to the alignment: room for one full line beyond the rounded size.
        int rounded = (bytes + 63) & ~63;
        return ByteBuffer.allocateDirect(rounded + 64).alignedSlice(64).limit(bytes).slice();
    }

    /** Size of the data area in bytes. */
    public int dataSize() {
        return size;
    }

    /** The consumer position, read with acquire semantics. */
    public long consumerPosition() {
        long position = consumerPage.getLong(0);
        VarHandle.acquireFence();
        return position;
    }

    /** The producer position, read with acquire semantics. */
    public long producerPosition() {
        long position = producerPage.getLong(0);
        VarHandle.acquireFence();
        return position;
    }

    /** Bytes written by the producer and not yet released by the consumer, headers included. */
    public long pendingBytes() {
        return producerPosition() - consumerPosition();
    }

    /** Bytes a record of {@code length} payload bytes takes in the ring: header plus payload, rounded up to 8. */
    public static int recordSpan(int length) {
        return (length + HEADER_SIZE + 7) & ~7;
    }

    void publishConsumerPosition(long position) {
        VarHandle.releaseFence();
        consumerPage.putLong(0, position);
    }

    void publishProducerPosition(long position) {
        VarHandle.releaseFence();
        producerPage.putLong(0, position);
    }

    int lengthWord(int offset) {
        int word = data.getInt(offset);
        VarHandle.acquireFence();
        return word;
    }

    void publishLengthWord(int offset, int word) {
        VarHandle.releaseFence();
        data.putInt(offset, word);
    }

    ByteBuffer data() {
        return data;
    }

    /** Where the payload of the record whose header is at {@code headerOffset} starts. */
    int payloadOffset(int headerOffset) {
        return (headerOffset + HEADER_SIZE) & (size - 1);
    }

    /** True when {@code length} bytes from {@code offset} can be accessed in place (always, when mapped twice). */
    boolean contiguous(int offset, int length) {
        return (long) offset + length <= window;
    }

    /** Copies a payload that runs past the end of the data area into {@code to}, from its index 0. */
    void copyOut(int offset, int length, ByteBuffer to) {
        int head = size - offset;
        to.put(0, data, offset, head);
        to.put(head, data, 0, length - head);
    }

    /** Copies {@code length} bytes of {@code from} (from its index 0) into a payload that runs past the end. */
    void copyIn(ByteBuffer from, int offset, int length) {
        int head = size - offset;
        data.put(offset, from, 0, head);
        data.put(0, from, head, length - head);
    }

    /** {@code buffer} if it holds {@code length} bytes, else a bigger direct buffer (allocates only when growing). */
    static ByteBuffer atLeast(ByteBuffer buffer, int length) {
        if (buffer != null && buffer.capacity() >= length) {
            return buffer;
        }
        int capacity = Math.max(length, buffer == null ? 128 : buffer.capacity() * 2);
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    int mask() {
        return size - 1;
    }
}
