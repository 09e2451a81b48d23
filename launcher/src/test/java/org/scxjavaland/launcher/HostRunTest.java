package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;
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
 * The launcher with the real host: the bundles the build laid out in target/scx_javaland/bundles,
 * a home of the test's own (empty etc/ and deploy/), the simulated machine in fast mode.
 */
public class HostRunTest {

    private static final Path BUILT_BUNDLES = Path.of("target", "scx_javaland", "bundles").toAbsolutePath();

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private Layout layout;
    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @Before
    public void layOutHome() throws IOException {
        assertTrue("build the module first (mvn process-resources lays out " + BUILT_BUNDLES + ")",
                Files.isDirectory(BUILT_BUNDLES));
        Path home = folder.newFolder("scx_javaland").toPath();
        Files.createSymbolicLink(home.resolve("bundles"), BUILT_BUNDLES);
        layout = Layout.of(home);
    }

    private int run(String... args) {
        return new Launcher(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), () -> layout, false).run(args);
    }

    private List<String> errLines() {
        return errBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void writeEtc(String pid, String text) throws IOException {
        Files.createDirectories(layout.etc());
        Files.writeString(layout.etc().resolve(pid + ".cfg"), text);
    }

    @Test
    public void runsTheSimulationForItsDurationAndExitsCleanly() {
        assertEquals(ExitCode.OK, run("--sim-mode", "fast", "--sim-duration-ms", "300"));
        List<String> err = errLines();
        if (!Preflight.Machine.current().schedExt()) {
            assertEquals(Cli.versionLine() + " on the simulated machine (--backend auto: this kernel ("
                    + Preflight.Machine.current().kernelRelease() + ") has no sched_ext).", err.get(0));
        }
        assertThat(String.join("\n", err), containsString("the simulated machine stopped: The simulation reached"
                + " its duration of 300 ms"));
        assertThat(String.join("\n", err), not(containsString("Exception")));
        assertTrue(Files.isDirectory(layout.deploy()));
        assertTrue(Files.isDirectory(layout.felixCache()));
    }

    @Test
    public void statsPrintsMonitorLinesWhileItRuns() {
        assertEquals(ExitCode.OK, run("--sim-mode", "paced", "--sim-duration-ms", "1500", "--stats", "0.4"));
        List<String> all = outBytes.toString(StandardCharsets.UTF_8).lines().toList();
        // The monitor lines, then the run's latency table once it reached its duration.
        int table = all.indexOf(all.stream().filter(l -> l.startsWith("policy deadline, workload ")).findFirst()
                .orElseThrow(() -> new AssertionError("no latency table at the end: " + all)));
        List<String> lines = all.subList(0, table);
        assertTrue("monitor lines: " + lines, lines.size() >= 2);
        for (String line : lines) {
            assertTrue(line, line.matches("\\[javaland\\] tasks -> r: +\\d+/\\d+ +w: \\d+ */\\d+ +\\| pf: \\d+ +"
                    + "\\| dispatch -> u: \\d+ +k: \\d+ +c: \\d+ +b: \\d+ +f: \\d+ +\\| cg: \\d+ *"));
        }
        assertTrue("no task was dispatched in any interval: " + lines,
                lines.stream().anyMatch(line -> !line.contains("u: 0 ")));
    }

    @Test
    public void unknownPolicyEndsWithTheKnownOnes() {
        assertEquals(ExitCode.USAGE, run("--sim-mode", "fast", "--policy", "nosuch"));
        List<String> err = errLines();
        String last = err.get(err.size() - 1);
        assertTrue(last, last.startsWith("Unknown policy 'nosuch': the known policies are "));
        assertThat(last, containsString("deadline"));
        assertThat(last, containsString("fifo"));
    }

    @Test
    public void unknownWorkloadIsOneSentenceBeforeAnythingRuns() {
        assertEquals(ExitCode.USAGE, run("--workload", "nosuch"));
        List<String> err = errLines();
        assertEquals(1, err.size());
        assertThat(err.get(0), containsString("'nosuch'"));
    }

    @Test
    public void malformedWorkloadFileIsOneSentence() throws IOException {
        Path file = folder.newFile("broken.workload").toPath();
        Files.writeString(file, "name=broken\ngroup.a.run_us=lots\n");
        assertEquals(ExitCode.USAGE, run("--workload", file.toString()));
        List<String> err = errLines();
        assertEquals(err.toString(), 1, err.size());
        assertThat(err.get(0), containsString(file.toString()));
    }

    @Test
    public void minimumSliceAboveTheSliceIsRejected() {
        assertEquals(ExitCode.USAGE, run("-s", "500"));
        assertEquals(List.of("The minimum slice (1000 us) is larger than the slice (500 us): give --slice-us-min a"
                + " value no larger than --slice-us."), errLines());
    }

    @Test
    public void commandLineOverridesEtc() throws IOException {
        writeEtc(HostConfiguration.SIM_PID, "mode = paced\nduration_ms = 600000\n");
        assertEquals(ExitCode.OK, run("--sim-mode", "fast", "--sim-duration-ms", "200"));
        assertThat(String.join("\n", errLines()), containsString("duration of 200 ms"));
    }

    @Test
    public void asRootADeployFolderOthersCanWriteIsRefused() throws IOException {
        assumeTrue("only root is checked", Layout.runningAsRoot());
        Files.createDirectories(layout.deploy());
        Files.setPosixFilePermissions(layout.deploy(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(ExitCode.FAILURE, run());
        assertEquals(List.of(layout.deploy() + " is writable by other users (fix: chmod go-w " + layout.deploy()
                + "): as root, scx_javaland only loads bundles and configurations that root alone can change."),
                errLines());
    }

    @Test
    public void bpfOnAKernelWithoutSchedExtIsOneSentence() {
        assumeFalse("this kernel has sched_ext", Preflight.Machine.current().schedExt());
        assertEquals(ExitCode.FAILURE, run("--backend", "bpf", "--stats", "1"));
        assertNoSchedExtIsTheOnlySentence(errLines());
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void bpfInEtcOnAKernelWithoutSchedExtIsOneSentence() throws IOException {
        assumeFalse("this kernel has sched_ext", Preflight.Machine.current().schedExt());
        writeEtc(HostConfiguration.CONNECTOR_PID, "backend = bpf\n");
        assertEquals(ExitCode.FAILURE, run("-p"));
        assertNoSchedExtIsTheOnlySentence(errLines());
    }

    /** Nothing claims to run on the kernel, no bundle starts: the one sentence says why not. */
    private static void assertNoSchedExtIsTheOnlySentence(List<String> err) {
        assertEquals("stderr: " + err, List.of("This kernel (" + Preflight.Machine.current().kernelRelease()
                + ") has no sched_ext (/sys/kernel/sched_ext is missing): boot a kernel built with"
                + " CONFIG_SCHED_CLASS_EXT=y, or run on the simulated machine (--backend sim)."), err);
    }

    @Test
    public void aWorkloadThatDoesNotFitTheMachineEndsTheLaunchInOneSentence() throws IOException {
        Path file = folder.newFile("wide.properties").toPath();
        Files.writeString(file, "cpus=4\ngroup.a.run_us=100\ngroup.a.sleep_us=1000\ngroup.a.affinity=0-9\n");
        // Without the check the simulator ran its default machine instead, and for ever: no duration here.
        assertEquals(ExitCode.USAGE, run("--workload", file.toString()));
        assertEquals(List.of("Workload file " + file + ": group.a.affinity names CPU 4, but the machine has 4 CPUs;"
                + " use CPUs 0-3 or run with more CPUs."), errLines());
    }

    @Test
    public void theCpusOfTheCommandLineAreTheOnesTheWorkloadMustFit() throws IOException {
        Path file = folder.newFile("wide.properties").toPath();
        Files.writeString(file, "group.a.run_us=100\ngroup.a.sleep_us=1000\ngroup.a.affinity=0-9\n");
        assertEquals(ExitCode.USAGE, run("--workload", file.toString(), "--sim-cpus", "8"));
        assertThat(String.join("\n", errLines()), containsString("but the machine has 8 CPUs"));
        errBytes.reset();
        assertEquals(ExitCode.OK, run("--workload", file.toString(), "--sim-cpus", "10", "--sim-mode", "fast",
                "--sim-duration-ms", "100"));
    }

    @Test
    public void aBadSimulatorValueInEtcEndsTheLaunchInOneSentence() throws IOException {
        writeEtc(HostConfiguration.SIM_PID, "mode = quick\n");
        assertEquals(ExitCode.USAGE, run());
        List<String> err = errLines();
        assertEquals(err.toString(), 1, err.size());
        assertThat(err.get(0), containsString("mode is 'quick', expected fast or paced"));
    }

    @Test
    public void aLiveEditOfTheSimulatorsCfgKeepsTheMachineTheCommandLineGave() throws Exception {
        writeEtc(HostConfiguration.SIM_PID, "mode = paced\n");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // The bundles log through slf4j-simple onto System.err, looked up at each line.
        System.setErr(new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (log) {
                    log.write(b);
                }
                original.write(b);
            }
        }, true, StandardCharsets.UTF_8));
        // The build's hosts log warnings only: the simulator's own lines (each host's slf4j-simple reads this anew).
        String simulatorLog = "org.slf4j.simpleLogger.log.org.scxjavaland.sim";
        System.setProperty(simulatorLog, "info");
        Launcher launcher = new Launcher(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8), () -> layout, false);
        java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread host = new Thread(() -> exit.set(launcher.run("--workload", "server", "--sim-seed", "3",
                "--sim-duration-ms", "3600000")), "host-under-test");
        try {
            host.start();
            awaitLine(log, "Simulated machine ready: workload server");
            // Any edit, even of a key nobody knows: fileinstall hands the simulator the file's keys alone.
            // A second edit: the simulator takes edits one at a time, so its word on this one says the
            // first edit has been dealt with entirely.
            for (String key : List.of("frobnicate", "twiddle")) {
                Path edited = folder.newFile(key + ".cfg").toPath();
                Files.writeString(edited, "mode = paced\n" + key + " = 1\n");
                Files.move(edited, layout.etc().resolve(HostConfiguration.SIM_PID + ".cfg"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                awaitLine(log, "the key " + key + " is unknown");
            }
        } finally {
            launcher.requestStop();
            host.join(60_000);
            System.setErr(original);
            System.clearProperty(simulatorLog);
        }
        assertEquals(ExitCode.OK, exit.get());
        String logged;
        synchronized (log) {
            logged = log.toString(StandardCharsets.UTF_8);
        }
        assertEquals("one machine, the command line's: " + logged, 1,
                logged.lines().filter(l -> l.contains("Simulated machine ready")).count());
        assertThat(logged, containsString(
                "Simulated machine ready: workload server, cpus=8, seed=3, mode=paced, duration=3600000 ms, scheduler=12000 ns/round + 50 ns/task."));
        assertThat(logged, not(containsString("a new simulated machine replaces this one")));
    }

    /** Waits until {@code log} holds a line with {@code part} (the host runs in another thread). */
    private static void awaitLine(ByteArrayOutputStream log, String part) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            synchronized (log) {
                if (log.toString(StandardCharsets.UTF_8).contains(part)) {
                    return;
                }
            }
            assertTrue("no line with '" + part + "' within 60 s", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }
}
