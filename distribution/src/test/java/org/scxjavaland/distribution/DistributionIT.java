package org.scxjavaland.distribution;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.junit.Assume.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.launcher.Options;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The tarball as a user gets it: unpacked into an empty folder, started with its own script, as a
 * process of its own, on the simulated machine.
 */
public class DistributionIT {

    /** The seed's monitor line. */
    private static final Pattern STATS_LINE = Pattern.compile("\\[javaland\\] tasks -> r: +\\d+/\\d+ +w: \\d+ */\\d+"
            + " +\\| pf: \\d+ +\\| dispatch -> u: \\d+ +k: \\d+ +c: \\d+ +b: \\d+ +f: \\d+ +\\| cg: \\d+ *");
    private static final long PATIENCE_S = 60;

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private static Path home;

    @BeforeClass
    public static void unpackTheTarball() throws Exception {
        Path tarball = Path.of(System.getProperty("scx.dist.tarball"));
        assertTrue("package the distribution first: " + tarball, Files.isRegularFile(tarball));
        Path empty = FOLDER.newFolder("unpacked").toPath();
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", empty.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(output, 0, tar.waitFor());
        home = empty.resolve("scx_javaland-" + System.getProperty("scx.dist.version"));
        assertTrue("the tarball unpacks into " + home, Files.isDirectory(home));
    }

    /** bin/scx_javaland with {@code args}, the test's own Java, no terminal. */
    private static ProcessBuilder script(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("scx_javaland").toString());
        Collections.addAll(command, args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return builder;
    }

