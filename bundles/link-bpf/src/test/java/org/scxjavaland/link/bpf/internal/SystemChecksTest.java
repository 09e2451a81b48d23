package org.scxjavaland.link.bpf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.link.bpf.BpfLinkException;

/** The checks made before loading, against a fake /sys/kernel/sched_ext. */
public class SystemChecksTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path schedExt(String state, String ops) throws IOException {
        Path dir = tmp.newFolder("sched_ext").toPath();
        Files.writeString(dir.resolve("state"), state + "\n");
        if (ops != null) {
            Files.createDirectories(dir.resolve("root"));
            Files.writeString(dir.resolve("root").resolve("ops"), ops + "\n");
        }
        return dir;
    }

    @Test
    public void aLibraryThatDoesNotLoadIsExplainedByTheLoadersReason() {
        String jna = "Unable to load library 'libbpf.so.1':\n"
                + "libbpf.so.1: cannot open shared object file: No such file or directory\n"
                + "libbpf.so.1: cannot open shared object file: No such file or directory\n"
                + "Native library (linux-x86-64/libbpf.so.1) not found in resource path ([])";
        assertEquals("libbpf.so.1: cannot open shared object file: No such file or directory", SystemChecks.loadFailure(jna));
        assertEquals("Unable to load library 'bpf':", SystemChecks.loadFailure("Unable to load library 'bpf':"));
        assertEquals("no details", SystemChecks.loadFailure(null));
    }

    @Test
    public void aKernelWithoutSchedExtIsNamedWithWhatToDo() {
        BpfLinkException e = assertThrows(BpfLinkException.class,
                () -> SystemChecks.checkKernel(tmp.getRoot().toPath().resolve("missing"), 0, "6.1.0-test"));
        assertTrue(e.getMessage(), e.getMessage().contains("6.1.0-test") && e.getMessage().contains("has no sched_ext")
                && e.getMessage().contains("CONFIG_SCHED_CLASS_EXT") && e.getMessage().contains("backend sim"));
    }

    @Test
    public void aUserOtherThanRootIsToldToUseRoot() throws IOException {
        BpfLinkException e = assertThrows(BpfLinkException.class,
                () -> SystemChecks.checkKernel(schedExt("disabled", null), 1000, "7.3"));
        assertTrue(e.getMessage(), e.getMessage().contains("must run as root") && e.getMessage().contains("1000"));
    }

    @Test
    public void anAttachedSchedulerIsNamed() throws IOException {
        BpfLinkException e = assertThrows(BpfLinkException.class,
                () -> SystemChecks.checkKernel(schedExt("enabled", "scx_lavd_1.0"), 0, "7.3"));
        assertTrue(e.getMessage(), e.getMessage().contains("'scx_lavd_1.0'") && e.getMessage().contains("already attached"));
    }

    @Test
    public void aSchedExtInTransitionIsBusy() throws IOException {
        BpfLinkException e = assertThrows(BpfLinkException.class,
                () -> SystemChecks.checkNoneAttached(schedExt("disabling", null)));
        assertTrue(e.getMessage(), e.getMessage().contains("busy") && e.getMessage().contains("'disabling'"));
    }

    @Test
    public void aFreeSchedExtPasses() throws Exception {
        SystemChecks.checkKernel(schedExt("disabled", null), 0, "7.3");
    }

    @Test
    public void anOldLibbpfIsToldHowToUpgrade() {
        String message = SystemChecks.tooOld("1.1").getMessage();
        assertTrue(message, message.contains("libbpf 1.1 is too old") && message.contains("1.4 or later")
                && message.contains("bookworm-backports"));
    }

    @Test
    public void eachMessageIsOneSentence() throws IOException {
        Path busy = schedExt("enabled", "other");
        for (Exception e : new Exception[] {
            assertThrows(BpfLinkException.class, () -> SystemChecks.checkKernel(busy.resolve("none"), 0, "x")),
            assertThrows(BpfLinkException.class, () -> SystemChecks.checkKernel(busy, 5, "x")),
            assertThrows(BpfLinkException.class, () -> SystemChecks.checkKernel(busy, 0, "x")),
            SystemChecks.tooOld("0.8")}) {
            String m = e.getMessage();
            assertFalse(m, m.contains("\n"));
            assertTrue(m, m.endsWith("."));
        }
    }
}
