package org.scxjavaland.deploy.guard;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the folders a user drops files into (deploy/, etc/) and fileinstall, which then
 * watches private copies instead: see {@link GuardedFolder}. The host runs as root to schedule a
 * real kernel, so a jar or .cfg that another user can change must never reach it, not at start
 * and not later.
 *
 * <p>Framework properties: {@value #FOLDERS} lists {@code watched=copy} pairs, comma-separated
 * (the copies are what {@code felix.fileinstall.dir} names). The folders are looked at when the
 * file system says something in them changed (inotify, through a {@link WatchService}), and at
 * the latest every {@value #POLL} ms (default 10000) for what it cannot say (a parent folder's
 * mode): an idle host does no work. Every look checks everything again, so what is admitted is
 * what was safe at that moment, whatever woke the look. {@value #GATE}, for tests only, names a file: while
 * it exists, the guard stops between a file's check and its copy (and says so by creating the same
 * name with {@code .reached} added), so that a test can change the file in that window. The first
 * look is made while the bundle starts, so that what it admits is in place when fileinstall starts.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class DeployGuard implements BundleActivator {

    /** Framework property: the watched folders and their copies, {@code watched=copy,...}. */
    public static final String FOLDERS = "scx.guard.folders";
    /** Framework property: how often the folders are looked at when nothing changed in them, in ms. */
    public static final String POLL = "scx.guard.poll";
    /** Framework property, for tests: a file whose presence holds the guard between a check and its copy. */
    public static final String GATE = "scx.guard.test.gate";
    private static final long GATE_LIMIT_MS = 60_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeployGuard.class);
    private static final long DEFAULT_POLL_MS = 10_000;
    private static final long MIN_POLL_MS = 50;
    /** After a change, how long the folders must stay quiet before the look (a file being copied in). */
    private static final long SETTLE_MS = 200;

    private final List<GuardedFolder> folders = new ArrayList<>();
    /** The watched folders that have an inotify watch (a folder created later gets one at a look). */
    private final Set<Path> watched = new HashSet<>();
    private volatile boolean stopped;
    private WatchService changes;
    private Thread thread;

    @Override
    public void start(BundleContext context) throws IOException {
        String spec = context.getProperty(FOLDERS);
        if (spec == null || spec.isBlank()) {
            return;
        }
        int uid = FileSafety.processUid();
        long pollMs = Math.max(MIN_POLL_MS, number(context.getProperty(POLL), DEFAULT_POLL_MS));
        String gate = context.getProperty(GATE);
        Runnable beforeCopy = gate == null || gate.isBlank() ? () -> { } : () -> holdAt(Path.of(gate));
        List<Path[]> pairs = pairs(spec);
        if (pairs.isEmpty()) {
            LOG.error("{} must list watched=copy folder pairs, not '{}': nothing is admitted from deploy/ or etc/.", FOLDERS, spec);
            return;
        }
        Path incoming = pairs.get(0)[1].resolveSibling(".incoming");
        PrivateFolders.recreate(incoming);
        for (Path[] pair : pairs) {
            folders.add(new GuardedFolder(pair[0], pair[1], incoming, uid, beforeCopy, LOG::warn));
        }
        changes = FileSystems.getDefault().newWatchService();
        lookOnce();
        thread = new Thread(() -> {
            while (!stopped) {
                awaitChange(pollMs);
                if (!stopped) {
                    lookOnce();
                }
            }
        }, "scx-deploy-guard");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop(BundleContext context) throws InterruptedException {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
        if (changes != null) {
            try {
                changes.close();
            } catch (IOException e) {
                LOG.debug("Closing the folder watch failed: {}", e.getMessage());
            }
        }
    }

    /** Returns when something changed in a watched folder and then stayed quiet a moment, or after {@code pollMs}. */
    private void awaitChange(long pollMs) {
        try {
            WatchKey key = changes.poll(pollMs, TimeUnit.MILLISECONDS);
            while (key != null) {
                key.pollEvents();
                if (!key.reset()) {
                    watched.remove((Path) key.watchable()); // the folder went: watched again once it is back
                }
                key = changes.poll(SETTLE_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            if (!stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the file system to say when something changes in {@code folder}, if not asked yet. */
    private void watch(Path folder) {
        if (watched.contains(folder) || !Files.isDirectory(folder)) {
            return;
        }
        try {
            folder.register(changes, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            watched.add(folder);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("Watching {} for changes failed ({}); it is looked at every poll instead.", folder, e.getMessage());
        }
    }

    private void lookOnce() {
        for (GuardedFolder folder : folders) {
            watch(folder.source());
            try {
                folder.sync();
            } catch (RuntimeException e) {
                LOG.warn("Looking at {} failed ({}); looking again in a moment.", folder.source(), e.toString());
            }
        }
    }

    /** The {@code watched=copy} pairs of {@code spec}, or an empty list when one is malformed. */
    static List<Path[]> pairs(String spec) {
        List<Path[]> pairs = new ArrayList<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                return List.of();
            }
            pairs.add(new Path[] {Path.of(part.substring(0, eq).trim()).toAbsolutePath().normalize(),
                    Path.of(part.substring(eq + 1).trim()).toAbsolutePath().normalize()});
        }
        return pairs;
    }

    private static long number(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** While {@code gate} exists (at most a minute), waits, having said so with {@code gate.reached}. */
    private void holdAt(Path gate) {
        if (!Files.exists(gate)) {
            return;
        }
        try {
            Files.writeString(gate.resolveSibling(gate.getFileName() + ".reached"), "");
        } catch (IOException e) {
            LOG.warn("The test gate {} cannot be marked as reached ({}).", gate, e.getMessage());
        }
        long limit = System.nanoTime() + GATE_LIMIT_MS * 1_000_000;
        while (Files.exists(gate) && System.nanoTime() < limit && !stopped) {
            pause(10);
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            if (!stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
