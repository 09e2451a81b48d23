package org.scxjavaland.link.bpf.ring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.ByteBuffer;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

public class RingTest {

    private static QueuedTask queued(int i) {
        return new QueuedTask().pid(1000 + i).cpu(i % 4).nrCpusAllowed(4).flags(i).startTs(10L * i).stopTs(10L * i + 7)
                .execRuntime(i * 3L).weight(100 + i).vtime(1L << 33 | i).enqCnt(i).comm("task-" + i);
    }

    private static DispatchedTask dispatched(int i) {
        return new DispatchedTask().pid(2000 + i).cpu(i % 3).flags(i).sliceNs(1_000_000L + i).vtime(5L * i).enqCnt(i);
    }

    private static boolean payloadRunsPastEnd(RingMemory ring, int length) {
        int header = (int) (ring.producerPosition() & (ring.dataSize() - 1));
        int payload = (header + RingMemory.HEADER_SIZE) & (ring.dataSize() - 1);
        return payload + length > ring.dataSize();
    }

    @Test
    public void queuedRecordsComeOutInTheOrderTheKernelWroteThem() {
        RingMemory ring = RingMemory.allocate(4096);
        RingWriter kernel = RingWriter.kernelSide(ring);
        RingReader reader = new RingReader(ring);
        for (int i = 0; i < 20; i++) {
            assertTrue(QueuedRecord.write(kernel, queued(i)));
        }
        assertEquals(20L * RingMemory.recordSpan(QueuedRecord.SIZE), ring.pendingBytes());

        QueuedTask into = new QueuedTask();
        for (int i = 0; i < 20; i++) {
            assertTrue(QueuedRecord.read(reader, into));
            assertEquals(queued(i).toString(), into.toString());
        }
        assertFalse(QueuedRecord.read(reader, into));
        assertEquals(0L, ring.pendingBytes());
    }

    @Test
    public void recordsThatRunPastTheEndOfTheDataAreaArriveIntact() {
        RingMemory ring = RingMemory.allocate(256);
        RingWriter kernel = RingWriter.kernelSide(ring);
        RingReader reader = new RingReader(ring);
        QueuedTask into = new QueuedTask();
        int wrapped = 0;
        for (int i = 0; i < 200; i += 2) {
            for (int k = i; k < i + 2; k++) {
                wrapped += payloadRunsPastEnd(ring, QueuedRecord.SIZE) ? 1 : 0;
                assertTrue(QueuedRecord.write(kernel, queued(k)));
            }
            for (int k = i; k < i + 2; k++) {
                assertTrue(QueuedRecord.read(reader, into));
                assertEquals(queued(k).toString(), into.toString());
            }
        }
        assertTrue("the test should have wrapped records around the end", wrapped > 10);
        assertEquals(200L * 96, ring.consumerPosition());
    }

    @Test
    public void dispatchedRecordsRoundTripThroughTheUserRingAcrossItsEnd() {
        RingMemory ring = RingMemory.allocate(256);
        RingWriter user = new RingWriter(ring);
        RingReader kernel = new RingReader(ring);
        DispatchedTask into = new DispatchedTask();
        int wrapped = 0;
        for (int round = 0; round < 40; round++) {
            for (int k = 0; k < 5; k++) {
                wrapped += payloadRunsPastEnd(ring, DispatchedRecord.SIZE) ? 1 : 0;
                assertTrue(DispatchedRecord.write(user, dispatched(round * 5 + k)));
            }
            for (int k = 0; k < 5; k++) {
                assertTrue(DispatchedRecord.read(kernel, into));
                assertEquals(dispatched(round * 5 + k).toString(), into.toString());
            }
            assertFalse(DispatchedRecord.read(kernel, into));
        }
        assertTrue("the test should have wrapped records around the end", wrapped > 10);
    }

    @Test
    public void discardedRecordsAreSkippedAndTheirSpaceReleased() {
        RingMemory ring = RingMemory.allocate(1024);
        RingWriter kernel = RingWriter.kernelSide(ring);
        RingReader reader = new RingReader(ring);
        kernel.reserve(QueuedRecord.SIZE);
        kernel.discard();
        QueuedRecord.write(kernel, queued(1));
        kernel.reserve(QueuedRecord.SIZE);
        kernel.discard();
        kernel.reserve(QueuedRecord.SIZE);
        kernel.discard();

        QueuedTask into = new QueuedTask();
        assertTrue(QueuedRecord.read(reader, into));
        assertEquals(1001, into.pid());
        assertFalse(QueuedRecord.read(reader, into));
        assertEquals(ring.producerPosition(), ring.consumerPosition());
    }

