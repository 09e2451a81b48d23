package org.scxjavaland.link.bpf.ring;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The consumer of a ring buffer: user space reading the kernel's {@code BPF_MAP_TYPE_RINGBUF}
 * (the {@code queued} ring and the {@code task_events} ring), and, in tests and benchmarks that
 * stand in for the kernel, the kernel side reading the {@code BPF_MAP_TYPE_USER_RINGBUF} user
 * space writes (the {@code dispatched} ring). The protocol is the same for both. (The simulated
 * machine passes records in its own arrays, not through rings.)
 *
 * <p>Use: {@link #next()} finds the next committed record; read its payload from
 * {@link #buffer()} at {@link #offset()}; then {@link #release()} it, which hands its space back
 * to the producer. Discarded records are skipped; a record still being written ({@code BUSY})
 * stops the reader, as do the records behind it. One thread reads a ring at a time. Nothing here
 * allocates, except once to grow the copy buffer for a record that runs past the end of a data
 * area that is not mapped twice.
 *
 * <p><b>Records of one size.</b> A reader told that every record has {@code recordLength} bytes
 * (the {@code queued} ring: the BPF side always reserves one {@code jl_queued_task}) survives a
 * damaged ring instead of throwing: the producer reserved that many bytes for each record, so a
 * header claiming another length, or claiming more than was published, is one bad record, skipped
 * by the one span the producer did reserve; a record still marked {@code BUSY} after
 * {@link #STUCK_BUSY_NS} (a BPF program writes one in microseconds) is skipped the same way; and
 * producer and consumer positions further apart than the ring is large leave the ring unread
 * until they agree again. Each is counted ({@link #badRecords()}, {@link #lastBadRecord()});
 * whoever owns the reader logs them. Records behind a bad one are read as usual.
 */
public final class RingReader {
    /** Returned by {@link #next()} when no committed record is ready. */
    public static final int NONE = -1;
    /** How long a record of a one-size ring may stay {@code BUSY} before it counts as bad. */
    public static final long STUCK_BUSY_NS = 1_000_000_000L;

    private final RingMemory ring;
    private final int mask;
    /** The length of every record, or 0 when records come in any length. */
    private final int recordLength;
    private final LongSupplier nanoClock;
    private ByteBuffer copy;
    private ByteBuffer current;
    private int currentOffset;
    private long currentEnd;
    private boolean holding;

    // Damage seen so far (one-size rings only).
    private long badRecords;
    private long discardedRecords;
    private String lastBadRecord;
    private long busyPosition = -1;
    private long busySinceNs;
    private boolean positionsBad;

    /** A reader of records of any length; a damaged ring makes {@link #next()} throw. */
    public RingReader(RingMemory ring) {
        this(ring, 0, System::nanoTime);
    }

    /**
     * A reader of a ring whose records all have {@code recordLength} bytes: it skips and counts
     * damaged records instead of throwing (see the class comment).
     */
    public RingReader(RingMemory ring, int recordLength) {
        this(ring, recordLength, System::nanoTime);
    }

    /**
     * As {@link #RingReader(RingMemory, int)}, with the clock that times a record stuck
     * {@code BUSY} (in ns; a test's own clock).
     */
    public RingReader(RingMemory ring, int recordLength, LongSupplier nanoClock) {
        if (recordLength < 0 || (recordLength > 0 && RingMemory.recordSpan(recordLength) > ring.dataSize())) {
            throw new IllegalArgumentException("Records of " + recordLength + " bytes do not fit a ring of "
                    + ring.dataSize() + " bytes.");
        }
        this.ring = ring;
        this.mask = ring.mask();
        this.recordLength = recordLength;
        this.nanoClock = nanoClock;
    }

    /**
     * Moves to the next committed record, releasing any discarded ones on the way (and, for a
     * ring of one record size, skipping damaged ones).
     *
     * @return its payload length in bytes, or {@link #NONE} when the ring is empty or the next
     *     record is still being written
     * @throws IllegalStateException if the previous record was not released, or (records of any
     *     length) a record header claims more bytes than the producer published (the ring is corrupt)
     */
    public int next() {
        if (holding) {
            throw new IllegalStateException("release() the current record before reading the next one");
        }
        long consumer = ring.consumerPosition();
        long producer = ring.producerPosition();
        if (recordLength > 0 && !positionsAgree(producer - consumer)) {
            return NONE;
        }
        while (producer - consumer > 0) {
            int headerOffset = (int) (consumer & mask);
            int word = ring.lengthWord(headerOffset);
            if ((word & RingMemory.BUSY_BIT) != 0) {
                if (recordLength == 0 || !stuck(consumer)) {
                    return NONE;
                }
                consumer = skipBad(consumer, producer, "a record stayed busy (uncommitted) for over "
                        + STUCK_BUSY_NS / 1_000_000 + " ms");
                continue;
            }
            int length = word & RingMemory.LENGTH_MASK;
            int span = RingMemory.recordSpan(length);
            if (recordLength > 0 && length != recordLength) {
                consumer = skipBad(consumer, producer, (word & RingMemory.DISCARD_BIT) != 0
                        ? "a discarded record's header claims a length other than the ring's records have"
                        : "a record's header claims a length other than the ring's records have");
                continue;
            }
            if (span > producer - consumer) {
                if (recordLength > 0) {
                    consumer = skipBad(consumer, producer, "a record runs past the producer position");
                    continue;
                }
                throw new IllegalStateException("A ring record of " + length + " bytes runs past the producer position: the ring is corrupt");
            }
            if ((word & RingMemory.DISCARD_BIT) != 0) {
                discardedRecords++;
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

    /** Damaged records skipped so far (rings of one record size). */
    public long badRecords() {
        return badRecords;
    }

    /** Records the producer discarded, skipped as the protocol says (not counted as bad). */
    public long discardedRecords() {
        return discardedRecords;
    }

    /** What was wrong with the last damaged record, in words; null before any. */
    public String lastBadRecord() {
        return lastBadRecord;
    }

    /**
     * False while the positions are further apart than the ring is large (or the producer is
     * behind the consumer): nothing between them can be trusted. Counted once per such spell.
     */
    private boolean positionsAgree(long pending) {
        boolean agree = pending >= 0 && pending <= ring.dataSize();
        if (!agree && !positionsBad) {
            badRecords++;
            lastBadRecord = "the producer and consumer positions are " + pending + " bytes apart, in a ring of "
                    + ring.dataSize() + " bytes";
        }
        positionsBad = !agree;
        return agree;
    }

    /** True once the record at {@code position} has been busy for {@link #STUCK_BUSY_NS}. */
    private boolean stuck(long position) {
        long now = nanoClock.getAsLong();
        if (busyPosition != position) {
            busyPosition = position;
            busySinceNs = now;
            return false;
        }
        return now - busySinceNs >= STUCK_BUSY_NS;
    }

    /**
     * Skips the damaged record at {@code consumer}: the span the producer reserved for one record,
     * or up to the producer when less than that was published. Returns the new consumer position.
     */
    private long skipBad(long consumer, long producer, String why) {
        badRecords++;
        lastBadRecord = why;
        busyPosition = -1;
        long next = Math.min(consumer + RingMemory.recordSpan(recordLength), producer);
        ring.publishConsumerPosition(next);
        return next;
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
