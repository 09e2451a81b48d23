package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** What the launcher prints when the BPF link could not start: the link's sentence first, then what explains it. */
public class BpfLinkFailureTest {

    private static final String REJECTED = "The kernel's verifier rejected scx_javaland's BPF program 'javaland_enqueue'"
            + " (Permission denied): this kernel's sched_ext differs from the one bpf/vmlinux.h was made from; the"
            + " verifier says:";

    @Test
    public void aSentenceAloneIsPrintedAsItIs() {
        LaunchFailure failure = Launcher.bpfLinkFailure("Not root: start it as root.", "", "");
        assertEquals(ExitCode.FAILURE, failure.exitCode());
        assertEquals("Not root: start it as root.", failure.getMessage());
    }

    @Test
    public void theVerifierLogsEndFollowsTheSentence() {
        LaunchFailure failure = Launcher.bpfLinkFailure(REJECTED, "R1 invalid mem access 'scalar'\nprocessed 42 insns\n", "");
        assertEquals(REJECTED + "\nR1 invalid mem access 'scalar'\nprocessed 42 insns", failure.getMessage());
    }

    @Test
    public void withVerboseTheWholeLogFollows() {
        LaunchFailure failure = Launcher.bpfLinkFailure(REJECTED, "processed 42 insns", "0: (b7) r0 = 0\nprocessed 42 insns");
        assertEquals(REJECTED + "\nprocessed 42 insns\nThe whole log:\n0: (b7) r0 = 0\nprocessed 42 insns",
                failure.getMessage());
    }
}
