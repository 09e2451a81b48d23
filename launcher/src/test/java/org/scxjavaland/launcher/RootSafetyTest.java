package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * As root, a deploy/, etc/ or data/ folder that another user could change is refused before
 * anything is loaded, with the command that fixes it; a file in deploy/ or etc/ that another user
 * could change is refused by the deploy guard while the host runs on. (Skipped unless the tests
 * run as root.)
 */
public class RootSafetyTest {

    private static final Path BUILT_BUNDLES = Path.of("target", "scx_javaland", "bundles").toAbsolutePath();

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private Layout layout;
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @Before
    public void layOutHomeAsRoot() throws IOException {
        assumeTrue("only root is checked", Layout.runningAsRoot());
        Path home = folder.newFolder("scx_javaland").toPath();
        Files.createSymbolicLink(home.resolve("bundles"), BUILT_BUNDLES);
        layout = Layout.of(home);
        for (Path watched : new Path[] {layout.deploy(), layout.etc()}) {
            Files.createDirectories(watched);
            Files.setPosixFilePermissions(watched, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Runs the launcher; it must refuse with exactly {@code sentence} and exit 1. */
    private void assertRefused(String sentence) {
        int code = new Launcher(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), () -> layout, false).run("--sim-mode", "fast");
        String err = errBytes.toString(StandardCharsets.UTF_8);
        assertEquals(err, ExitCode.FAILURE, code);
        assertEquals(List.of(sentence), err.lines().toList());
    }

    private static String writableByOthers(Path path) {
        return path + " is writable by other users (fix: chmod go-w " + path + "): as root, scx_javaland only loads"
                + " bundles and configurations that root alone can change.";
    }

    /**
     * Runs the launcher for a moment of simulated time; it must exit 0 and its bundles must have
     * logged {@code line} (they log to the process's standard error).
     */
    private void assertRunsWithout(String line) {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream processErr = System.err;
        System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new Launcher(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(errBytes, true, StandardCharsets.UTF_8), () -> layout, false)
                    .run("--sim-mode", "fast", "--sim-duration-ms", "100");
        } finally {
            System.setErr(processErr);
        }
        String err = errBytes.toString(StandardCharsets.UTF_8) + logged.toString(StandardCharsets.UTF_8);
        assertEquals(err, ExitCode.OK, code);
        assertTrue(err, err.lines().anyMatch(l -> l.endsWith(line)));
    }

    private static void permissions(Path path, String permissions) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }

    @Test
    public void aDeployFolderTheGroupCanWriteIsRefused() throws IOException {
        permissions(layout.deploy(), "rwxrwxr-x");
        assertRefused(writableByOthers(layout.deploy()));
    }

    @Test
    public void aDeployFolderEveryoneCanWriteIsRefused() throws IOException {
        permissions(layout.deploy(), "rwxr-xrwx");
        assertRefused(writableByOthers(layout.deploy()));
    }

    @Test
    public void anEtcFolderTheGroupCanWriteIsRefused() throws IOException {
        permissions(layout.etc(), "rwxrwxr-x");
        assertRefused(writableByOthers(layout.etc()));
    }

    @Test
    public void anEtcFolderEveryoneCanWriteIsRefused() throws IOException {
        permissions(layout.etc(), "rwxrwxrwx");
        assertRefused(writableByOthers(layout.etc()));
    }

    @Test
    public void aDataFolderOthersCanWriteIsRefused() throws IOException {
        Files.createDirectories(layout.data());
        permissions(layout.data(), "rwxrwxrwx");
        assertRefused(writableByOthers(layout.data()));
    }

    @Test
    public void aConfigurationFileOthersCanWriteIsRefusedByTheGuardAndTheHostRuns() throws IOException {
        Path cfg = Files.writeString(layout.etc().resolve("org.scxjavaland.policy.deadline.cfg"), "slice_us = 5000\n");
        permissions(cfg, "rw-rw-r--");
        assertRunsWithout(cfg + " is writable by other users (fix: chmod go-w " + cfg + "): refused, nothing of it is loaded.");
    }

    @Test
    public void aJarOthersCanWriteIsRefusedByTheGuardAndTheHostRuns() throws IOException {
        Path jar = Files.write(layout.deploy().resolve("policy.jar"), new byte[] {'P', 'K'});
        permissions(jar, "rw-r--rw-");
        assertRunsWithout(jar + " is writable by other users (fix: chmod go-w " + jar + "): refused, nothing of it is loaded.");
    }

    @Test
    public void aDeployFolderAnotherUserOwnsIsRefused() throws IOException {
        Files.setAttribute(layout.deploy(), "unix:uid", 65534);
        assertRefused(layout.deploy() + " is owned by uid 65534, not by root (fix: chown root " + layout.deploy()
                + "): as root, scx_javaland only loads bundles and configurations that root alone can change.");
    }
}
