package org.scxjavaland.deploy.guard;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The guard between a watched folder and its private copy, on real files. */
public class GuardedFolderTest {

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<String> warnings = new ArrayList<>();
    private Runnable beforeCopy = () -> { };
    private Path deploy;
    private Path copies;
    private GuardedFolder guard;
    private int uid;

    @Before
    public void aWatchedFolderAndItsCopy() throws IOException {
        Path root = temp.getRoot().toPath();
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        deploy = Files.createDirectory(root.resolve("deploy"));
        copies = root.resolve("data/guarded/deploy");
        uid = (Integer) Files.getAttribute(deploy, "unix:uid");
        guard = new GuardedFolder(deploy, copies, root.resolve("data/guarded/.incoming"), uid, () -> beforeCopy.run(),
                warnings::add);
        Files.createDirectories(root.resolve("data/guarded/.incoming"));
    }

    private Path write(String name, String content, String mode) throws IOException {
        Path file = deploy.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private String copyOf(String name) throws IOException {
        return Files.readString(copies.resolve(name));
    }

    @Test
    public void theCopyFolderIsPrivateToTheHostsUser() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copies)));
    }

    @Test
    public void aFileOnlyTheHostCanChangeIsCopiedWithItsBytes() throws IOException {
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        Files.write(deploy.resolve("policy.jar"), content);
        Files.setPosixFilePermissions(deploy.resolve("policy.jar"), PosixFilePermissions.fromString("rw-r--r--"));

        guard.sync();

        assertArrayEquals(content, Files.readAllBytes(copies.resolve("policy.jar")));
        assertEquals(List.of(), warnings);
    }

    @Test
    public void onlyWhatFileinstallActsOnIsCopied() throws IOException {
        write("notes.txt", "x", "rw-r--r--");
        write(".hidden.jar", "x", "rw-r--r--");
        write("pid.cfg", "a = 1", "rw-r--r--");

        guard.sync();

        try (var names = Files.list(copies)) {
            assertEquals(List.of("pid.cfg"), names.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    public void aFileWritableByOthersIsRefusedInOneLineOnceAndNotCopied() throws IOException {
        Path jar = write("x.jar", "evil", "rw-rw-rw-");

        guard.sync();
        guard.sync();

        assertFalse(Files.exists(copies.resolve("x.jar")));
        assertEquals(1, warnings.size());
        assertEquals(jar + " is writable by other users (fix: chmod go-w " + jar + "): refused, nothing of it is loaded.",
                warnings.get(0));
    }

    @Test
    public void aFileMadeSafeIsAdmittedAtTheNextLook() throws IOException {
        Path jar = write("x.jar", "v1", "rw-rw-rw-");
        guard.sync();
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));

        guard.sync();

        assertEquals("v1", copyOf("x.jar"));
    }

    @Test
    public void anAdmittedJarThatBecomesWritableByOthersIsNotUpdatedFromIt() throws IOException {
        Path jar = write("x.jar", "good", "rw-r--r--");
        guard.sync();
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(jar, "evil");

        guard.sync();

        assertEquals("good", copyOf("x.jar"));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).endsWith("the version admitted before stays in use."));
    }

    @Test
    public void aNewVersionOfAnAdmittedFileReplacesItsCopy() throws IOException {
        write("x.jar", "v1", "rw-r--r--");
        guard.sync();
        Path next = temp.getRoot().toPath().resolve("x.jar.new");
        Files.writeString(next, "v2");
        Files.move(next, deploy.resolve("x.jar"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        guard.sync();

        assertEquals("v2", copyOf("x.jar"));
    }

    @Test
    public void aRemovedFileLeavesTheCopy() throws IOException {
        Path jar = write("x.jar", "v1", "rw-r--r--");
        guard.sync();
        Files.delete(jar);

        guard.sync();

        assertFalse(Files.exists(copies.resolve("x.jar")));
    }

    @Test
    public void aSymbolicLinkToAFileOutsideTheFolderIsRefused() throws IOException {
        Path outside = Files.writeString(temp.getRoot().toPath().resolve("elsewhere.jar"), "x");
        Files.createSymbolicLink(deploy.resolve("x.jar"), outside);

        guard.sync();

        assertFalse(Files.exists(copies.resolve("x.jar")));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("is a symbolic link to " + outside + ", outside " + deploy));
    }

    @Test
    public void aSymbolicLinkToASafeFileInTheFolderIsFollowed() throws IOException {
        write("policy-1.0.0.jar", "v1", "rw-r--r--");
        Files.createSymbolicLink(deploy.resolve("policy.jar"), Path.of("policy-1.0.0.jar"));

        guard.sync();

        assertEquals("v1", copyOf("policy.jar"));
    }

    @Test
    public void aFileWithAnotherHardLinkIsRefused() throws IOException {
        Path jar = write("x.jar", "v1", "rw-r--r--");
        Files.createLink(temp.getRoot().toPath().resolve("other-name"), jar);

        guard.sync();

        assertFalse(Files.exists(copies.resolve("x.jar")));
        assertTrue(warnings.get(0), warnings.get(0).contains("has 2 names (hard links)"));
    }

    @Test
    public void aFileChangedBetweenItsCheckAndItsCopyIsNotAdmittedAsChecked() throws IOException {
        Path jar = write("x.jar", "good", "rw-r--r--");
        beforeCopy = () -> {
            try {
                Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
                Files.writeString(jar, "evil, written by another user in the window");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };

        guard.sync();
        assertFalse("what changed after the check is not copied", Files.exists(copies.resolve("x.jar")));
        beforeCopy = () -> { };
        guard.sync();

        assertFalse(Files.exists(copies.resolve("x.jar")));
        assertEquals("the next look sees what it is now", 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("is writable by other users"));
    }

    @Test
    public void aFileSwappedForAnotherBetweenItsCheckAndItsCopyIsNotAdmitted() throws IOException {
        write("x.jar", "good", "rw-r--r--");
        Path swapped = temp.getRoot().toPath().resolve("swapped.jar");
        Files.writeString(swapped, "other");
        beforeCopy = () -> {
            try {
                Files.move(swapped, deploy.resolve("x.jar"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };

        guard.sync();

        assertFalse(Files.exists(copies.resolve("x.jar")));
    }

    @Test
    public void aFolderWritableByOthersAdmitsNothingAndKeepsWhatItHad() throws IOException {
        write("x.jar", "v1", "rw-r--r--");
        guard.sync();
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxrwxrwx"));
        write("y.jar", "v1", "rw-r--r--");
        Files.delete(deploy.resolve("x.jar"));

        guard.sync();
        guard.sync();

        assertTrue(Files.exists(copies.resolve("x.jar")));
        assertFalse(Files.exists(copies.resolve("y.jar")));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("Nothing in " + deploy + " is admitted while " + deploy
                + " is writable by other users (fix: chmod go-w " + deploy + ")"));
    }

    @Test
    public void aFileOwnedByAnotherUserIsRefusedWithTheChownThatFixesIt() {
        FileSafety.Stamp stamp = new FileSafety.Stamp(65534, 0100644, 1, 1, 2, 3, null, null);
        assertEquals("/opt/scx/deploy/x.jar is owned by uid 65534, not by root, so that user can change it"
                + " (fix: chown root /opt/scx/deploy/x.jar)", FileSafety.fileProblem(Path.of("/opt/scx/deploy/x.jar"), stamp, 0));
        assertEquals(null, FileSafety.fileProblem(Path.of("/opt/scx/deploy/x.jar"),
                new FileSafety.Stamp(0, 0100644, 1, 1, 2, 3, null, null), 0));
    }
}
