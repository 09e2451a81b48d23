package org.scxjavaland.link.bpf.ring;

import java.nio.ByteBuffer;

/**
 * A producer of ring records: user space's for the {@code BPF_MAP_TYPE_USER_RINGBUF}
 * ({@code dispatched}), the counterpart of libbpf's {@code user_ring_buffer__reserve}/{@code __submit};
 * or, through {@link #kernelSide}, the kernel's for a {@code BPF_MAP_TYPE_RINGBUF}. The two differ
 * only in how full the ring may get.
 *
 * <p>Use: {@link #reserve} room for a record, write its payload into {@link #buffer()} at the
 * returned offset, then {@link #submit()} it (or {@link #discard()} it). A record is reserved by
 * writing its header with {@code BUSY} set and publishing the new producer position; its length
 * word is published without {@code BUSY} (and with {@code DISCARD} to drop it) on submit. The
 * second header word, which the kernel fills with a page offset for its own use and user space
 * never reads, is written as 0. One producer thread, one open reservation. Nothing here
 * allocates, except once to grow the copy buffer for a record that runs past the end of a data
 * area that is not mapped twice.
 */
public final class RingWriter {
    private final RingMemory ring;
    private final ByteBuffer data;
    private final int mask;
    private final int reserve;
    private ByteBuffer copy;
    private ByteBuffer target;
    private int targetOffset;
    private int headerOffset;
    private int payloadOffset;
    private int length;
    private boolean open;

    /** User space's producer for a USER_RINGBUF (the {@code dispatched} ring), which may fill up entirely. */
    public RingWriter(RingMemory ring) {
        this(ring, false);
    }

    /**
     * The kernel's producer for a RINGBUF (the {@code queued} ring), for tests and benchmarks: like {@code bpf_ringbuf_reserve}/{@code _submit}, it never advances more
     * than {@code size - 1} bytes ahead of the consumer, so {@link RingReader} reads its records
     * exactly as it reads the kernel's.
     */
    public static RingWriter kernelSide(RingMemory ring) {
        return new RingWriter(ring, true);
    }

    private RingWriter(RingMemory ring, boolean keepOneByteFree) {
        this.ring = ring;
        this.data = ring.data();
        this.mask = ring.mask();
        this.reserve = keepOneByteFree ? 1 : 0;
    }

    /**
     * Reserves a record of {@code length} bytes, marked busy until submitted.
     *
     * @return the index in {@link #buffer()} where its payload goes, or {@link RingReader#NONE}
     *     when the ring has no room for it now
     */
    public int reserve(int length) {
        if (open) {
            throw new IllegalStateException("submit() or discard() the reserved record before reserving another");
        }
        if ((length & ~RingMemory.LENGTH_MASK) != 0 || RingMemory.recordSpan(length) > ring.dataSize()) {
            throw new IllegalArgumentException("A record of " + length + " bytes cannot fit a ring of " + ring.dataSize() + " bytes");
        }
        int span = RingMemory.recordSpan(length);
        long consumer = ring.consumerPosition();
        long producer = ring.producerPosition();
        long free = ring.dataSize() - reserve - (producer - consumer);
        if (span > free) {
            return RingReader.NONE;
        }
        headerOffset = (int) (producer & mask);
        data.putInt(headerOffset, length | RingMemory.BUSY_BIT);
        data.putInt(headerOffset + Integer.BYTES, 0);
        ring.publishProducerPosition(producer + span);

        this.length = length;
        payloadOffset = ring.payloadOffset(headerOffset);
        if (ring.contiguous(payloadOffset, length)) {
            target = data;
            targetOffset = payloadOffset;
        } else {
            copy = RingMemory.atLeast(copy, length);
            target = copy;
            targetOffset = 0;
        }
        open = true;
        return targetOffset;
    }

    /** Bytes written (reserved or submitted) that the consumer has not released yet, headers included. */
    public long unreadBytes() {
        return ring.producerPosition() - ring.consumerPosition();
    }

    /** The buffer (native byte order) to write the reserved payload into. */
    public ByteBuffer buffer() {
        return target;
    }

    /** Publishes the reserved record to the consumer. */
    public void submit() {
        commit(false);
    }

    /** Gives the reserved record up: the consumer skips it. */
    public void discard() {
        commit(true);
    }

    private void commit(boolean discard) {
        if (!open) {
            throw new IllegalStateException("no reserved record: call reserve() first");
        }
        open = false;
        if (target != data) {
            ring.copyIn(copy, payloadOffset, length);
        }
        ring.publishLengthWord(headerOffset, discard ? length | RingMemory.DISCARD_BIT : length);
    }
}