    /** Runs the script to its end; returns its exit code and standard output. */
    private static String[] runToEnd(String... args) throws IOException, InterruptedException {
        Process process = script(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the script did not end", process.waitFor(PATIENCE_S, TimeUnit.SECONDS));
        return new String[] {Integer.toString(process.exitValue()), out};
    }

    /** What a run to its end left: exit code, standard output, standard error. */
    private record Run(int exit, String out, String err) {
    }

    /** Runs {@code builder} to its end, reading both streams. */
    private static Run runToEnd(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        Thread errReader = drain(process.getErrorStream(), err);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("the script did not end", process.waitFor(PATIENCE_S, TimeUnit.SECONDS));
        errReader.join(TimeUnit.SECONDS.toMillis(PATIENCE_S));
        return new Run(process.exitValue(), out, String.join("\n", err));
    }

    @Test
    public void scxJavaOptsAddsToTheFixedHeapAndAHeapSizeThereReplacesIt() throws Exception {
        ProcessBuilder kept = script("-V");
        kept.environment().put("SCX_JAVA_OPTS", "-XshowSettings:vm");
        Run run = runToEnd(kept);
        assertEquals(run.err(), 0, run.exit());
        assertThat(run.err(), containsString("Min. Heap Size: 256.00M"));
        assertThat(run.err(), containsString("Max. Heap Size: 256.00M"));

        ProcessBuilder replaced = script("-V");
        replaced.environment().put("SCX_JAVA_OPTS", "-XshowSettings:vm -Xmx300m");
        run = runToEnd(replaced);
        assertEquals(run.err(), 0, run.exit());
        assertThat(run.err(), containsString("Max. Heap Size: 300.00M"));
        assertThat(run.err(), not(containsString("Min. Heap Size: 256.00M")));
    }

    @Test
    public void aDataFolderGivenAsAnArgumentIsWhereTheHostKeepsItsData() throws Exception {
        Path data = FOLDER.newFolder().toPath().resolve("elsewhere");
        Run run = runToEnd(script("-Dscx.data=" + data, "--backend", "sim", "--sim-mode", "fast",
                "--sim-duration-ms", "100"));
        assertEquals(run.err(), 0, run.exit());
        assertTrue(run.err(), Files.isDirectory(data.resolve("felix-cache")));
    }

    /**
     * Class-data sharing: the first exit of a host start after the data folder exists makes an
     * archive, the next start takes it up, and a start after that loads Felix's classes from it;
     * the archive that a -V run's exit writes (no Felix in it) is not taken up. An archive others
     * may write is not used, nor one in a data/cds others may write (the JVM would run its code as
     * the host's user).
     */
    @Test
    public void aStartUsesTheClassArchiveAnEarlierHostExitMadeUnlessOthersMayWriteIt() throws Exception {
        Path installation = copyOfHome();
        Path cds = installation.resolve("data/cds");
        Files.createDirectories(installation.resolve("data"));
        Run version = runToEnd(scriptOf(installation, "-V"));
        assertEquals(version.err(), 0, version.exit());
        for (int i = 0; i < 3; i++) {
            Run run = runToEnd(scriptOf(installation, "--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "50"));
            assertEquals(run.err(), 0, run.exit());
        }
        Path archive;
        try (Stream<Path> made = Files.list(cds)) {
            List<String> names = made.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals("the third start took up the archive the second one's exit made: " + names, 1, names.size());
            assertTrue(names.toString(), names.get(0).matches("scx_javaland-\\d+\\.jsa"));
            archive = cds.resolve(names.get(0));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cds)));
        assertTrue("Felix's classes came from the archive", felixClassesShared(installation));

        Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwxrwx---"));
        assertFalse("an archive in a folder the group may write was used", felixClassesShared(installation));
        Files.setPosixFilePermissions(cds, PosixFilePermissions.fromString("rwx------"));
        assertTrue("the archive again, once its folder is private", felixClassesShared(installation));

        Set<PosixFilePermission> writable = EnumSet.copyOf(Files.getPosixFilePermissions(archive));
        writable.add(PosixFilePermission.OTHERS_WRITE);
        Files.setPosixFilePermissions(archive, writable);
        assertFalse("an archive others may write was used", felixClassesShared(installation));
    }

    /** The script hands the archive's path on as one word: an installation whose path holds a space starts with it. */
    @Test
    public void anInstallationWhosePathHoldsASpaceStartsWithAndWithoutAnArchive() throws Exception {
        Path installation = copyOfHome("a copy");
        Files.createDirectories(installation.resolve("data"));
        for (int i = 0; i < 3; i++) {
            Run run = runToEnd(scriptOf(installation, "--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "50"));
            assertEquals(run.err(), 0, run.exit());
        }
        try (Stream<Path> made = Files.list(installation.resolve("data/cds"))) {
            assertEquals(1, made.filter(p -> p.getFileName().toString().endsWith(".jsa")).count());
        }
    }

    /** Runs the installation once with class loading logged; true if Felix's framework class came from the archive. */
    private static boolean felixClassesShared(Path installation) throws IOException, InterruptedException {
        Path log = FOLDER.newFile().toPath();
        ProcessBuilder builder = scriptOf(installation, "--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "50");
        builder.environment().put("SCX_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        Run run = runToEnd(builder);
        assertEquals(run.err(), 0, run.exit());
        return Files.readAllLines(log).stream()
                .anyMatch(l -> l.contains("org.apache.felix.framework.Felix ") && l.contains("shared objects file"));
    }

    @Test
    public void withoutJavaOnThePathTheScriptSaysWhatIsMissing() throws Exception {
        // A PATH with what the script needs besides java: dirname.
        Path bin = FOLDER.newFolder().toPath();
        Path dirname = java.util.Arrays.stream(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "dirname"))
                .filter(Files::isExecutable).findFirst().orElseThrow();
        Files.createSymbolicLink(bin.resolve("dirname"), dirname);
        ProcessBuilder noJava = new ProcessBuilder("/bin/sh", home.resolve("bin/scx_javaland").toString(), "-V")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        noJava.environment().remove("JAVA");
        noJava.environment().put("PATH", bin.toString());
        Run run = runToEnd(noJava);
        assertEquals(run.err(), 1, run.exit());
        assertEquals("No java command on the PATH: scx_javaland needs Java 17 or later (e.g. apt-get install"
                + " openjdk-17-jre-headless), or set JAVA to the java command of an installed JDK.", run.err());

        noJava.environment().put("JAVA", "/nonexistent/java");
        run = runToEnd(noJava);
        assertEquals(run.err(), 1, run.exit());
        assertThat(run.err(), containsString("JAVA=/nonexistent/java is not a command this shell can run"));
    }

    /**
     * As another user (nobody, through setpriv, when the test runs as root): an installation of
     * that user's own, where one folder or file cannot be read. Each is named as the cause.
     */
    @Test
    public void anUnreadableBundlesFolderOrCfgFileIsNamedAsTheCause() throws Exception {
        assumeTrue("needs root and setpriv to run as another user", "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv")));
        Path other = FOLDER.newFolder().toPath().resolve("other");
        assertEquals(0, new ProcessBuilder("cp", "-a", home.toString(), other.toString()).inheritIO().start().waitFor());
        assertEquals(0, new ProcessBuilder("chown", "-R", "65534:65534", other.toString()).inheritIO().start().waitFor());
        for (Path up = other.getParent(); up != null && !up.equals(Path.of("/")); up = up.getParent()) {
            Files.setPosixFilePermissions(up, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        Files.setPosixFilePermissions(other.resolve("bundles"), PosixFilePermissions.fromString("---------"));
        Run run = runToEnd(asNobody(other, "--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "100"));
        assertEquals(run.err(), 1, run.exit());
        assertEquals(other.toRealPath().resolve("bundles") + " cannot be read by this user (uid 65534): start"
                + " scx_javaland as the user who installed it, or make the folder readable (chmod a+rx "
                + other.toRealPath().resolve("bundles") + ").", run.err());

        Files.setPosixFilePermissions(other.resolve("bundles"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cfg = other.toRealPath().resolve("etc/org.scxjavaland.sim.cfg");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("---------"));
        run = runToEnd(asNobody(other, "--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "100"));
        assertEquals(run.err(), 0, run.exit());
        assertThat(run.err(), containsString(cfg + " cannot be read by this user (uid 65534; fix: chmod a+r " + cfg
                + ", or start scx_javaland as its owner): refused, nothing of it is loaded."));
        assertThat(run.err(), not(containsString("\tat ")));
    }

    /** A copy of the unpacked installation, to change its etc/ or deploy/ without touching the other tests'. */
    private static Path copyOfHome() throws IOException, InterruptedException {
        return copyOfHome("copy");
    }

    private static Path copyOfHome(String name) throws IOException, InterruptedException {
        Path copy = FOLDER.newFolder().toPath().resolve(name);
        assertEquals(0, new ProcessBuilder("cp", "-a", home.toString(), copy.toString()).inheritIO().start().waitFor());
        return copy;
    }

    private static ProcessBuilder scriptOf(Path installation, String... args) {
        List<String> command = new ArrayList<>(List.of(installation.resolve("bin/scx_javaland").toString()));
        Collections.addAll(command, args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(installation.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return builder;
    }

    /**
     * systemd's side of Type=notify, played by a Unix datagram socket (python3: Java 17 has no Unix
     * datagrams): once the scheduler runs, READY=1 arrives, with the status.
     */
    @Test
    public void aNotifySocketGetsReadyOnceTheSchedulerRuns() throws Exception {
        assumeTrue("needs python3 for a Unix datagram socket", new ProcessBuilder("python3", "-c", "pass")
                .redirectErrorStream(true).start().waitFor() == 0);
        Path socket = FOLDER.newFolder().toPath().resolve("notify");
        Process systemd = new ProcessBuilder("python3", "-c", "import socket, sys\n"
                + "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
                + "s.bind(sys.argv[1])\n"
                + "print('listening', flush=True)\n"
                + "sys.stdout.write(s.recv(4096).decode() + '.\\n')\n", socket.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ProcessBuilder builder = script("--backend", "sim", "--workload", "server");
        builder.environment().put("NOTIFY_SOCKET", socket.toString());
        Process host = null;
        List<String> received = new ArrayList<>();
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(systemd.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("listening", lines.readLine());
            host = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Thread errReader = drain(host.getErrorStream(), err);
            for (String line = lines.readLine(); line != null && !line.equals("."); line = lines.readLine()) {
                received.add(line);
            }
            assertTrue("scx_javaland still runs once ready", host.isAlive());
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(host.pid())).start().waitFor());
            assertTrue("the host did not stop on SIGTERM", host.waitFor(PATIENCE_S, TimeUnit.SECONDS));
            errReader.join(TimeUnit.SECONDS.toMillis(PATIENCE_S));
        } finally {
            systemd.destroyForcibly();
            if (host != null) {
                host.destroyForcibly();
            }
        }
        assertEquals("stderr: " + err, List.of("READY=1", "STATUS=Scheduling the sim machine with policy deadline"),
                received);
        assertEquals("stderr: " + err, 0, host.exitValue());
        assertTrue("the first line came before READY=1: " + err, err.get(0).contains("on the simulated machine"));
    }

    @Test
    public void aStartSaysNothingAboutWaitingForItsLink() throws Exception {
        Run run = runToEnd(script("--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "100"));
        assertEquals(run.err(), 0, run.exit());
        // The connector comes up before the simulated machine, which follows at once: nothing to say.
        assertThat(run.err(), not(containsString("Waiting for a")));
        assertThat(run.err(), containsString("Scheduling the sim machine"));
    }

    @Test
    public void verboseIsAboutScxJavalandNotTheFrameworksInternals() throws Exception {
        Run run = runToEnd(script("-v", "--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "1000"));
        assertEquals(run.err(), 0, run.exit());
        // SCR's own debug lines (its extender, every component's life) numbered 853 in this run before.
        assertThat(run.err(), not(containsString("org.apache.felix.scr")));
    }

    @Test
    public void anUnknownKeyInEtcIsSaidOnceNamingTheFile() throws Exception {
        Path copy = copyOfHome();
        Files.writeString(copy.resolve("etc/org.scxjavaland.sim.cfg"), "mode = fast\ncpu = 8\n");
        Files.writeString(copy.resolve("etc/org.scxjavaland.policy.deadline.cfg"), "slice = 5000\n");
        Run run = runToEnd(scriptOf(copy, "--sim-duration-ms", "200", "-s", "10000"));
        assertEquals(run.err(), 0, run.exit());
        List<String> err = run.err().lines().toList();
        assertEquals(run.err(), 1, err.stream().filter(line -> line.equals("WARN SimulatorComponent -"
                + " etc/org.scxjavaland.sim.cfg: the key cpu is unknown and ignored; the keys are cpus, duration_ms,"
                + " idle_pick, mode, numa_local, sched_round_ns, sched_task_ns, seed, topology, trace_events, trace_file,"
                + " workload.")).count());
        assertEquals(run.err(), 1, err.stream().filter(line -> line.equals("WARN DeadlinePolicyComponent -"
                + " etc/org.scxjavaland.policy.deadline.cfg: the key slice is unknown and ignored; the keys are"
                + " percpu_local, slice_us, slice_us_min.")).count());
    }

    private static ProcessBuilder asNobody(Path installation, String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                "--clear-groups", installation.resolve("bin/scx_javaland").toString()));
        Collections.addAll(command, args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(installation.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("HOME", installation.toString());
        return builder;
    }

    @Test
    public void versionPrintsTheVersion() throws Exception {
        String[] result = runToEnd("-V");
        assertEquals("0", result[0]);
        assertEquals("scx_javaland " + System.getProperty("scx.dist.version") + "\n", result[1]);
    }

    @Test
    public void helpListsEveryOption() throws Exception {
        String[] result = runToEnd("--help");
        assertEquals("0", result[0]);
        List<String> names = new ArrayList<>();
        for (OptionSpec option : new CommandLine(new Options()).getCommandSpec().options()) {
            Collections.addAll(names, option.names());
        }
        assertTrue("the launcher's options: " + names, names.containsAll(List.of("--stats", "--monitor", "-V", "--help")));
        for (String name : names) {
            assertTrue("--help does not mention " + name + ":\n" + result[1], Pattern.compile(
                    "(^|[\\s,])" + Pattern.quote(name) + "([\\s,=]|$)", Pattern.MULTILINE).matcher(result[1]).find());
        }
    }

    @Test
    public void statsLinesAppearAndSigtermStopsItCleanly() throws Exception {
        Process process = script("--backend", "sim", "--stats", "1").start();
        List<String> err = Collections.synchronizedList(new ArrayList<>());
        Thread errReader = drain(process.getErrorStream(), err);
        List<String> out = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_S);
            while (out.stream().noneMatch(line -> STATS_LINE.matcher(line).matches())) {
                String line = lines.readLine();
                if (line == null || System.nanoTime() > deadline) {
                    fail("no stats line; stdout: " + out + "; stderr: " + err);
                }
                out.add(line);
            }
            monitorTwoIntervals();
            // Process.destroy() would send SIGTERM too, but it also closes our ends of the pipes.
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
            assertTrue("the host did not stop on SIGTERM", process.waitFor(PATIENCE_S, TimeUnit.SECONDS));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        errReader.join(TimeUnit.SECONDS.toMillis(PATIENCE_S));

        String stderr = String.join("\n", err);
        assertEquals("stderr: " + stderr, 0, process.exitValue());
        assertThat(stderr, containsString("scx_javaland " + System.getProperty("scx.dist.version")
                + " on the simulated machine"));
        assertThat(stderr, not(containsString("Exception")));
        assertThat(stderr, not(containsString("\tat ")));
        assertEquals(stderr, "INFO scx_javaland - stopped on SIGTERM.", err.get(err.size() - 1));
        for (String line : out) {
            assertTrue("stdout carries only stats lines: " + line, STATS_LINE.matcher(line).matches());
        }
    }

    /** While the host runs: a second process, --monitor, prints the host's lines until SIGTERM ends it. */
    private static void monitorTwoIntervals() throws IOException, InterruptedException {
        Process monitor = script("--monitor", "0.5").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(monitor.getInputStream(),
                StandardCharsets.UTF_8))) {
            while (lines.size() < 2) {
                String line = out.readLine();
                if (line == null) {
                    fail("the monitor ended after " + lines + " with exit code " + monitor.waitFor());
                }
                lines.add(line);
            }
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(monitor.pid())).start().waitFor());
            assertTrue("the monitor did not stop on SIGTERM", monitor.waitFor(PATIENCE_S, TimeUnit.SECONDS));
        } finally {
            monitor.destroyForcibly();
        }
        assertEquals(0, monitor.exitValue());
        for (String line : lines) {
            assertTrue("a monitor line: " + line, STATS_LINE.matcher(line).matches());
        }
    }

    private static Thread drain(InputStream stream, List<String> into) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    into.add(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "stderr of scx_javaland");
        reader.start();
        return reader;
    }

    @Test
    public void theTarballHoldsThePolicyGuideTheWorkloadFormatAndTheWorkloadsAsFiles() throws IOException {
        for (String file : List.of("docs/WRITING-A-POLICY.md", "docs/WORKLOADS.md",
                "docs/api-sources/org/scxjavaland/api/Policy.java", "workloads/desktop-under-build.properties",
                "workloads/server.properties", "workloads/idle.properties")) {
            assertTrue("the tarball lacks " + file, Files.isRegularFile(home.resolve(file)));
        }
        assertTrue(Files.readString(home.resolve("workloads/server.properties")).contains("cpus=8"));
    }

    @Test
    public void theSystemdUnitStopsRestartingOnBadInputAndTakesTheBackendFromItsEnvFile() throws IOException {
        String unit = Files.readString(home.resolve("systemd/scx_javaland.service"));
        String env = Files.readString(home.resolve("systemd/scx_javaland.default"));
        assertTrue(unit, unit.contains("\nRestartPreventExitStatus=2\n"));
        assertTrue(unit, unit.contains("\nType=notify\n"));
        assertTrue(unit, unit.contains("--backend ${SCX_JAVALAND_BACKEND} $SCX_JAVALAND_FLAGS"));
        assertTrue(unit, unit.contains("\nEnvironment=SCX_JAVALAND_BACKEND=bpf\n"));
        assertTrue(env, env.contains("\nSCX_JAVALAND_BACKEND=bpf\n"));
        assertTrue(env, env.contains("SCX_JAVA_OPTS="));
        for (String hardening : List.of("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                "PrivateTmp=yes")) {
            assertTrue(hardening, unit.contains("\n" + hardening + "\n"));
        }
        assertThat("the exposure systemd-analyze gives is said", unit, containsString(
                "systemd-analyze security --offline=true scx_javaland.service (systemd 252): exposure 5.6 MEDIUM."));
    }

    /**
     * A fresh installation has no data/: a ReadWritePaths= naming it failed every start with
     * 226/NAMESPACE. The unit's data/ is its state directory, which systemd makes before each start.
     */
    @Test
    public void theSystemdUnitKeepsItsDataInAStateDirectorySystemdMakes() throws IOException {
        String unit = Files.readString(home.resolve("systemd/scx_javaland.service"));
        assertTrue(unit, unit.contains("\nStateDirectory=scx_javaland\n"));
        assertTrue(unit, unit.contains("\nStateDirectoryMode=0700\n"));
        assertTrue(unit, unit.contains("\nExecStart=/opt/scx_javaland/bin/scx_javaland -Dscx.data=%S/scx_javaland "));
        for (String line : unit.lines().toList()) {
            assertTrue("every path the sandbox is to find may be missing: " + line,
                    !line.matches("(ReadWritePaths|ReadOnlyPaths|InaccessiblePaths)=[^-].*"));
        }
        assertThat(Files.readString(home.resolve("README.md")), containsString("/var/lib/scx_javaland"));
    }

    /**
     * The bpf backend needs a sched_ext kernel, the simulated machine does not: the unit's start
     * condition follows the env file's choice (a ConditionPathIsDirectory=/sys/kernel/sched_ext
     * skipped the simulator too). The condition's command, run as systemd runs it.
     */
    @Test
    public void theSystemdUnitsStartConditionFollowsTheEnvFilesBackend() throws Exception {
        String unit = Files.readString(home.resolve("systemd/scx_javaland.service"));
        assertTrue(unit, unit.lines().noneMatch(line -> line.startsWith("ConditionPathIsDirectory=")));
        String condition = unit.lines().filter(line -> line.startsWith("ExecCondition=")).findFirst().orElseThrow();
        String prefix = "ExecCondition=/bin/sh -c '";
        assertTrue(condition, condition.startsWith(prefix) && condition.endsWith("'"));
        // systemd turns $$ into $ and hands the rest to sh as one word.
        String script = condition.substring(prefix.length(), condition.length() - 1).replace("$$", "$");
        boolean schedExt = Files.isDirectory(Path.of("/sys/kernel/sched_ext"));
        for (String backend : List.of("bpf", "sim", "auto")) {
            ProcessBuilder sh = new ProcessBuilder("/bin/sh", "-c", script);
            sh.environment().put("SCX_JAVALAND_BACKEND", backend);
            boolean starts = sh.start().waitFor() == 0;
            assertEquals("the service with " + backend + " starts", !backend.equals("bpf") || schedExt, starts);
        }
    }

    @Test
    public void aBackendInTheServicesFlagsIsRefusedNamingTheEnvFilesVariable() throws Exception {
        // As the unit runs it: --backend ${SCX_JAVALAND_BACKEND} $SCX_JAVALAND_FLAGS, with --backend in the flags.
        ProcessBuilder service = script("--backend", "sim", "--stats", "5", "--backend", "bpf");
        service.environment().put("SCX_JAVALAND_BACKEND", "sim");
        Run run = runToEnd(service);
        assertEquals(run.err(), 2, run.exit());
        assertEquals("--backend is given twice: the service passes SCX_JAVALAND_BACKEND (sim) as --backend, so choose"
                + " the backend with SCX_JAVALAND_BACKEND in /etc/default/scx_javaland and take --backend out of"
                + " SCX_JAVALAND_FLAGS.", run.err().lines().findFirst().orElse(""));
    }

    /** Each file and folder once: a tarball with an entry twice unpacks it twice, and lists it twice. */
    @Test
    public void theTarballHoldsEachEntryOnce() throws Exception {
        Process tar = new ProcessBuilder("tar", "-tzf", System.getProperty("scx.dist.tarball"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> entries = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(entry -> entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry).toList();
        assertEquals(0, tar.waitFor());
        List<String> twice = entries.stream().filter(e -> Collections.frequency(entries, e) > 1).distinct().toList();
        assertEquals("entries more than once", List.of(), twice);
        assertTrue(entries.toString(),
                entries.stream().anyMatch(e -> e.endsWith("/docs/api-sources/org/scxjavaland/api/Policy.java")));
    }
}
