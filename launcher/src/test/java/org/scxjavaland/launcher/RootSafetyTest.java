package org.scxjavaland.launcher;

import static org.junit.Assert.assertEquals;
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
 * As root, a deploy/ or etc/ (or a file in them) that another user could change is refused before
 * anything is loaded, with the command that fixes it. (Skipped unless the tests run as root.)
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
        return path + " is writable by other users: as root, scx_javaland only loads bundles and configurations that"
                + " root alone can change (chmod go-w " + path + ").";
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
    public void aConfigurationFileOthersCanWriteIsRefused() throws IOException {
        Path cfg = Files.writeString(layout.etc().resolve("org.scxjavaland.policy.deadline.cfg"), "slice_us = 5000\n");
        permissions(cfg, "rw-rw-r--");
        assertRefused(writableByOthers(cfg));
    }

    @Test
    public void aJarOthersCanWriteIsRefused() throws IOException {
        Path jar = Files.write(layout.deploy().resolve("policy.jar"), new byte[] {'P', 'K'});
        permissions(jar, "rw-r--rw-");
        assertRefused(writableByOthers(jar));
    }

    @Test
    public void aDeployFolderAnotherUserOwnsIsRefused() throws IOException {
        Files.setAttribute(layout.deploy(), "unix:uid", 65534);
        assertRefused(layout.deploy() + " is not owned by root: as root, scx_javaland only loads bundles and"
                + " configurations that root alone can change (chown root " + layout.deploy() + ").");
    }
}
