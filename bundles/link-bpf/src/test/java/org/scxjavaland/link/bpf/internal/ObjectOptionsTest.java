package org.scxjavaland.link.bpf.internal;

import static org.junit.Assert.assertEquals;

import com.sun.jna.Memory;
import org.junit.Test;
import org.scxjavaland.link.bpf.BpfOptions;
import org.scxjavaland.link.bpf.internal.BpfLayout.Config;

/** The options as the BPF side and the kernel find them, written into memory laid out as the object's. */
public class ObjectOptionsTest {

    /** Where this test's struct_ops data keeps each field (the BPF side says where in cfg). */
    private static final int FLAGS = 0;
    private static final int EXIT_DUMP_LEN = 8;
    private static final int TIMEOUT_MS = 12;
    private static final int HOTPLUG_SEQ = 16;

    private final Memory cfg = zeroed(Config.SIZE);
    private final Memory ops = zeroed(24);

    private static Memory zeroed(int size) {
        Memory memory = new Memory(size);
        memory.clear();
        return memory;
    }

    private void laidOutAsTheObject() {
        cfg.setInt(Config.OPS_FLAGS_OFF, FLAGS);
        cfg.setInt(Config.OPS_EXIT_DUMP_LEN_OFF, EXIT_DUMP_LEN);
        cfg.setInt(Config.OPS_TIMEOUT_MS_OFF, TIMEOUT_MS);
        cfg.setInt(Config.OPS_HOTPLUG_SEQ_OFF, HOTPLUG_SEQ);
        ops.setLong(FLAGS, ObjectOptions.SCX_OPS_ENQ_LAST);
    }

    @Test
    public void theConfigHoldsTheOptionsAndTheHostsProcess() {
        BpfOptions options = new BpfOptions(250, true, false, 65536, true, false, false, 5000, 300);
        ObjectOptions.writeConfig(options, cfg, 4242);
        assertEquals(250_000, cfg.getLong(Config.SLICE_NS));
        assertEquals(4242, cfg.getInt(Config.HOST_TGID));
        assertEquals(65536, cfg.getInt(Config.EXIT_DUMP_LEN));
        assertEquals(0, cfg.getByte(Config.BUILTIN_IDLE));
        assertEquals(0, cfg.getByte(Config.NUMA_LOCAL));
        assertEquals(1, cfg.getByte(Config.PARTIAL));
        assertEquals(1, cfg.getByte(Config.DEBUG));
        assertEquals(300, cfg.getInt(Config.USER_STALL_MS));
    }

    @Test
    public void theOpsKeepTheObjectsFlagsAndTakeTheOptionsAtTheOffsetsTheConfigGives() {
        laidOutAsTheObject();
        BpfOptions options = new BpfOptions(1000, true, true, 4096, false, true, true, 8000, 500);
        ObjectOptions.writeOps(options, ops, cfg, "7");
        assertEquals(ObjectOptions.SCX_OPS_ENQ_LAST | ObjectOptions.SCX_OPS_SWITCH_PARTIAL
                | ObjectOptions.SCX_OPS_BUILTIN_IDLE_PER_NODE, ops.getLong(FLAGS));
        assertEquals(4096, ops.getInt(EXIT_DUMP_LEN));
        assertEquals(8000, ops.getInt(TIMEOUT_MS));
        assertEquals(7, ops.getLong(HOTPLUG_SEQ));
    }

    @Test
    public void withoutPartialOrNumaLocalTheFlagsStayAndAnUnknownHotplugSequenceIsLeftAlone() {
        laidOutAsTheObject();
        ops.setLong(HOTPLUG_SEQ, 99);
        ObjectOptions.writeOps(BpfOptions.DEFAULTS, ops, cfg, "");
        assertEquals(ObjectOptions.SCX_OPS_ENQ_LAST, ops.getLong(FLAGS));
        assertEquals(99, ops.getLong(HOTPLUG_SEQ));
    }
}
