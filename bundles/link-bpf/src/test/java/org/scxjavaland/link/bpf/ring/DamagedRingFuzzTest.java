package org.scxjavaland.link.bpf.ring;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.scxjavaland.api.QueuedTask;

/**
 * Fuzzes the decoding of the {@code queued} ring with damaged headers and payloads, as a kernel
 * side with a bug (or a memory fault) could leave them: random payload bytes, length words with
 * any bits, records left busy, discarded records, a producer position that tears a record. The
 * reader must never throw, must hand out every intact record exactly as written and in order,
 * and must count each damaged one once.
 *
 * <p>The test plays the kernel's producer on ring memory of its own (so it can write any bytes),
 * in batches that fit the ring, each read out before the next, as the BPF side and the scheduling
 * thread take turns.
 */
public class DamagedRingFuzzTest {

    private static final int RING_SIZE = 4096;
    private static final int SPAN = RingMemory.recordSpan(QueuedRecord.SIZE);
    /** Records in one batch: what fits the ring with one byte free, as bpf_ringbuf_reserve keeps it. */
    private static final int BATCH = (RING_SIZE - 1) / SPAN;
    private static final AtomicLong RECORDS_FUZZED = new AtomicLong();
    private static final AtomicLong DAMAGED_FUZZED = new AtomicLong();

    /** What the producer does for one record. */
    enum Damage {
        NONE,
        /** The length word has other bits (any length but 88, possibly DISCARD too, never BUSY). */
        LENGTH,
        /** Reserved and never committed: BUSY stays set. */
        STUCK_BUSY,
        /** Committed with DISCARD set and the right length: the protocol says skip it (not damage). */
        DISCARDED,
        /** The producer position published in the middle of the record (only last in a batch). */
        TORN
    }

