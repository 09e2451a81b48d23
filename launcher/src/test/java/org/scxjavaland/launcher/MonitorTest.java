package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code --monitor}: a host runs in this JVM (the bundles the build laid out, a home of the test's
 * own, the simulated machine paced); monitors attach to it the way a second scx_javaland process
 * would, through the socket in its data folder.
 */
public class MonitorTest {

    private static final Path BUILT_BUNDLES = Path.of("target", "scx_javaland", "bundles").toAbsolutePath();
    private static final long PATIENCE_MS = 30_000;
    private static final Pattern MONITOR_LINE = Pattern.compile("\\[javaland\\] tasks -> r: +\\d+/\\d+ +w: \\d+ */\\d+"
            + " +\\| pf: \\d+ +\\| dispatch -> u: (\\d+) +k: \\d+ +c: \\d+ +b: \\d+ +f: \\d+ +\\| cg: \\d+ *");

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private Layout layout;

    @Before
    public void layOutHome() throws IOException {
        assertTrue("build the module first (mvn process-resources lays out " + BUILT_BUNDLES + ")",
                Files.isDirectory(BUILT_BUNDLES));
        Path home = folder.newFolder("scx_javaland").toPath();
        Files.createSymbolicLink(home.resolve("bundles"), BUILT_BUNDLES);
        layout = Layout.of(home);
    }

    /** A launcher running in a thread of its own, with what it prints. */
    private final class Running {
        final Launcher launcher;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final AtomicInteger exitCode = new AtomicInteger(-1);
        final Thread thread;

        Running(String... args) {
            launcher = new Launcher(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), () -> layout, false);
            thread = new Thread(() -> exitCode.set(launcher.run(args)), "launcher " + String.join(" ", args));
            thread.start();
        }

        List<String> outLines() {
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        int awaitExit() throws InterruptedException {
            thread.join(PATIENCE_MS);
            assertFalse("still running: " + err(), thread.isAlive());
            return exitCode.get();
        }
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("gave up waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    public void monitorsPrintTheRunningHostsCountersEveryIntervalUntilStoppedOrTheHostEnds() throws Exception {
        Path socket = StatsSocket.path(layout);
        leaveAStaleSocket(socket);

        Running host = new Running("--sim-mode", "paced");
        try {
            waitUntil("the host serving its counters", () -> answers(socket));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

            Running stoppedByUser = new Running("--monitor", "0.3");
            Running endsWithHost = new Running("--monitor", "0.3");
            waitUntil("two monitor lines", () -> stoppedByUser.outLines().size() >= 2
                    && endsWithHost.outLines().size() >= 2);

            stoppedByUser.launcher.requestStop(); // what SIGTERM or Ctrl-C do
            assertEquals(stoppedByUser.err(), ExitCode.OK, stoppedByUser.awaitExit());
            assertEquals("", stoppedByUser.err());
            assertMonitorLines(stoppedByUser.outLines());

            host.launcher.requestStop();
            assertEquals(ExitCode.OK, host.awaitExit());
            assertEquals(ExitCode.OK, endsWithHost.awaitExit());
            assertThat(endsWithHost.err(), containsString("INFO scx_javaland - The monitored scx_javaland stopped"));
            assertMonitorLines(endsWithHost.outLines());
            assertThat(host.err(), not(containsString("Exception")));
            assertFalse("the host removes its socket when it stops", Files.exists(socket));
        } finally {
            host.launcher.requestStop();
            host.awaitExit();
        }
    }

    /** Monitor lines with deltas: the sim paced to the wall clock dispatches something in 0.3 s. */
    private static void assertMonitorLines(List<String> lines) {
        assertTrue(lines.toString(), lines.size() >= 2);
        long dispatched = 0;
        for (String line : lines) {
            Matcher m = MONITOR_LINE.matcher(line);
            assertTrue(line, m.matches());
            dispatched += Long.parseLong(m.group(1));
        }
        assertTrue("nothing dispatched in any interval: " + lines, dispatched > 0);
    }

    /** A socket file left by a host that was killed: nothing answers there. */
    private static void leaveAStaleSocket(Path socket) throws IOException {
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        assertFalse(answers(socket));
    }

    private static boolean answers(Path socket) {
        try (Monitor monitor = Monitor.attach(socket)) {
            return monitor.metrics().nrCpus() > 0;
        } catch (LaunchFailure | IOException e) {
            return false;
        }
    }

    @Test
    public void withoutARunningHostTheMonitorSaysSoAndExitsWithOne() throws Exception {
        Running monitor = new Running("--monitor", "1");
        assertEquals(ExitCode.FAILURE, monitor.awaitExit());
        assertEquals(List.of("No scx_javaland is running from this installation (nothing answers at "
                + StatsSocket.path(layout) + "): start it first, or point --monitor at its installation with"
                + " -Dscx.home (or -Dscx.data)."), monitor.err().lines().toList());
        assertEquals(List.of(), monitor.outLines());
    }

    @Test
    public void aStaleSocketIsNoRunningHostEither() throws Exception {
        leaveAStaleSocket(StatsSocket.path(layout));
        Running monitor = new Running("--monitor", "1");
        assertEquals(ExitCode.FAILURE, monitor.awaitExit());
        assertThat(monitor.err(), containsString("No scx_javaland is running from this installation"));
    }

    @Test
    public void theCountersTravelAsOneLineOfNamedNumbers() {
        org.scxjavaland.api.Metrics metrics = new org.scxjavaland.api.Metrics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        String line = MetricsText.format(metrics);
        assertEquals("nr_running=1 nr_cpus=2 nr_queued=3 nr_scheduled=4 nr_page_faults=5 nr_user_dispatches=6"
                + " nr_kernel_dispatches=7 nr_cancel_dispatches=8 nr_bounce_dispatches=9 nr_failed_dispatches=10"
                + " nr_sched_congested=11", line);
        assertEquals(metrics, MetricsText.parse(line));
    }
}
