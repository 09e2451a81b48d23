package org.scxjavaland.deploy.guard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assume.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A file read once (a workload or a trace file) may sit in a sticky folder others write to, as in
 * /tmp, but not in a folder where others could replace it, and it must not be writable by others.
 */
public class ReadOnceFileTest {

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private int uid;
    private Path base;

    @Before
    public void ownedFolders() throws Exception {
        uid = FileSafety.processUid();
        assumeTrue("a file system with owners", uid >= 0);
        base = folder.getRoot().toPath().toRealPath();
        assumeTrue("the temporary folders themselves are safe: " + FileSafety.folderProblem(base, uid),
                FileSafety.folderProblem(base, uid) == null);
    }

    private Path fileIn(String dirMode, String fileMode) throws Exception {
        Path dir = Files.createDirectory(base.resolve("d" + dirMode.hashCode() + fileMode.hashCode()));
        Path file = Files.writeString(dir.resolve("w.trace"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(fileMode));
        Files.setAttribute(dir, "unix:mode", Integer.parseInt(dirMode, 8));
        return file;
    }

    @Test
    public void aFileOfItsOwnInAStickyFolderOthersWriteToIsTrusted() throws Exception {
        assertNull(FileSafety.readOnceFileProblem(fileIn("1777", "rw-r--r--"), uid));
        assertNull(FileSafety.readOnceFileProblem(fileIn("755", "rw-------"), uid));
    }

    @Test
    public void aFolderWhereOthersCouldReplaceItIsNot() throws Exception {
        Path file = fileIn("777", "rw-r--r--");
        assertEquals(file.getParent() + " is writable by other users (fix: chmod go-w " + file.getParent() + ")",
                FileSafety.readOnceFileProblem(file, uid));
    }

    @Test
    public void aFileOthersCanWriteIsNot() throws Exception {
        Path file = fileIn("1777", "rw-rw-rw-");
        assertEquals(file + " is writable by other users (fix: chmod go-w " + file + ")",
                FileSafety.readOnceFileProblem(file, uid));
    }
}