    record Op(Damage damage, byte[] payload, int lengthWord, int tornBytes) {
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Damage> damage = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, Damage.NONE), net.jqwik.api.Tuple.of(2, Damage.LENGTH),
                net.jqwik.api.Tuple.of(1, Damage.STUCK_BUSY), net.jqwik.api.Tuple.of(1, Damage.DISCARDED),
                net.jqwik.api.Tuple.of(1, Damage.TORN));
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofSize(QueuedRecord.SIZE);
        Arbitrary<Integer> lengthWord = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 4 * QueuedRecord.SIZE),
                Arbitraries.integers().between(0, RingMemory.LENGTH_MASK),
                Arbitraries.integers());
        Arbitrary<Integer> torn = Arbitraries.integers().between(1, SPAN / 8 - 1).map(n -> n * 8);
        return Combinators.combine(damage, payload, lengthWord, torn).as(Op::new);
    }

    @Property(tries = 1000)
    void everyIntactRecordComesOutAsWrittenAndEachDamagedOneIsCountedOnce(
            @ForAll @Size(min = 1, max = 200) List<@net.jqwik.api.From("ops") Op> ops,
            @ForAll @IntRange(min = 0, max = 200) int startPosition) {
        KernelStandIn kernel = new KernelStandIn(RING_SIZE, startPosition * 8L);
        AtomicLong clock = new AtomicLong();
        RingReader reader = new RingReader(kernel.memory, QueuedRecord.SIZE, clock::get);
        List<byte[]> expected = new ArrayList<>();
        List<byte[]> read = new ArrayList<>();
        long damaged = 0;
        long discarded = 0;

        int i = 0;
        while (i < ops.size()) {
            // One batch: records that fit, a torn one only last, then the reader takes them all.
            int inBatch = 0;
            while (i < ops.size() && inBatch < BATCH) {
                Op op = ops.get(i++);
                inBatch++;
                switch (op.damage) {
                    case NONE -> {
                        kernel.write(op.payload, QueuedRecord.SIZE);
                        expected.add(op.payload);
                    }
                    case LENGTH -> {
                        int word = op.lengthWord & ~RingMemory.BUSY_BIT;
                        if ((word & RingMemory.LENGTH_MASK) == QueuedRecord.SIZE) {
                            word ^= 8;  // the right length would not be damage
                        }
                        kernel.write(op.payload, word);
                        damaged++;
                    }
                    case STUCK_BUSY -> {
                        kernel.write(op.payload, QueuedRecord.SIZE | RingMemory.BUSY_BIT);
                        damaged++;
                    }
                    case DISCARDED -> {
                        kernel.write(op.payload, QueuedRecord.SIZE | RingMemory.DISCARD_BIT);
                        discarded++;
                    }
                    case TORN -> {
                        kernel.tear(op.payload, op.lengthWord, op.tornBytes);
                        damaged++;
                        inBatch = BATCH;   // nothing may follow it before the reader catches up
                    }
                }
                RECORDS_FUZZED.incrementAndGet();
            }
            kernel.publish();
            drain(reader, kernel, clock, read);
        }

        assertEquals("intact records read", expected.size(), read.size());
        for (int k = 0; k < expected.size(); k++) {
            assertArrayEquals("record " + k, expected.get(k), read.get(k));
        }
        assertEquals(damaged, reader.badRecords());
        assertEquals(discarded, reader.discardedRecords());
        assertEquals("everything published was consumed", kernel.producer(), kernel.memory.consumerPosition());
        DAMAGED_FUZZED.addAndGet(damaged);
    }

    @Property(tries = 200)
    void positionsFurtherApartThanTheRingIsLargeAreCountedOnceAndReadingResumesWhenTheyAgree(
            @ForAll @IntRange(min = 1, max = 1 << 20) int jump, @ForAll boolean behind) {
        KernelStandIn kernel = new KernelStandIn(RING_SIZE, 0);
        RingReader reader = new RingReader(kernel.memory, QueuedRecord.SIZE);
        byte[] payload = new byte[QueuedRecord.SIZE];
        payload[0] = 42;
        kernel.write(payload, QueuedRecord.SIZE);
        kernel.publish();
        long good = kernel.producer();
        kernel.publishAt(behind ? -jump : good + RING_SIZE + jump);
        QueuedTask into = new QueuedTask();
        assertFalse(QueuedRecord.read(reader, into));
        assertFalse(QueuedRecord.read(reader, into));
        assertEquals("counted once while it lasts", 1, reader.badRecords());
        kernel.publishAt(good);
        assertTrue(QueuedRecord.read(reader, into));
        assertEquals(42, into.pid() & 0xff);
        assertEquals(1, reader.badRecords());
        RECORDS_FUZZED.incrementAndGet();
        DAMAGED_FUZZED.incrementAndGet();
    }

    @AfterContainer
    static void report() {
        System.out.println("queued ring fuzzing: " + RECORDS_FUZZED.get() + " records, " + DAMAGED_FUZZED.get()
                + " of them damaged (each counted once, no exception)");
    }

    /** Reads until the ring is empty, letting the test's clock pass a stuck record's limit when one blocks it. */
    private static void drain(RingReader reader, KernelStandIn kernel, AtomicLong clock, List<byte[]> read) {
        QueuedTask into = new QueuedTask();
        ByteBuffer back = ByteBuffer.allocate(QueuedRecord.SIZE).order(ByteOrder.nativeOrder());
        int waits = 0;
        while (kernel.memory.consumerPosition() != kernel.producer()) {
            if (QueuedRecord.read(reader, into)) {
                QueuedRecord.encode(into, back, 0);
                read.add(back.array().clone());
            } else {
                assertTrue("the reader stopped short of the producer", ++waits <= BATCH);
                clock.addAndGet(RingReader.STUCK_BUSY_NS);
            }
        }
        assertFalse(QueuedRecord.read(reader, into));
    }

    /**
     * The kernel's producer, on memory the test owns: it writes any header word and payload bytes,
     * as {@code bpf_ringbuf_reserve} places them (one span of 96 bytes per record), and publishes
     * the producer position when told.
     */
    static final class KernelStandIn {
        final ByteBuffer consumerPage = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        final ByteBuffer producerPage = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        final ByteBuffer data;
        final RingMemory memory;
        private final int size;
        private long position;

        KernelStandIn(int size, long start) {
            this.size = size;
            this.data = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            this.memory = RingMemory.of(consumerPage, producerPage, data, size);
            consumerPage.putLong(0, start);
            producerPage.putLong(0, start);
            position = start;
        }

        /** A record of one span: header word {@code lengthWord}, then the payload. */
        void write(byte[] payload, int lengthWord) {
            place(payload, lengthWord);
            position += SPAN;
        }

        /** A record whose span the producer position cuts after {@code bytes}. */
        void tear(byte[] payload, int lengthWord, int bytes) {
            place(payload, lengthWord);
            position += bytes;
        }

        private void place(byte[] payload, int lengthWord) {
            int header = (int) (position & (size - 1));
            data.putInt(header, lengthWord);
            data.putInt(header + 4, 0);
            for (int b = 0; b < payload.length; b++) {
                data.put((header + RingMemory.HEADER_SIZE + b) & (size - 1), payload[b]);
            }
        }

        void publish() {
            producerPage.putLong(0, position);
        }

        void publishAt(long at) {
            producerPage.putLong(0, at);
        }

        long producer() {
            return producerPage.getLong(0);
        }
    }
}
