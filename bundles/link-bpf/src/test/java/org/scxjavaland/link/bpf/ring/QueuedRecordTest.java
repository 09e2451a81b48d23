package org.scxjavaland.link.bpf.ring;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.Test;
import org.scxjavaland.api.QueuedTask;

public class QueuedRecordTest {
    private static final byte FILL = 0x5A;

    private static ByteBuffer filledBuffer(int size) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        for (int i = 0; i < size; i++) {
            buffer.put(i, FILL);
        }
        return buffer;
    }

    @Test
    public void decodesEachFieldFromItsDocumentedOffset() {
        ByteBuffer buffer = filledBuffer(200);
        int base = 16;
        buffer.putInt(base, -42).putInt(base + 4, 3).putLong(base + 8, 8).putLong(base + 16, 0x10L)
                .putLong(base + 24, 1_000L).putLong(base + 32, 3_500L).putLong(base + 40, 77_000L)
                .putLong(base + 48, 250L).putLong(base + 56, 1L << 40).putLong(base + 64, 9L);
        byte[] name = "kworker/0:1H-xx".getBytes();
        for (int i = 0; i < 16; i++) {
            buffer.put(base + 72 + i, i < name.length ? name[i] : 0);
        }

        QueuedTask task = new QueuedTask();
        QueuedRecord.decode(buffer, base, task);

        assertEquals(-42, task.pid());
        assertEquals(3, task.cpu());
        assertEquals(8, task.nrCpusAllowed());
        assertEquals(0x10L, task.flags());
        assertEquals(1_000L, task.startTs());
        assertEquals(3_500L, task.stopTs());
        assertEquals(77_000L, task.execRuntime());
        assertEquals(250L, task.weight());
        assertEquals(1L << 40, task.vtime());
        assertEquals(9L, task.enqCnt());
        assertEquals("kworker/0:1H-xx", task.comm());
    }

    @Test
    public void encodesWithinItsEightyEightBytesAndRoundTrips() {
        ByteBuffer buffer = filledBuffer(200);
        int base = 24;
        QueuedTask task = new QueuedTask().pid(1234).cpu(7).nrCpusAllowed(1).flags(-1L).startTs(Long.MAX_VALUE)
                .stopTs(-5L).execRuntime(123_456_789L).weight(10_000).vtime(0xCAFEBABEL).enqCnt(3).comm("bash");

        QueuedRecord.encode(task, buffer, base);

        for (int i = 0; i < buffer.capacity(); i++) {
            if (i < base || i >= base + QueuedRecord.SIZE) {
                assertEquals("byte " + i + " outside the record", FILL, buffer.get(i));
            }
        }
        assertEquals(10_000L, buffer.getLong(base + 48));
        assertEquals(-5L, buffer.getLong(base + 32));
        assertEquals((byte) 'b', buffer.get(base + 72));
        assertEquals(0, buffer.get(base + 76));

        QueuedTask back = new QueuedTask();
        QueuedRecord.decode(buffer, base, back);
        assertEquals(task.toString(), back.toString());
    }

    @Test
    public void theCommKeepsItsByteOrderInABufferOfEitherOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer buffer = ByteBuffer.allocate(QueuedRecord.SIZE).order(order);
            byte[] name = "kworker/u8:2-ev".getBytes();
            for (int i = 0; i < name.length; i++) {
                buffer.put(72 + i, name[i]);
            }
            QueuedTask task = new QueuedTask();
            QueuedRecord.decode(buffer, 0, task);
            assertEquals(order.toString(), "kworker/u8:2-ev", task.comm());

            ByteBuffer copy = ByteBuffer.allocate(QueuedRecord.SIZE).order(order);
            QueuedRecord.encode(task, copy, 0);
            for (int i = 0; i < 16; i++) {
                assertEquals(order + " byte " + i, buffer.get(72 + i), copy.get(72 + i));
            }
        }
    }
}
