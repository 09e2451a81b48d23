package org.scxjavaland.itests.vm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.Test;

import com.sun.jna.Library;

/**
 * Self-tests of the VM lab. Most checks share one boot (a boot costs seconds under TCG): the
 * probe script below prints what the test methods then check.
 */
public class VmLabVmIT {

    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(3);
    // Long enough for a boot on a loaded machine, so the kill lands on the running command.
    /** The shortest timeout the hung command gets: well past a boot on a quiet machine. */
    private static final Duration HUNG_TIMEOUT_MIN = Duration.ofSeconds(20);
    private static final int PROBE_EXIT = 7;

    private static final String PROBE = String.join("\n",
            "echo \"sched_ext_state=$(cat /sys/kernel/sched_ext/state)\"",
            "echo \"uname=$(uname -r)\"",
            "java $VMLAB_JAVA_OPTS -cp \"$1\" org.scxjavaland.itests.vm.GuestJnaProbe",
            "echo \"probe_exit=$?\"",
            "echo marker-on-stdout",
            "echo marker-on-stderr >&2",
            "exit " + PROBE_EXIT);

    private static VmLab.Result firstSetup;
    private static VmLab.Result probe;

    @BeforeClass
    public static void bootOnce() throws URISyntaxException {
        VmLab.assumeEnabled();
        firstSetup = VmLab.ensureSetup();
        // The guest sees the host's root, so the host's own class files and jar run there as they are.
        String classpath = locationOf(GuestJnaProbe.class) + ":" + locationOf(Library.class);
        probe = VmLab.shell(PROBE_TIMEOUT, PROBE, classpath);
    }

    @Test
    public void guestHasSchedExtAndNoSchedulerAttached() {
        assertEquals(probe.describe(), "disabled", probe.value("sched_ext_state"));
    }

    @Test
    public void guestRunsTheCachedKernel() {
        String uname = probe.value("uname");
        assertNotNull(probe.describe(), uname);
        assertEquals("uname -r in the guest vs the cache's kernel.version", probe.report().get("kernel"), uname);
        System.out.println("guest kernel: " + uname);
    }

    @Test
    public void java17AndJnaWorkInTheGuest() {
        Matcher m = Pattern.compile("^jna-getpid=(\\d+) jvm-pid=(\\d+) java=(\\S+)$", Pattern.MULTILINE).matcher(probe.stdout());
        assertTrue("no probe line; " + probe.describe(), m.find());
        assertEquals("pid through JNA vs the JVM's", m.group(2), m.group(1));
        assertTrue("guest java " + m.group(3), m.group(3).startsWith("17"));
        assertEquals(probe.describe(), "0", probe.value("probe_exit"));
    }

    @Test
    public void exitCodeAndOutputComeBack() {
        assertEquals(probe.describe(), PROBE_EXIT, probe.exitCode());
        assertTrue(probe.describe(), probe.stdout().contains("\nmarker-on-stdout\n"));
        assertTrue(probe.describe(), probe.stderr().contains("marker-on-stderr\n"));
        assertTrue("stderr leaked into stdout", !probe.stdout().contains("marker-on-stderr"));
    }

    @Test
    public void hungCommandIsKilledAtTheTimeout() {
        // The timeout counts from qemu's start: give the boot three times what the first one took
        // here, so that the command is surely running when the timeout ends it, on any machine.
        double bootS = Double.parseDouble(probe.report().getOrDefault("boot_to_command_s", "10"));
        Duration timeout = Duration.ofSeconds(Math.max(HUNG_TIMEOUT_MIN.toSeconds(), Math.round(3 * bootS) + 10));
        VmLab.Result r = VmLab.run(timeout, "sleep", "600");
        assertEquals(r.describe(), VmLab.EXIT_TIMEOUT, r.exitCode());
        assertTrue(r.describe(), r.stderr().contains("timeout: the command was still running after " + timeout.toSeconds() + " s"));
        System.out.printf("hung command: killed at the %d s timeout after %.1f s%n", timeout.toSeconds(),
                r.elapsed().toMillis() / 1000.0);
        r.discardLogs();
    }

    @Test
    public void secondSetupIsServedFromTheCache() {
        // VMLAB_OFFLINE makes the harness fail rather than touch the network or apt.
        VmLab.Result again = VmLab.setup(Map.of("VMLAB_OFFLINE", "1"));
        assertEquals(again.describe(), 0, again.exitCode());
        assertTrue(again.describe(), again.stderr().contains("(cached in "));
        System.out.printf("setup: first %.2f s, second %.2f s%n",
                firstSetup.elapsed().toMillis() / 1000.0, again.elapsed().toMillis() / 1000.0);
    }

    @Test
    public void btfComesOutWhole() throws IOException {
        Path out = Paths.get("target", "vmlinux.btf").toAbsolutePath();
        Files.deleteIfExists(out);
        VmLab.Result r = VmLab.btf(out);
        assertEquals(r.describe(), 0, r.exitCode());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
        // struct btf_header: magic u16, version u8, flags u8, hdr_len, type_off, type_len, str_off, str_len.
        assertEquals("BTF magic", 0xeB9F, b.getShort(0) & 0xffff);
        assertEquals("BTF version", 1, b.get(2));
        long hdrLen = b.getInt(4);
        long typeEnd = hdrLen + b.getInt(8) + Integer.toUnsignedLong(b.getInt(12));
        long strEnd = hdrLen + b.getInt(16) + Integer.toUnsignedLong(b.getInt(20));
        assertEquals("file size vs the size its header announces", Math.max(typeEnd, strEnd), b.capacity());
        assertTrue("a kernel's BTF is megabytes, got " + b.capacity(), b.capacity() > 1_000_000);
    }

    private static String locationOf(Class<?> c) throws URISyntaxException {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
