package org.scxjavaland.link;

import java.nio.ByteBuffer;

/**
 * User space's producer for a {@code BPF_MAP_TYPE_USER_RINGBUF} (the {@code dispatched} ring),
 * the counterpart of libbpf's {@code user_ring_buffer__reserve}/{@code __submit}.
 *
 * <p>Use: {@link #reserve} room for a record, write its payload into {@link #buffer()} at the
 * returned offset, then {@link #submit()} it (or {@link #discard()} it). The ring may fill up
 * completely; a full ring refuses the reservation. One thread writes a ring at a time. Nothing
 * here allocates, except once to grow the copy buffer for a record that runs past the end of a
 * data area that is not mapped twice.
 */
public final class RingWriter {
    private final RecordProducer producer;

    public RingWriter(RingMemory ring) {
        this.producer = new RecordProducer(ring, false);
    }

    /**
     * Reserves a record of {@code length} bytes, marked busy until submitted.
     *
     * @return the index in {@link #buffer()} where its payload goes, or {@link RingReader#NONE}
     *     when the ring has no room for it now
     */
    public int reserve(int length) {
        return producer.reserve(length);
    }

    /** The buffer (native byte order) to write the reserved payload into. */
    public ByteBuffer buffer() {
        return producer.buffer();
    }

    /** Publishes the reserved record to the consumer. */
    public void submit() {
        producer.commit(false);
    }

    /** Gives the reserved record up: the consumer skips it. */
    public void discard() {
        producer.commit(true);
    }
}