    @Test
    public void aRecordStillBeingWrittenStopsTheReaderUntilSubmitted() {
        RingMemory ring = RingMemory.allocate(1024);
        RingWriter firstCpu = RingWriter.kernelSide(ring);
        RingWriter secondCpu = RingWriter.kernelSide(ring);
        RingReader reader = new RingReader(ring);
        int slow = firstCpu.reserve(QueuedRecord.SIZE);
        assertTrue(QueuedRecord.write(secondCpu, queued(2)));

        assertEquals(RingReader.NONE, reader.next());
        assertEquals(0L, ring.consumerPosition());

        QueuedRecord.encode(queued(1), firstCpu.buffer(), slow);
        firstCpu.submit();
        QueuedTask into = new QueuedTask();
        assertTrue(QueuedRecord.read(reader, into));
        assertEquals(1001, into.pid());
        assertTrue(QueuedRecord.read(reader, into));
        assertEquals(1002, into.pid());
    }

    @Test
    public void aUserRingFillsUpCompletelyThenRefuses() {
        RingMemory ring = RingMemory.allocate(256);
        RingWriter user = new RingWriter(ring);
        int fitted = 0;
        while (user.reserve(24) != RingReader.NONE) {
            user.submit();
            fitted++;
        }
        assertEquals(256 / 32, fitted);
        long producer = ring.producerPosition();
        assertFalse(DispatchedRecord.write(user, dispatched(0)));
        assertEquals("a refused record writes nothing", producer, ring.producerPosition());

        RingReader kernel = new RingReader(ring);
        kernel.next();
        kernel.release();
        assertTrue(user.reserve(24) != RingReader.NONE);
    }

    @Test
    public void theKernelRingKeepsOneByteFreeLikeTheKernel() {
        RingMemory ring = RingMemory.allocate(256);
        RingWriter kernel = RingWriter.kernelSide(ring);
        int fitted = 0;
        while (kernel.reserve(24) != RingReader.NONE) {
            kernel.submit();
            fitted++;
        }
        assertEquals(255 / 32, fitted);
    }

    @Test
    public void aRecordLargerThanTheRingIsAnError() {
        RingWriter user = new RingWriter(RingMemory.allocate(64));
        try {
            user.reserve(64);
            fail("a 64-byte record plus its header cannot fit a 64-byte ring");
        } catch (IllegalArgumentException expected) {
            // the message names both sizes
        }
    }

    @Test
    public void aHeaderClaimingMoreThanWasPublishedIsReportedAsCorrupt() {
        RingMemory ring = RingMemory.allocate(256);
        RingWriter kernel = RingWriter.kernelSide(ring);
        kernel.reserve(16);
        kernel.submit();
        ring.data().putInt(0, 100);
        try {
            new RingReader(ring).next();
            fail("a 100-byte record cannot fit the 24 bytes published");
        } catch (IllegalStateException expected) {
            // the ring is corrupt
        }
    }

    @Test
    public void aDoubleMappedDataAreaIsReadInPlace() {
        int size = 256;
        ByteBuffer consumer = ByteBuffer.allocateDirect(8);
        ByteBuffer producer = ByteBuffer.allocateDirect(8);
        ByteBuffer data = ByteBuffer.allocateDirect(2 * size);
        RingMemory ring = RingMemory.of(consumer, producer, data, size);
        RingWriter kernel = RingWriter.kernelSide(ring);
        RingReader reader = new RingReader(ring);
        QueuedTask into = new QueuedTask();
        int readInTheMirror = 0;
        for (int i = 0; i < 30; i++) {
            QueuedRecord.write(kernel, queued(i));
            int length = reader.next();
            readInTheMirror += reader.offset() + length > size ? 1 : 0;
            QueuedRecord.decode(reader.buffer(), reader.offset(), into);
            reader.release();
            assertEquals(queued(i).toString(), into.toString());
        }
        assertTrue(readInTheMirror > 0);
    }

    @Test
    public void aDataAreaLargerThanTheRingButNotMappedTwiceStillWrapsAtItsSize() {
        int size = 256;
        ByteBuffer consumer = ByteBuffer.allocateDirect(8);
        ByteBuffer producer = ByteBuffer.allocateDirect(8);
        ByteBuffer data = ByteBuffer.allocateDirect(size + 128);
        RingWriter kernel = RingWriter.kernelSide(RingMemory.of(consumer, producer, data.slice(0, size), size));
        RingReader reader = new RingReader(RingMemory.of(consumer, producer, data, size));
        QueuedTask into = new QueuedTask();
        for (int i = 0; i < 30; i++) {
            QueuedRecord.write(kernel, queued(i));
            assertTrue(QueuedRecord.read(reader, into));
            assertEquals(queued(i).toString(), into.toString());
        }
    }

    @Test
    public void readingTheNextRecordBeforeReleasingTheCurrentIsAnError() {
        RingMemory ring = RingMemory.allocate(256);
        QueuedRecord.write(RingWriter.kernelSide(ring), queued(0));
        RingReader reader = new RingReader(ring);
        reader.next();
        try {
            reader.next();
            fail("next() twice without release()");
        } catch (IllegalStateException expected) {
            // the record stays current
        }
    }
}
