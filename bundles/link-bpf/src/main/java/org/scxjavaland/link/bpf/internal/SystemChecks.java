package org.scxjavaland.link.bpf.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scxjavaland.api.OneLine;
import org.scxjavaland.link.bpf.BpfLinkException;

/**
 * The checks of this system (sched_ext in the kernel, root, no other scheduler attached, libbpf)
 * made before anything is loaded, each failing with one sentence that says what is wrong and what
 * to do. The sched_ext folder is a parameter so that tests can fake one.
 */
public final class SystemChecks {
    /** Where the kernel shows sched_ext's state. */
    public static final Path SCHED_EXT = Path.of("/sys/kernel/sched_ext");

    static final String DEBIAN_LIBBPF = "apt-get install -t bookworm-backports libbpf1";

    private SystemChecks() {
    }

    /** Checks that this kernel has sched_ext, that we are root and that no other scheduler is attached. */
    public static void checkKernel(Path schedExt, int euid, String kernelRelease) throws BpfLinkException {
        if (!Files.isDirectory(schedExt)) {
            throw new BpfLinkException("This kernel (" + kernelRelease + ") has no sched_ext (" + schedExt
                    + " is missing): boot a kernel built with CONFIG_SCHED_CLASS_EXT=y, or run on the simulated machine (backend sim).");
        }
        if (euid != 0) {
            throw new BpfLinkException("The BPF link must run as root to load a scheduler into the kernel (effective uid is "
                    + euid + "): start scx_javaland with sudo or as root.");
        }
        checkNoneAttached(schedExt);
    }

    /** Fails when a sched_ext scheduler is already attached (or sched_ext is changing state). */
    public static void checkNoneAttached(Path schedExt) throws BpfLinkException {
        String state = read(schedExt.resolve("state"));
        if (state.isEmpty() || state.equals("disabled")) {
            return;
        }
        String ops = read(schedExt.resolve("root").resolve("ops"));
        if (state.equals("enabled") && !ops.isEmpty()) {
            throw new BpfLinkException("Another sched_ext scheduler ('" + ops + "') is already attached: stop it first"
                    + " (end its process, or e.g. 'systemctl stop scx'), then start scx_javaland again.");
        }
        throw new BpfLinkException("sched_ext is busy (state '" + state + "'" + (ops.isEmpty() ? "" : ", scheduler '" + ops + "'")
                + "): wait until its state is 'disabled' and start scx_javaland again.");
    }

    /**
     * Waits until sched_ext's state is 'disabled' again (a stopped scheduler is torn down in the
     * background), for at most {@code timeoutNanos}.
     */
    public static void awaitDisabled(Path schedExt, long timeoutNanos) throws BpfLinkException {
        long deadline = System.nanoTime() + timeoutNanos;
        String state = read(schedExt.resolve("state"));
        while (!state.isEmpty() && !state.equals("disabled")) {
            if (System.nanoTime() > deadline) {
                throw new BpfLinkException("sched_ext stayed in state '" + state + "' after the scheduler stopped: "
                        + "wait until it is 'disabled' and start scx_javaland again.");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BpfLinkException("Interrupted while waiting for sched_ext to be disabled: start scx_javaland again.");
            }
            state = read(schedExt.resolve("state"));
        }
    }

    /** Loads libbpf and checks its version. */
    public static void checkLibbpf() throws BpfLinkException {
        String version;
        try {
            version = LibbpfVersion.version();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new BpfLinkException("libbpf could not be loaded (" + loadFailure(e.getMessage())
                    + "): install libbpf1 1.4 or later (on Debian 12: " + DEBIAN_LIBBPF + ").");
        }
        if (!LibbpfVersion.recentEnough()) {
            throw tooOld(version);
        }
        try {
            Libbpf.bind();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new BpfLinkException("libbpf " + version + " lacks functions the BPF link needs (" + OneLine.first(e.getMessage(), "no details")
                    + "): install libbpf1 1.4 or later (on Debian 12: " + DEBIAN_LIBBPF + ").");
        }
    }

    static BpfLinkException tooOld(String version) {
        return new BpfLinkException("libbpf " + version + " is too old: scx_javaland needs libbpf "
                + LibbpfVersion.MIN_MAJOR + "." + LibbpfVersion.MIN_MINOR + " or later (on Debian 12: " + DEBIAN_LIBBPF + ").");
    }

    /** The kernel's release string, e.g. 6.12.0, for messages. */
    public static String kernelRelease() {
        String release = read(Path.of("/proc/sys/kernel/osrelease"));
        return release.isEmpty() ? System.getProperty("os.version", "unknown") : release;
    }

    static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    /**
     * Why a library did not load. JNA's message opens with "Unable to load library 'x':" and then
     * gives the loader's own reasons, one per line; the first of those is the one to show.
     */
    static String loadFailure(String message) {
        if (message == null) {
            return "no details";
        }
        return message.lines().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("Unable to load library"))
                .findFirst().orElse(OneLine.first(message, "no details"));
    }
}
