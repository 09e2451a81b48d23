package org.scxjavaland.link.bpf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.Test;
import org.scxjavaland.link.bpf.BpfLinkException;

/** What a user reads when the kernel refuses the BPF object. */
public class LoadFailureTest {

    @Test
    public void aVerifierRejectionNamesTheProgramAndQuotesTheLogsEnd() {
        String log = IntStream.rangeClosed(1, 50).mapToObj(i -> "verifier line " + i).collect(Collectors.joining("\n"))
                + "\nR1 invalid mem access 'scalar'\n";
        BpfLinkException e = BpfSession.loadFailure(-13, List.of(
                "libbpf: prog 'jl_enqueue': BPF program load failed: Permission denied",
                "libbpf: prog 'jl_enqueue': failed to load: -13"), log);

        assertTrue(e.getMessage(), e.getMessage().contains("'jl_enqueue'") && e.getMessage().contains("Permission denied"));
        assertFalse(e.getMessage().contains("\n"));
        List<String> detail = List.of(e.detail().split("\n"));
        assertEquals(20, detail.size());
        assertEquals("R1 invalid mem access 'scalar'", detail.get(19));
        assertEquals(log, e.fullLog());
    }

    @Test
    public void anotherLoadFailureQuotesLibbpfsLastWord() {
        BpfLinkException e = BpfSession.loadFailure(-22, List.of(
                "libbpf: struct_ops init_kern javaland_ops: member cid_shard_size not found in kernel BTF",
                "libbpf: failed to load object 'javaland'"), "");

        assertTrue(e.getMessage(), e.getMessage().startsWith("libbpf could not load scx_javaland's BPF object")
                && e.getMessage().contains("failed to load object 'javaland'"));
        assertTrue(e.detail().contains("cid_shard_size"));
    }

    @Test
    public void tailKeepsTheLastNonEmptyLines() {
        assertEquals("c\nd", BpfSession.tail("a\n\nb\nc\n\nd\n\n", 2));
        assertEquals("a", BpfSession.tail("a", 5));
    }
}
