package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;
import org.scxjavaland.api.Metrics;

/**
 * The launcher's command line: what it prints for help, version and counters, and the one sentence
 * and exit code for each kind of bad input. None of these start the host.
 */
public class CommandLineTest {

    /** Every option the command line must offer (scx_rustland's, then scx_javaland's own). */
    private static final List<String> EXPECTED_OPTIONS = List.of(
            "-s", "--slice-us", "-S", "--slice-us-min", "-l", "--percpu-local", "-n", "--numa-local",
            "-p", "--partial", "--exit-dump-len", "-v", "--verbose", "--stats", "--monitor", "--help-stats",
            "-V", "--version", "--backend", "--policy", "--workload", "--sim-mode", "--sim-duration-ms",
            "--sim-cpus", "--sim-seed", "--sim-sched-round-ns", "--sim-sched-task-ns", "--shell", "-D", "-h", "--help");

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    /** The environment variables the launcher sees. */
    private java.util.Map<String, String> environment = java.util.Map.of();

    private int run(String... args) {
        Launcher launcher = new Launcher(new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                () -> {
                    throw new AssertionError("the host must not start for " + String.join(" ", args));
                },
                false).withEnvironment(environment::get);
        return launcher.run(args);
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private List<String> errLines() {
        return err().lines().toList();
    }

    /** Exit 2, the sentence, then the one hint line; nothing on stdout, no stack trace. */
    private String assertUsageError(String... args) {
        int code = run(args);
        assertEquals("exit code for " + String.join(" ", args) + ": " + err(), ExitCode.USAGE, code);
        List<String> lines = errLines();
        assertEquals("stderr for " + String.join(" ", args) + ": " + err(), 2, lines.size());
        assertEquals(Cli.HINT, lines.get(1));
        assertEquals("", out());
        assertThat(err(), not(containsString("Exception")));
        assertThat(err(), not(containsString("\tat ")));
        return lines.get(0);
    }

    private void reset() {
        outBytes.reset();
        errBytes.reset();
    }

    @Test
    public void helpListsEveryOption() {
        assertEquals(ExitCode.OK, run("--help"));
        String help = out();
        for (String option : EXPECTED_OPTIONS) {
            assertTrue("--help does not mention " + option + ":\n" + help,
                    help.matches("(?s).*(^|[\\s,])" + java.util.regex.Pattern.quote(option) + "([\\s,=]|$).*"));
        }
        assertEquals("", err());
    }

    @Test
    public void helpShowsTheSeedsDefaults() {
        run("-h");
        String help = out().replaceAll("\\s+", " ");
        assertThat(help, containsString("--slice-us=US Time slice in microseconds: "));
        assertThat(help, containsString("in its deadline (default: 20000)."));
        assertThat(help, containsString("no larger than the time slice (default: 1000)."));
        assertThat(help, containsString("--percpu-local Dispatch each task to the CPU it was queued from"));
        assertThat(help, containsString("(default: deadline)"));
        assertThat(help, containsString("(default: desktop-under-build)"));
        assertThat(help, containsString("(default: auto)"));
        assertThat(help, containsString("(default: paced)"));
    }

    @Test
    public void versionPrintsNameAndBuildVersion() {
        assertEquals(ExitCode.OK, run("-V"));
        String line = out().trim();
        assertTrue(line, line.matches("scx_javaland \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"));
        reset();
        run("--version");
        assertEquals(line, out().trim());
    }

    @Test
    public void helpStatsDescribesEveryCounter() {
        assertEquals(ExitCode.OK, run("--help-stats"));
        assertEquals(Metrics.describe(), out().trim());
        for (String counter : List.of("nr_running", "nr_cpus", "nr_queued", "nr_scheduled", "nr_page_faults",
                "nr_user_dispatches", "nr_kernel_dispatches", "nr_cancel_dispatches", "nr_bounce_dispatches",
                "nr_failed_dispatches", "nr_sched_congested")) {
            assertThat(out(), containsString(counter));
        }
    }

    @Test
    public void aSecondBackendSaysWhereTheServiceTakesItsBackendFrom() {
        assertEquals("--backend is given twice: give it once.", assertUsageError("--backend", "sim", "--backend", "bpf"));
        reset();
        // The systemd unit passes --backend ${SCX_JAVALAND_BACKEND} $SCX_JAVALAND_FLAGS.
        environment = java.util.Map.of("SCX_JAVALAND_BACKEND", "bpf");
        assertEquals("--backend is given twice: the service passes SCX_JAVALAND_BACKEND (bpf) as --backend, so choose"
                + " the backend with SCX_JAVALAND_BACKEND in /etc/default/scx_javaland and take --backend out of"
                + " SCX_JAVALAND_FLAGS.", assertUsageError("--backend", "bpf", "-s", "10000", "--backend", "sim"));
    }

    @Test
    public void unknownOptionIsOneSentence() {
        assertEquals("Unknown option '--slices'.", assertUsageError("--slices", "5"));
    }

    @Test
    public void anUnknownOptionBesideVersionOrHelpIsRefusedToo() {
        assertEquals("Unknown option '--bogus'.", assertUsageError("-V", "--bogus"));
        reset();
        assertEquals("Unknown option '--bogus'.", assertUsageError("--help", "--bogus"));
    }

    @Test
    public void aNumberTooLargeIsSaidToBeTooLarge() {
        assertEquals("Invalid value '99999999999999999999' for --slice-us: expected a whole number of microseconds"
                + " greater than 0; this number is too large.", assertUsageError("-s", "99999999999999999999"));
    }

    @Test
    public void scxPropertiesAreTakenAsTheStartScriptPassesThemOn() {
        Options options = Options.parse("-Dscx.data=/var/lib/scx_javaland", "-D", "scx.shell=false", "-V");
        assertEquals(java.util.Map.of("scx.data", "/var/lib/scx_javaland", "scx.shell", "false"), options.properties());
    }

    @Test
    public void aJvmPropertyIsSentToScxJavaOpts() {
        assertEquals("-Djava.io.tmpdir is not one of scx_javaland's properties (scx.data, scx.home, scx.shell): give"
                + " other JVM options in SCX_JAVA_OPTS.", assertUsageError("-Djava.io.tmpdir=/x", "-V"));
    }

    @Test
    public void positionalArgumentIsRejected() {
        assertThat(assertUsageError("deadline"), containsString("Unexpected argument 'deadline'"));
    }

    @Test
    public void zeroSliceIsRejected() {
        assertEquals("Invalid value '0' for --slice-us: expected a whole number of microseconds greater than 0.",
                assertUsageError("-s", "0"));
    }

    @Test
    public void negativeSliceIsRejected() {
        assertThat(assertUsageError("--slice-us=-5"), containsString("Invalid value '-5' for --slice-us"));
        reset();
        assertThat(assertUsageError("-S", "-1"), containsString("Invalid value '-1' for --slice-us-min"));
    }

    @Test
    public void textSliceIsRejected() {
        assertThat(assertUsageError("--slice-us", "fast"), containsString("Invalid value 'fast' for --slice-us"));
        reset();
        assertThat(assertUsageError("--slice-us-min", "1.5"), containsString("'1.5' for --slice-us-min"));
    }

    @Test
    public void missingValueIsRejected() {
        assertThat(assertUsageError("--slice-us"), containsString("--slice-us"));
    }

    @Test
    public void otherBadValuesAreRejected() {
        String[][] cases = {
            {"--stats", "0"}, {"--stats", "often"}, {"--monitor", "-1"}, {"--exit-dump-len", "-1"},
            {"--backend", "kernel"}, {"--sim-mode", "slow"}, {"--sim-duration-ms", "-10"},
            {"--sim-cpus", "0"}, {"--sim-cpus", "100000"}, {"--sim-cpus", "2000"}, {"--sim-seed", "x"}, {"--policy", "Dead Line"},
            {"--sim-sched-round-ns", "-1"}, {"--sim-sched-task-ns", "10000001"}, {"--sim-sched-round-ns", "1us"},
        };
        for (String[] args : cases) {
            reset();
            String sentence = assertUsageError(args);
            assertThat(sentence, containsString("Invalid value '" + args[1] + "' for " + args[0] + ": expected"));
            assertTrue(sentence, sentence.endsWith("."));
        }
    }

    @Test
    public void missingWorkloadFileIsRejected() {
        assertEquals("Invalid value 'no/such/file.workload' for --workload: no such workload file"
                + " (give an existing file or a built-in workload's name).",
                assertUsageError("--workload", "no/such/file.workload"));
    }

    @Test
    public void aMissingTraceFileIsRejected() {
        assertEquals("Invalid value 'trace:no/such/file.trace' for --workload: no such trace file (give trace:FILE"
                + " with the path of a file that --record wrote).",
                assertUsageError("--workload", "trace:no/such/file.trace"));
        reset();
        assertEquals("Invalid value 'trace:' for --workload: expected trace:FILE with the path of a trace file.",
                assertUsageError("--workload", "trace:"));
    }

    @Test
    public void aTraceFileBecomesItsAbsolutePath() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "trace");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("t.trace"), "x");
        java.nio.file.Path relative = java.nio.file.Path.of("").toAbsolutePath().relativize(file.toAbsolutePath());
        assertEquals("trace:" + file.toAbsolutePath(), Options.parse("--workload", "trace:" + relative).workload());
    }

    /** As root, a trace or workload file that another user could change is refused. */
    @Test
    public void asRootAFileOthersCanWriteIsRefused() throws Exception {
        org.junit.Assume.assumeTrue("only root is checked", Layout.runningAsRoot());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "trace")
                .toRealPath();
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("t.trace"), "x");
        java.nio.file.Files.setPosixFilePermissions(file,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals("Invalid value 'trace:" + file + "' for --workload: " + file + " is writable by other users"
                + " (fix: chmod go-w " + file + "); as root, scx_javaland only reads workload and trace files that"
                + " root alone can change.", assertUsageError("--workload", "trace:" + file));
        reset();
        java.nio.file.Path workload = java.nio.file.Files.writeString(dir.resolve("w.properties"), "group.a.run_us=-1");
        java.nio.file.Files.setPosixFilePermissions(workload,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(assertUsageError("--workload", workload.toString()), containsString(" is writable by other users"));
        reset();
        java.nio.file.Files.setPosixFilePermissions(file,
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("trace:" + file, Options.parse("--workload", "trace:" + file).workload());
    }

    @Test
    public void valuesAreParsed() {
        Options options = Options.parse("-s", "5000", "-S", "250", "-l", "--stats", "0.5", "--backend", "SIM",
                "--policy", "fifo", "--sim-mode", "fast", "--sim-cpus", "8", "--sim-seed", "-3",
                "--sim-duration-ms", "1500");
        assertEquals(5000, options.sliceUs());
        assertEquals(250, options.sliceUsMin());
        assertTrue(options.percpuLocal());
        assertEquals(0.5, options.statsSecs(), 0);
        assertEquals(Options.Backend.SIM, options.backend());
        assertEquals("fifo", options.policy());
        assertEquals(Options.SimMode.FAST, options.simMode());
        assertEquals(Integer.valueOf(8), options.simCpus());
        assertEquals(-3, options.simSeed());
        assertEquals(1500, options.simDurationMs());
    }

    @Test
    public void defaultsAreTheSeeds() {
        Options options = Options.parse();
        assertEquals(20000, options.sliceUs());
        assertEquals(1000, options.sliceUsMin());
        assertEquals(0, options.exitDumpLen());
        assertEquals(Options.Backend.AUTO, options.backend());
        assertEquals("deadline", options.policy());
        assertEquals("desktop-under-build", options.workload());
        assertEquals(Options.SimMode.PACED, options.simMode());
        assertEquals(0, options.simDurationMs());
        assertEquals(null, options.simCpus());
        assertEquals(null, options.statsSecs());
        if (options.given("--slice-us")) {
            fail("a default is not a given option");
        }
    }
}
