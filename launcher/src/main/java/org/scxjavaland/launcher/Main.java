package org.scxjavaland.launcher;

import sun.misc.Signal;

/**
 * The {@code scx_javaland} command. SIGTERM stops the host cleanly and the process exits with 0;
 * so does Ctrl-C (SIGINT), but while gogo's console is open, where it ends the repeating command
 * only ({@link Launcher#interrupt}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Launcher launcher = new Launcher(System.out, System.err, Layout::locate, System.console() != null);
        stopOn("TERM", launcher);
        on("INT", launcher::interrupt);
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
        on(signal, () -> launcher.stopOn("SIG" + signal));
    }

    private static void on(String signal, Runnable action) {
        try {
            Signal.handle(new Signal(signal), received -> action.run());
        } catch (IllegalArgumentException e) {
            // Not available on this platform (or ignored, as for background jobs): the shutdown hook remains.
        }
    }
}
