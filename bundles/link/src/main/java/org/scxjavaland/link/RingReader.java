package org.scxjavaland.link;

import java.nio.ByteBuffer;

/**
 * The consumer of a ring buffer: user space reading the kernel's {@code BPF_MAP_TYPE_RINGBUF}
 * (the {@code queued} ring), and, on the simulated machine, the kernel side reading the
 * {@code BPF_MAP_TYPE_USER_RINGBUF} user space writes (the {@code dispatched} ring). The protocol
 * is the same for both.
 *
 * <p>Use: {@link #next()} finds the next committed record; read its payload from
 * {@link #buffer()} at {@link #offset()}; then {@link #release()} it, which hands its space back
 * to the producer. Discarded records are skipped; a record still being written ({@code BUSY})
 * stops the reader, as do the records behind it. One thread reads a ring at a time. Nothing here
 * allocates, except once to grow the copy buffer for a record that runs past the end of a data
 * area that is not mapped twice.
 */
public final class RingReader {
    /** Returned by {@link #next()} when no committed record is ready. */
    public static final int NONE = -1;

    private final RingMemory ring;
    private final int mask;
    private ByteBuffer copy;
    private ByteBuffer current;
    private int currentOffset;
    private long currentEnd;
    private boolean holding;

    public RingReader(RingMemory ring) {
        this.ring = ring;
        this.mask = ring.mask();
    }

    /**
     * Moves to the next committed record, releasing any discarded ones on the way.
     *
     * @return its payload length in bytes, or {@link #NONE} when the ring is empty or the next
     *     record is still being written
     * @throws IllegalStateException if the previous record was not released, or a record header
     *     claims more bytes than the producer published (the ring is corrupt)
     */
    public int next() {
        if (holding) {
            throw new IllegalStateException("release() the current record before reading the next one");
        }
        long consumer = ring.consumerPosition();
        long producer = ring.producerPosition();
        while (producer - consumer > 0) {
            int headerOffset = (int) (consumer & mask);
            int word = ring.lengthWord(headerOffset);
            if ((word & RingMemory.BUSY_BIT) != 0) {
                return NONE;
            }
            int length = word & RingMemory.LENGTH_MASK;
            int span = RingMemory.recordSpan(length);
            if (span > producer - consumer) {
                throw new IllegalStateException("A ring record of " + length + " bytes runs past the producer position: the ring is corrupt");
            }
            if ((word & RingMemory.DISCARD_BIT) != 0) {
                consumer += span;
                ring.publishConsumerPosition(consumer);
                continue;
            }
            locate(ring.payloadOffset(headerOffset), length);
            currentEnd = consumer + span;
            holding = true;
            return length;
        }
        return NONE;
    }

    private void locate(int payloadOffset, int length) {
        if (ring.contiguous(payloadOffset, length)) {
            current = ring.data();
            currentOffset = payloadOffset;
        } else {
            copy = RingMemory.atLeast(copy, length);
            ring.copyOut(payloadOffset, length, copy);
            current = copy;
            currentOffset = 0;
        }
    }

    /** The buffer (native byte order) holding the current record's payload; valid until {@link #release()}. */
    public ByteBuffer buffer() {
        return current;
    }

    /** Index of the current record's payload in {@link #buffer()}. */
    public int offset() {
        return currentOffset;
    }

    /** Gives the current record's space back to the producer (publishes the consumer position). */
    public void release() {
        if (!holding) {
            throw new IllegalStateException("no record to release: call next() first");
        }
        holding = false;
        ring.publishConsumerPosition(currentEnd);
    }
}
