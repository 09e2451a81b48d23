package org.scxjavaland.link;

import java.nio.ByteBuffer;

/**
 * The kernel's producer for a {@code BPF_MAP_TYPE_RINGBUF} (the {@code queued} ring), written in
 * Java for the simulated machine, tests and benchmarks: it lays records out as
 * {@code bpf_ringbuf_reserve}/{@code _submit}/{@code _discard} do, so {@link RingReader} reads
 * them exactly as it reads the kernel's.
 *
 * <p>As in the kernel, the producer never gets more than {@code size - 1} bytes ahead of the
 * consumer. The second header word, which the kernel fills with a page offset for its own use and
 * user space never reads, is written as 0. One thread writes a ring at a time.
 */
public final class KernelRingWriter {
    private final RecordProducer producer;

    public KernelRingWriter(RingMemory ring) {
        this.producer = new RecordProducer(ring, true);
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
