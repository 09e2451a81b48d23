package org.scxjavaland.deploy.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * Whether a file or a folder can be changed by anyone but the host's own user (root, when it
 * schedules a real kernel). What such a file holds must never reach the host: a jar in deploy/
 * runs as code inside it, a .cfg in etc/ tells it what to do.
 *
 * <p>A folder is safe when it and every folder above it are owned by the host's user or root and
 * writable by no one else; a folder above may be writable by others if it is sticky (like
 * /tmp), since then nobody else may rename or remove what it holds. A file is safe when it is a
 * regular file of its own (no other hard link names it) in a safe folder, owned by the host's user
 * or root, and writable by no one else. Each check answers with the sentence that says what is
 * wrong and the command that fixes it, or null.
 */
public final class FileSafety {

    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final String ATTRIBUTES = "unix:mode,uid,nlink,ino,dev,size,lastModifiedTime,ctime";

    private FileSafety() {
    }

    /** The uid this process runs as, or -1 where the file system has no owners. */
    public static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * What a file is, as read without following a symbolic link: its owner, mode, links, identity
     * and times. Two stamps that are equal name the same file with the same content (every write
     * moves mtime or ctime).
     */
    public record Stamp(int uid, int mode, int nlink, long dev, long ino, long size, FileTime mtime, FileTime ctime) {
        static Stamp of(Path path) throws IOException {
            Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            return new Stamp((Integer) a.get("uid"), (Integer) a.get("mode"), (Integer) a.get("nlink"),
                    (Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                    (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"));
        }

        boolean regularFile() {
            return (mode & 0170000) == 0100000;
        }

        boolean directory() {
            return (mode & 0170000) == 0040000;
        }

        boolean symbolicLink() {
            return (mode & 0170000) == 0120000;
        }
    }

    /**
     * Why {@code folder}, or a folder above it, lets another user add, replace or change what it
     * holds; null when it does not (or when the file system has no owners).
     *
     * @param uid the host's user (the owner that, besides root, is trusted)
     */
    public static String folderProblem(Path folder, int uid) {
        return folderProblem(folder, uid, false);
    }

    /**
     * Why the file {@code file}, read once (a workload or a trace file), may not be trusted: it,
     * or a folder it is in, lets another user change or replace it; null when nothing does (or
     * when the file system has no owners). Unlike a watched folder, the file's own folder may be
     * writable by others if it is sticky (a file in /tmp): others may add files there, but not
     * replace this one.
     */
    public static String readOnceFileProblem(Path file, int uid) {
        Path folder = file.toAbsolutePath().getParent();
        String problem = folder == null ? null : folderProblem(folder, uid, true);
        return problem != null ? problem : fileProblem(file, uid);
    }

    private static String folderProblem(Path folder, int uid, boolean stickyWillDo) {
        if (uid < 0) {
            return null;
        }
        Path real;
        try {
            real = folder.toRealPath();
        } catch (IOException e) {
            return folder + " cannot be read (" + e.getMessage() + ")";
        }
        for (Path at = real; at != null; at = at.getParent()) {
            Stamp stamp;
            try {
                stamp = Stamp.of(at);
            } catch (IOException | UnsupportedOperationException e) {
                return null; // a file system without owners and modes: nothing to check
            }
            if (!trustedOwner(stamp.uid(), uid)) {
                return at + " is owned by uid " + stamp.uid() + ", not by " + userName(uid) + " (fix: chown "
                        + userName(uid) + " " + at + ")";
            }
            boolean othersWrite = (stamp.mode() & GROUP_OR_OTHERS_WRITE) != 0;
            if (othersWrite && ((at.equals(real) && !stickyWillDo) || (stamp.mode() & STICKY) == 0)) {
                return at + " is writable by other users (fix: chmod go-w " + at + ")";
            }
        }
        return null;
    }

    /**
     * Why the file {@code file} (in a safe folder) may not be trusted, as it is now; null when it
     * may (or when the file system has no owners).
     */
    public static String fileProblem(Path file, int uid) {
        try {
            return fileProblem(file, Stamp.of(file), uid);
        } catch (IOException e) {
            return file + " cannot be read (" + e.getMessage() + ")";
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * Why the file {@code shown} (a name in a safe folder) may not be trusted, given its stamp;
     * null when it may.
     */
    static String fileProblem(Path shown, Stamp stamp, int uid) {
        if (uid < 0) {
            return null;
        }
        if (!stamp.regularFile()) {
            return shown + " is not a regular file";
        }
        if (!trustedOwner(stamp.uid(), uid)) {
            return shown + " is owned by uid " + stamp.uid() + ", not by " + userName(uid) + ", so that user can change it"
                    + " (fix: chown " + userName(uid) + " " + shown + ")";
        }
        if ((stamp.mode() & GROUP_OR_OTHERS_WRITE) != 0) {
            return shown + " is writable by other users (fix: chmod go-w " + shown + ")";
        }
        if (stamp.nlink() > 1) {
            return shown + " has " + stamp.nlink() + " names (hard links), and can be changed through the others"
                    + " (fix: give it one of its own: cp -p " + shown + " " + shown + ".new && mv " + shown + ".new " + shown + ")";
        }
        return null;
    }

    /** Root, and the host's own user, are trusted owners. */
    private static boolean trustedOwner(int owner, int uid) {
        return owner == 0 || owner == uid;
    }

    private static String userName(int uid) {
        if (uid == 0) {
            return "root";
        }
        String name = System.getProperty("user.name");
        return name == null || name.isBlank() ? "uid " + uid : name;
    }
}
