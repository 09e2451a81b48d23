package org.scxjavaland.link;

import java.nio.ByteBuffer;

/**
 * The producer half of the ring protocol, shared by {@link RingWriter} (user space filling a
 * USER_RINGBUF) and {@link KernelRingWriter} (the simulated kernel filling a RINGBUF). They differ
 * only in how full the ring may get.
 *
 * <p>A record is reserved by writing its header with {@code BUSY} set and publishing the new
 * producer position; the payload is written; then the length word is published without
 * {@code BUSY} (and with {@code DISCARD} to drop it). One producer thread, one open reservation.
 */
final class RecordProducer {
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

    /**
     * @param keepOneByteFree true for a kernel-produced RINGBUF, whose producer never advances
     *     more than {@code size - 1} bytes ahead of the consumer; false for a USER_RINGBUF, which
     *     may fill up entirely
     */
    RecordProducer(RingMemory ring, boolean keepOneByteFree) {
        this.ring = ring;
        this.data = ring.data();
        this.mask = ring.mask();
        this.reserve = keepOneByteFree ? 1 : 0;
    }

    int reserve(int length) {
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

    ByteBuffer buffer() {
        return target;
    }

    void commit(boolean discard) {
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
