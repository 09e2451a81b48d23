package org.scxjavaland.link.bpf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeNoException;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.scxjavaland.link.bpf.BpfLinkException;
import org.scxjavaland.link.bpf.internal.BpfLayout.Config;
import org.scxjavaland.link.bpf.internal.BpfLayout.Shared;

/**
 * Checks the Java side's view of the BPF object against the object this build compiled, through
 * libbpf (opened, not loaded: no root or sched_ext needed). Skipped where libbpf >= 1.4 is missing.
 */
public class BpfLayoutTest {
    private Memory image;
    private long obj;

    @Before
    public void openTheBuiltObject() throws Exception {
        try {
            SystemChecks.checkLibbpf();
        } catch (BpfLinkException e) {
            assumeNoException(e);
        }
        image = BpfSession.image(Files.readAllBytes(Path.of(System.getProperty("bpf.object"))));
        obj = BpfSession.open(image);
    }

    @After
    public void close() {
        if (obj != 0) {
            Libbpf.bpf_object__close(obj);
        }
    }

    @Test
    public void javaOffsetsMatchTheCStructs() {
        List<String> mismatches = BpfLayout.mismatches(Btf.of(obj));
        assertEquals("bpf/intf.h and BpfLayout.java disagree", List.of(), mismatches);
    }

    @Test
    public void sharedVariablesAreFoundByNameWithTheirFullSize() {
        Btf btf = Btf.of(obj);
        assertTrue(btf.variableOffset(".bss", "shared") >= 0);
        assertEquals(Shared.SIZE, btf.variableSize(".bss", "shared"));
        assertTrue(btf.variableOffset(".rodata", "cfg") >= 0);
        assertEquals(Config.SIZE, btf.variableSize(".rodata", "cfg"));
        assertEquals(-1, btf.variableOffset(".bss", "no_such_variable"));
    }

    @Test
    public void opsOffsetsRecordedByTheCompilerLeadToTheSchedulerName() {
        Btf btf = Btf.of(obj);
        Memory size = new Memory(8);
        long rodata = Libbpf.bpf_map__initial_value(Libbpf.bpf_object__find_map_by_name(obj, ".rodata"), Pointer.nativeValue(size));
        Pointer cfg = new Pointer(rodata + btf.variableOffset(".rodata", "cfg"));
        long ops = Libbpf.bpf_map__initial_value(Libbpf.bpf_object__find_map_by_name(obj, "javaland_ops"), Pointer.nativeValue(size));

        assertEquals("javaland", new Pointer(ops).getString(cfg.getInt(Config.OPS_NAME_OFF)));
        assertEquals(5000, new Pointer(ops).getInt(cfg.getInt(Config.OPS_TIMEOUT_MS_OFF)));
        // SCX_OPS_ENQ_LAST, set in the C initializer, is where user space ORs in its own flags.
        assertEquals(ObjectOptions.SCX_OPS_ENQ_LAST, new Pointer(ops).getLong(cfg.getInt(Config.OPS_FLAGS_OFF)));
    }
}
