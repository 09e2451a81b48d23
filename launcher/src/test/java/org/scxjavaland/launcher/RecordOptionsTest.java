package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/** --record and its bounds: how they reach the recorder's PID, and which files root refuses to write. */
public class RecordOptionsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void recordGoesToTheRecordersPidWithItsBounds() {
        Map<String, Map<String, Object>> pids = HostConfiguration.fromCommandLine(Options.parse("--record", "/var/tmp/a/../run.trace",
                "--record-seconds", "2.5", "--record-max-mb", "16"));
        assertEquals(Map.of("file", "/var/tmp/run.trace", "seconds", 2.5, "max_mb", 16),
                pids.get(HostConfiguration.RECORDER_PID));
        assertEquals(Map.of("file", "/var/tmp/run.trace"),
                HostConfiguration.fromCommandLine(Options.parse("--record", "/var/tmp/run.trace")).get(HostConfiguration.RECORDER_PID));
    }

    @Test
    public void boundsWithoutAFileAndBadBoundsAreUsageErrors() {
        assertUsage("bound a recording: give --record FILE too", "--record-seconds", "5");
        assertUsage("", "--record", "/tmp/x", "--record-max-mb", "0");
        assertUsage("", "--record", "/tmp/x", "--record-seconds", "-1");
    }

    private static void assertUsage(String expected, String... args) {
        try {
            Options.parse(args);
            fail("accepted " + String.join(" ", args));
        } catch (CommandLine.ParameterException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }

    @Test
    public void aMissingFolderIsRefusedForAnyUser() {
        try {
            Preflight.recordFile(tmp.getRoot() + "/missing/run.trace", false);
            fail("accepted a missing folder");
        } catch (LaunchFailure e) {
            assertTrue(e.getMessage(), e.getMessage().contains("does not exist"));
        }
    }

    @Test
    public void asRootAFolderOthersCanWriteOrALinkPlantedThereIsRefused() throws IOException {
        Assume.assumeTrue("needs root (the owner checks)", Layout.runningAsRoot());
        Path safe = tmp.newFolder("safe").toPath();
        Files.setPosixFilePermissions(safe, PosixFilePermissions.fromString("rwxr-xr-x"));
        Preflight.recordFile(safe.resolve("run.trace").toString(), true);

        Path open = tmp.newFolder("open").toPath();
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertRootRefuses(open.resolve("run.trace"), "is writable by other users");

        Path target = safe.resolve("target");
        Files.writeString(target, "x");
        Files.createSymbolicLink(safe.resolve("link.trace"), target);
        assertRootRefuses(safe.resolve("link.trace"), "is not a regular file");
        Files.createLink(safe.resolve("hard.trace"), target);
        assertRootRefuses(safe.resolve("hard.trace"), "names (hard links)");
    }

    private static void assertRootRefuses(Path file, String expected) {
        try {
            Preflight.recordFile(file.toString(), true);
            fail("root would write " + file);
        } catch (LaunchFailure e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
            assertTrue(e.getMessage(), e.getMessage().startsWith("As root, scx_javaland records only where root alone"));
        }
    }
}
