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
public class VerifierLogTest {

    @Test
    public void aVerifierRejectionNamesTheProgramAndQuotesTheLogsEnd() {
        String log = IntStream.rangeClosed(1, 50).mapToObj(i -> "verifier line " + i).collect(Collectors.joining("\n"))
                + "\nR1 invalid mem access 'scalar'\n";
        BpfLinkException e = VerifierLog.loadFailure(-13, List.of(
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
        BpfLinkException e = VerifierLog.loadFailure(-22, List.of(
                "libbpf: struct_ops init_kern javaland_ops: member cid_shard_size not found in kernel BTF",
                "libbpf: failed to load object 'javaland'"), "");

        assertTrue(e.getMessage(), e.getMessage().startsWith("libbpf could not load scx_javaland's BPF object")
                && e.getMessage().contains("failed to load object 'javaland'"));
        assertTrue(e.detail().contains("cid_shard_size"));
    }

    @Test
    public void aVerificationReportIsQuotedFromItsErrorLinesToItsLocation() {
        String log = String.join("\n",
                "6: (85) call bpf_map_lookup_elem#1    ; R0=map_value(map=heartbeat,ks=4,vs=16)",
                "; return value ? value[8] != 0 : 0; @ rejected.bpf.c:16",
                "8: (79) r1 = *(u64 *)(r0 +64)",
                "invalid access to map value, value_size=16 off=64 size=8",
                "R0 min value is outside of the allowed memory range",
                "",
                "Verification failed: Memory Safety: Access outside bounds",
                "",
                "Reason:",
                "  The access at offset 64 is outside the 16-byte map value.",
                "",
                "At:",
                "  jl_read_past_value @ rejected.bpf.c:16:17",
                "  >>> 16 |         return value ? value[8] != 0 : 0;",
                "  Instruction context:",
                "  >>>  8 | (79) r1 = *(u64 *)(r0 +64)",
                "",
                "Suggestion:",
                "  Add or adjust a bounds check.",
                "",
                "processed 8 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0");

        assertEquals(String.join("\n",
                "invalid access to map value, value_size=16 off=64 size=8",
                "R0 min value is outside of the allowed memory range",
                "Verification failed: Memory Safety: Access outside bounds",
                "Reason:",
                "  The access at offset 64 is outside the 16-byte map value.",
                "At:",
                "  jl_read_past_value @ rejected.bpf.c:16:17",
                "  >>> 16 |         return value ? value[8] != 0 : 0;"), VerifierLog.verdict(log, 20));
        assertEquals("at most n lines", 3, VerifierLog.verdict(log, 3).split("\n").length);
    }

    @Test
    public void aLogWithoutAReportIsQuotedByItsLastLines() {
        assertEquals("8: (79) r1 = *(u64 *)(r0 +64)\ninvalid access to map value, value_size=16 off=64 size=8",
                VerifierLog.verdict("0: R1=ctx()\n8: (79) r1 = *(u64 *)(r0 +64)\n"
                        + "invalid access to map value, value_size=16 off=64 size=8\n", 2));
    }

    @Test
    public void tailKeepsTheLastNonEmptyLines() {
        assertEquals("c\nd", VerifierLog.tail("a\n\nb\nc\n\nd\n\n", 2));
        assertEquals("a", VerifierLog.tail("a", 5));
    }
}
