package org.scxjavaland.launcher;

import sun.misc.Signal;

/**
 * The {@code scx_javaland} command. SIGTERM and Ctrl-C (SIGINT) stop the host cleanly and the
 * process exits with 0.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Launcher launcher = new Launcher(System.out, System.err, Layout::locate, System.console() != null);
        stopOn("TERM", launcher);
        stopOn("INT", launcher);
        // Any other way out (SIGHUP, System.exit elsewhere) still stops the bundles.
        Thread hook = new Thread(() -> launcher.stopAndWait(10_000), "scx-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int exitCode = launcher.run(args);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already on its way out; the hook does the stopping.
        }
        System.exit(exitCode);
    }

    private static void stopOn(String signal, Launcher launcher) {
        try {
            Signal.handle(new Signal(signal), received -> launcher.requestStop());
        } catch (IllegalArgumentException e) {
            // Not available on this platform (or ignored, as for background jobs): the shutdown hook remains.
        }
    }
}
