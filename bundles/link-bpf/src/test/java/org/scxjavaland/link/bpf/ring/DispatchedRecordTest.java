package org.scxjavaland.link.bpf.ring;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.Test;
import org.scxjavaland.api.DispatchedTask;

public class DispatchedRecordTest {

    @Test
    public void encodesEachFieldAtItsDocumentedOffsetAndNothingElse() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 64; i++) {
            buffer.put(i, (byte) 0x5A);
        }
        DispatchedTask task = new DispatchedTask().pid(99).cpu(DispatchedTask.CPU_ANY).flags(4).sliceNs(5_000_000L)
                .vtime(1L << 50).enqCnt(17);

        DispatchedRecord.encode(task, buffer, 8);

        assertEquals(99, buffer.getInt(8));
        assertEquals(1 << 20, buffer.getInt(12));
        assertEquals(4L, buffer.getLong(16));
        assertEquals(5_000_000L, buffer.getLong(24));
        assertEquals(1L << 50, buffer.getLong(32));
        assertEquals(17L, buffer.getLong(40));
        assertEquals(0x5A5A5A5A5A5A5A5AL, buffer.getLong(0));
        assertEquals(0x5A5A5A5A5A5A5A5AL, buffer.getLong(48));
    }

    @Test
    public void decodesWhatWasEncoded() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(DispatchedRecord.SIZE).order(ByteOrder.nativeOrder());
        DispatchedTask task = new DispatchedTask().pid(-1).cpu(3).flags(-2L).sliceNs(0).vtime(Long.MIN_VALUE).enqCnt(-3L);
        DispatchedRecord.encode(task, buffer, 0);

        DispatchedTask back = new DispatchedTask();
        DispatchedRecord.decode(buffer, 0, back);

        assertEquals(task.toString(), back.toString());
    }
}
