package org.scxjavaland.deploy.guard;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.scxjavaland.deploy.guard.FileSafety.Stamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watched folder (deploy/ or etc/) and its private copy. Every look admits into the copy the
 * files of the watched folder that only the host's user can change, and only as they were when
 * checked: each file is checked (owner, mode, links), copied through a file opened without
 * following links, checked again, and the copy is kept only if nothing changed meanwhile, so the
 * bytes fileinstall installs are the bytes that were checked. A file that fails a check is
 * reported in one line (once per version of the file) and not copied; the copy it had, if any,
 * stays as it was: an installed bundle is not updated from a jar that became writable by others.
 * A file removed from the watched folder is removed from the copy.
 *
 * <p>The copy's folder is created empty, readable and writable by the host's user only. Used by
 * one thread at a time.
 */
final class GuardedFolder {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedFolder.class);

    /** What fileinstall acts on: bundles, and configurations. */
    private static final String[] ADMITTED_SUFFIXES = {".jar", ".cfg", ".config"};

    private final Path source;
    private final Path copy;
    private final Path incoming;
    private final int uid;
    private final Runnable beforeCopy;
    private final Consumer<String> warnings;

    /** Per file name: the stamp of the version in the copy. */
    private final Map<String, Stamp> admitted = new HashMap<>();
    /** Per file name: the stamp (and problem) of the version last refused, so it is said once. */
    private final Map<String, String> refused = new HashMap<>();
    private String folderRefused;

    /**
     * @param source the folder a user drops files into
     * @param copy where fileinstall finds the admitted copies (emptied now)
     * @param incoming a private folder on the same file system, for copies being written
     * @param uid the host's user
     * @param beforeCopy run between a file's check and its copy (tests widen the window with it)
     * @param warnings where each refusal goes, one sentence each (the log)
     */
    GuardedFolder(Path source, Path copy, Path incoming, int uid, Runnable beforeCopy, Consumer<String> warnings)
            throws IOException {
        this.source = source;
        this.copy = copy;
        this.incoming = incoming;
        this.uid = uid;
        this.beforeCopy = beforeCopy;
        this.warnings = warnings;
        PrivateFolders.recreate(copy);
    }

    Path source() {
        return source;
    }

    Path copy() {
        return copy;
    }

    /** One look at the watched folder. */
    void sync() {
        String problem = Files.isDirectory(source) ? FileSafety.folderProblem(source, uid) : null;
        if (problem != null) {
            if (!problem.equals(folderRefused)) {
                folderRefused = problem;
                warnings.accept("Nothing in " + source + " is admitted while " + problem + ": another user could put code"
                        + " or settings there that scx_javaland would load; what was admitted before stays.");
            }
            return;
        }
        if (folderRefused != null) {
            folderRefused = null;
            LOG.info("{} is safe again: its files are admitted.", source);
        }
        Set<String> present = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!admittable(name)) {
                    continue;
                }
                present.add(name);
                look(entry, name);
            }
        } catch (NoSuchFileException e) {
            // no folder (yet): nothing is admitted, and what was goes
        } catch (IOException e) {
            LOG.debug("Reading {} failed ({}); looking again later.", source, e.getMessage());
            return;
        }
        for (String gone : Set.copyOf(admitted.keySet())) {
            if (!present.contains(gone)) {
                remove(gone);
            }
        }
        refused.keySet().retainAll(present);
    }

    private static boolean admittable(String name) {
        if (name.startsWith(".")) {
            return false;
        }
        for (String suffix : ADMITTED_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    private void look(Path entry, String name) {
        Stamp stamp;
        Path file;
        try {
            file = resolve(entry);
            if (file == null) {
                return; // reported
            }
            stamp = Stamp.of(file);
        } catch (IOException e) {
            return; // gone meanwhile
        }
        if (stamp.equals(admitted.get(name))) {
            return;
        }
        String problem = FileSafety.fileProblem(entry.equals(file) ? entry : file, stamp, uid);
        if (problem != null) {
            refuse(name, stamp, problem);
            return;
        }
        try {
            if (admit(name, file, stamp)) {
                if (refused.remove(name) != null) {
                    LOG.info("{} is admitted now.", entry);
                }
            }
        } catch (AccessDeniedException e) {
            // Said once per version of the file: fileinstall would otherwise fail on it, or nothing be said.
            refuse(name, stamp, entry + " cannot be read by this user (uid " + uid + "; fix: chmod a+r " + entry
                    + ", or start scx_javaland as its owner)");
        } catch (IOException e) {
            LOG.debug("Copying {} failed ({}); looking again later.", entry, e.getMessage());
        }
    }

    /**
     * The file {@code entry} stands for: itself, or where its symbolic link leads if that is
     * inside the watched folder; null (and reported) for a link that leads elsewhere.
     */
    private Path resolve(Path entry) throws IOException {
        Stamp own = Stamp.of(entry);
        if (!own.symbolicLink()) {
            return entry;
        }
        Path target = entry.toRealPath();
        if (target.getParent() != null && target.getParent().equals(source.toRealPath())) {
            return target;
        }
        refuse(entry.getFileName().toString(), own, entry + " is a symbolic link to " + target + ", outside " + source
                + " (fix: put the file itself there: cp --remove-destination " + target + " " + entry + ")");
        return null;
    }

    private void refuse(String name, Stamp stamp, String problem) {
        String key = stamp + problem;
        if (key.equals(refused.get(name))) {
            return;
        }
        refused.put(name, key);
        warnings.accept(problem + ": refused, "
                + (admitted.containsKey(name) ? "the version admitted before stays in use" : "nothing of it is loaded") + ".");
    }

    /**
     * Copies {@code file} into the private folder and keeps the copy only if the file is still
     * what was checked; false when it changed meanwhile (the next look checks it again).
     */
    private boolean admit(String name, Path file, Stamp checked) throws IOException {
        beforeCopy.run();
        Path partial = Files.createTempFile(incoming, name, ".part");
        try {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                    FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    long n = in.transferTo(done, size - done, out);
                    if (n <= 0) {
                        break;
                    }
                    done += n;
                }
                out.force(true);
            }
            Stamp after = Stamp.of(file);
            if (!after.equals(checked) || Files.size(partial) != checked.size()) {
                LOG.debug("{} changed while it was copied; looking again later.", file);
                return false;
            }
            Files.move(partial, copy.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            admitted.put(name, checked);
            return true;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private void remove(String name) {
        try {
            Files.deleteIfExists(copy.resolve(name));
            admitted.remove(name);
        } catch (IOException e) {
            LOG.debug("Removing the copy of {} failed ({}); trying again later.", name, e.getMessage());
        }
    }
}
