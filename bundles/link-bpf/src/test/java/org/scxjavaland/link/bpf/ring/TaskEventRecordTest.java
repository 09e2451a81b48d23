package org.scxjavaland.link.bpf.ring;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.scxjavaland.link.TaskEventSink;

public class TaskEventRecordTest {

    @Test
    public void anEventWrittenAsTheBpfSideDoesReadsBackFieldByField() {
        ByteBuffer buffer = ByteBuffer.allocate(8 + TaskEventRecord.SIZE).order(ByteOrder.nativeOrder());
        byte[] name = "kworker/0:1".getBytes(StandardCharsets.US_ASCII);
        TaskEventRecord.encode(buffer, 8, TaskEventSink.KIND_PREEMPTED, 123_456_789_012L, 4242, 4200, 3, 1024, 1, name);
        List<String> seen = new ArrayList<>();
        byte[] comm = new byte[16];
        TaskEventRecord.decode(buffer, 8, comm, (kind, ts, pid, tgid, cpu, weight, nrCpusAllowed, c) ->
                seen.add(kind + " " + ts + " " + pid + " " + tgid + " " + cpu + " " + weight + " " + nrCpusAllowed));
        assertEquals(List.of("4 123456789012 4242 4200 3 1024 1"), seen);
        assertArrayEquals(Arrays.copyOf(name, 16), comm);
    }

    @Test
    public void theOffsetsNameEveryFieldOfTheCStruct() {
        assertEquals(8, TaskEventRecord.offsets().size());
        assertEquals(Integer.valueOf(40), TaskEventRecord.offsets().get("comm"));
    }
}
