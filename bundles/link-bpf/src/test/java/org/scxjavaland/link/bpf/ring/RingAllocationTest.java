package org.scxjavaland.link.bpf.ring;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.QueuedTask;

/** The rings and codecs sit on the scheduling path: once warm they must not allocate. */
public class RingAllocationTest {
    private static final int OPERATIONS = 200_000;

    private final RingMemory queuedRing = RingMemory.allocate(512);
    private final RingMemory dispatchedRing = RingMemory.allocate(256);
    private final RingWriter kernelWriter = RingWriter.kernelSide(queuedRing);
    private final RingReader userReader = new RingReader(queuedRing);
    private final RingWriter userWriter = new RingWriter(dispatchedRing);
    private final RingReader kernelReader = new RingReader(dispatchedRing);
    private final QueuedTask queued = new QueuedTask().comm("worker").weight(100).nrCpusAllowed(2);
    private final QueuedTask received = new QueuedTask();
    private final DispatchedTask dispatched = new DispatchedTask();
    private final DispatchedTask drained = new DispatchedTask();
    private long checksum;

    private void roundTrips(int count) {
        for (int i = 0; i < count; i++) {
            queued.pid(i).stopTs(i);
            QueuedRecord.write(kernelWriter, queued);
            QueuedRecord.read(userReader, received);
            dispatched.prepare(received).sliceNs(received.stopTs());
            DispatchedRecord.write(userWriter, dispatched);
            DispatchedRecord.read(kernelReader, drained);
            checksum += drained.pid();
        }
    }

    @Test
    public void decodingAndEncodingThroughTheRingsAllocatesNothingOnceWarm() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long thread = Thread.currentThread().getId();

        roundTrips(OPERATIONS);
        long before = threads.getThreadAllocatedBytes(thread);
        roundTrips(OPERATIONS);
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertEquals("every record went through", 2L * OPERATIONS * (OPERATIONS - 1) / 2, checksum);
        assertTrue("allocated " + allocated + " bytes over " + OPERATIONS + " round trips", allocated < 4096);
    }
}
