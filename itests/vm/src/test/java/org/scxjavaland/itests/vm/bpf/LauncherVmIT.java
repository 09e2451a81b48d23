package org.scxjavaland.itests.vm.bpf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scxjavaland.itests.vm.VmLab;

/**
 * scx_javaland as a user runs it, on a real sched_ext kernel: {@code bin/scx_javaland --backend bpf}
 * from the launcher's layout, as root, under a CPU-bound and a sleeping load (stress-ng) that lasts
 * until the last of 200 swaps deadline -> fifo -> fair (the example policy, from deploy/) -> deadline
 * ... typed into gogo's shell on its standard input; a policy that hangs; the whole JVM stopped for
 * 3 s; CPU hotplug; SIGTERM; partial mode; kill -9 and the next start on the same data folder; the
 * kernel ending the scheduler (SysRq-S); and the errors a user meets: not root, a second instance,
 * and (here, on the host) a kernel without sched_ext.
 *
 * <p>Two boots run {@code launcher-in-guest.sh} (next to this class): its main part (the main
 * instance, from attach to SIGTERM) and its restarts part (the errors before attach, partial mode,
 * kill -9, SysRq-S), each with its own timeout, since every JVM start is slow under emulation. They
 * write key=value lines and each instance's output into one folder; the test methods check them, and the figures (load and attach
 * time, dispatch rates, CPU per task, page faults, swap gaps) are printed at the end. Needs the launcher's layout built first ({@code mvn install} from the top).
 */
public class LauncherVmIT {
    // Each of the two boots (the main part took 11 min once, with two other guests running on the 2-core machine).
    private static final Duration TIMEOUT = Duration.ofMinutes(16);
    // The most the load may last: the guest script stops it when the swaps end (and says whether it
    // still ran then).
    private static final String LOAD_SECS = "300";
    private static final int SWAPS = 200;
    /** The order of the swaps, from the policy active at start: each swap goes to the next one. */
    private static final List<String> SWAPPED = List.of("deadline", "fifo", "fair");
    private static final double STATS_SECS = 0.1;
    /** The guest script's sleeper during the stop: it sleeps 10 ms between wakeups. */
    private static final int SLEEPER_PERIOD_MS = 10;
    /** The BPF side's user_stall_ms (its default: the guest script leaves it): it takes over after this. */
    private static final long USER_STALL_MS = 500;
    private static final String NO_SCHED_EXT = "has no sched_ext (/sys/kernel/sched_ext is missing): boot a kernel"
            + " built with CONFIG_SCHED_CLASS_EXT=y";
    private static final Pattern LOADED = Pattern.compile("attached \\(load (\\d+) ms, attach (\\d+) ms\\)");

    private static final String FIRST_LINE_BPF = "on this machine's kernel, through sched_ext (--backend bpf).";
    private static final String FIRST_LINE_AUTO_BPF = "on this machine's kernel, through sched_ext (--backend auto: this"
            + " kernel has sched_ext and scx_javaland runs as root).";

    private static Path repository;
    private static Path out;
    private static VmLab.Result result;
    private static MonitorLog main;

    @BeforeClass
    public static void runTheLauncherInTheGuest() throws IOException {
        VmLab.assumeEnabled();
        repository = SchedExtGuest.repository();
        Path layout = repository.resolve("launcher/target/scx_javaland");
        if (!Files.isExecutable(layout.resolve("bin/scx_javaland")) || !Files.exists(layout.resolve("bundles"))) {
            throw new IllegalStateException(layout + " is not built: run 'mvn install' from the top first.");
        }
        Path script = repository.resolve("itests/vm/src/test/java/org/scxjavaland/itests/vm/bpf/launcher-in-guest.sh");
        out = Files.createTempDirectory("launcher-vm-");
        String oldLibbpf = oldLibbpf(script.resolveSibling("old-libbpf.sh"));
        String stalling = StallingPolicyBundle.write(repository.resolve("itests/vm/target/stalling-policy.jar")).toString();
        String rejected = rejectedObject().toString();
        String fair = fairPolicyJar().toString();
        VmLab.Result[] parts = new VmLab.Result[2];
        String[] names = {"main", "restarts"};
        for (int i = 0; i < parts.length; i++) {
            parts[i] = SchedExtGuest.run(TIMEOUT, out, "bash", script.toString(), layout.toString(), LOAD_SECS,
                    Integer.toString(SWAPS), Double.toString(STATS_SECS), oldLibbpf, stalling, rejected, names[i], fair);
        }
        result = both(parts[0], parts[1]);
        System.out.println(result.stdout());
        if (result.exitCode() != 0) {
            System.out.println(result.stderr());
        }
        main = new MonitorLog(file("main.out"));
    }

    /** The example policy's jar, which the build copied for this test (see this module's pom). */
    private static Path fairPolicyJar() {
        String jar = System.getProperty("scx.itest.fair.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("No example policy jar at " + jar + " (-Dscx.itest.fair.jar): build"
                    + " examples/policy-fair first (mvn install from the top).");
        }
        return Path.of(jar);
    }

    /** One result of two runs: the first non-zero exit, the outputs one after the other. */
    private static VmLab.Result both(VmLab.Result first, VmLab.Result second) {
        return new VmLab.Result(first.exitCode() != 0 ? first.exitCode() : second.exitCode(),
                first.stdout() + second.stdout(), first.stderr() + second.stderr(),
                first.elapsed().plus(second.elapsed()), first.report());
    }

    @AfterClass
    public static void printTheFiguresAndRemoveTheOutput() throws IOException {
        if (out == null) {
            return;
        }
        if (result != null) {
            try {
                printTheFigures();
            } catch (AssertionError | RuntimeException e) {
                System.out.println("launcher on sched_ext: no figures (" + e.getMessage() + ")");
            }
        }
        deleteTree(out);
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (var paths = Files.walk(top)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static String file(String name) throws IOException {
        Path f = out.resolve(name);
        if (!Files.exists(f)) {
            throw new AssertionError("the guest left no " + name + "; " + result.describe());
        }
        return Files.readString(f);
    }

    private static String value(String key) {
        String v = result.value(key);
        if (v == null) {
            throw new AssertionError("no '" + key + "' line; " + result.describe());
        }
        return v;
    }

    private static List<String> lines(String name) throws IOException {
        return file(name).lines().toList();
    }

    private static String lastLine(String name) throws IOException {
        List<String> lines = lines(name);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    public void theGuestScriptRanToItsEnd() {
        assertEquals(result.describe(), 0, result.exitCode());
        assertEquals("disabled", value("state_at_boot"));
        assertEquals("disabled", value("final_state"));
    }

    @Test
    public void bpfBackendAttachesJavalandWithTheDeadlinePolicyAndPrintsStats() throws IOException {
        assertEquals(FIRST_LINE_BPF, lines("main.err").get(0).replaceFirst("^scx_javaland \\S+ ", ""));
        assertEquals("enabled", value("state_attached"));
        assertEquals("javaland", value("ops"));
        assertEquals("every task is scheduled by javaland", "1", value("switch_all"));
        assertEquals("seen", value("stats_line"));
        assertTrue(file("main.err"), file("main.err").contains("Active policy builtin-fifo -> deadline"));
        // The simulated machine is not in use with the BPF backend: it neither starts nor says anything.
        assertFalse(file("main.err"), file("main.err").contains("SimulatorComponent"));
        assertFalse(file("main.err"), file("main.err").contains("Simulated machine"));
        assertTrue("no task dispatched by user space", MonitorLog.userDispatches(main.phases("start", "load-done")) > 0);
    }

    @Test
    public void theLoadsRunUntilTheSwapsEndThenStopCleanly() throws IOException {
        assertEquals("both loads still ran when the last swap was answered", "true", value("load_alive_at_swaps_end"));
        assertEquals(file("cpu-load.out"), "0", value("cpu_load_exit"));
        assertEquals(file("sleep-load.out"), "0", value("sleep_load_exit"));
        assertTrue(file("cpu-load.out").contains("successful run completed"));
        assertTrue(file("sleep-load.out").contains("successful run completed"));
        assertTrue("user space dispatched nothing under load", MonitorLog.userDispatches(main.phase("warm")) > 0);
    }

    @Test
    public void swapsUnderLoadKeepSchedExtEnabledThroughout() {
        assertEquals("the example fair policy was installed from deploy/", "true", value("fair_available"));
        List<MonitorLog.Swap> swaps = main.swaps().stream()
                .filter(s -> !s.from().equals(StallingPolicy.NAME) && !s.to().equals(StallingPolicy.NAME)).toList();
        assertEquals("answers to scx:use: " + swaps, SWAPS, swaps.size());
        for (int i = 0; i < swaps.size(); i++) {
            MonitorLog.Swap swap = swaps.get(i);
            assertEquals(swap.toString(), SWAPPED.get(i % SWAPPED.size()), swap.from());
            assertEquals(swap.toString(), SWAPPED.get((i + 1) % SWAPPED.size()), swap.to());
        }
        assertEquals("the load ran until the last swap", "true", value("load_alive_at_swaps_end"));
        // No assertion on tasks handed over: a round dispatches every task the policy holds, and swaps
        // come between rounds, so here they find none held (the hand-over itself is tested where a
        // small dispatched ring makes policies hold tasks: the swap storm, the OSGi swap tests).
        assertTrue(Long.parseLong(value("state_samples")) > 0);
        assertEquals("samples of sched_ext's state that were not 'enabled'", "0", value("state_not_enabled"));
        assertEquals("the scheduler was never detached nor ejected (enable_seq)", "true", value("enable_seq_unchanged"));
        assertEquals("enabled", value("state_after_load"));
        assertEquals("true", value("main_alive"));
        assertTrue("user space dispatched nothing while the policies were swapped",
                MonitorLog.userDispatches(main.phase("swaps-begin")) > 0);
    }

    @Test
    public void theSchedulingThreadTakesNoPageFaultOnceWarm() {
        // Steady load after warm-up, before the swaps: a swap runs code the thread had not run
        // (new compiled code, a deeper stack) and may fault a few times; that is reported, not asserted.
        assertEquals("page faults of the scheduling thread under steady load after warm-up", "0",
                value("faults_steady.scx-scheduler"));
        List<MonitorLog.Interval> steady = main.phase("warm");
        assertEquals("growth of the nr_page_faults metric (the scheduling thread's) under steady load", 0,
                steady.get(steady.size() - 1).pageFaults() - steady.get(0).pageFaults());
    }

    @Test
    public void aPolicyThatHangsTurnsBypassOnWhileTheKernelKeepsJavaland() throws IOException {
        assertEquals("done", value("stall_step"));
        String err = file("main.err");
        // The stalling policy's line (a round slowed by start-up, under the built-in FIFO, may come first).
        String stalled = err.lines().filter(l -> l.contains("The scheduling thread has been in one round")
                && l.contains("policy 'stalling'")).findFirst()
                .orElse("(none)");
        assertTrue(err, stalled.contains("over 500 ms (policy 'stalling', at ")
                && stalled.endsWith("): the kernel side now runs new tasks by itself until the round ends."));
        assertTrue("the line says where the policy hangs: " + stalled, stalled.contains("StallingPolicy.dispatch"));
        assertTrue(err, err.contains("The scheduling thread is back after about"));
        assertTrue(file("main.out"), file("main.out").contains("active policy: stalling -> deadline"));
        assertEquals("the state was sampled through the stall too", "0", value("state_not_enabled"));
    }

    @Test
    public void anOldLibbpfIsOneSentence() throws IOException {
        assertEquals(file("oldlib.err"), "1", value("oldlib_exit"));
        String sentence = lastLine("oldlib.err");
        assertTrue(sentence, sentence.matches("libbpf 1\\.1 is too old: scx_javaland needs libbpf .*"));
    }

    @Test
    public void aLibbpfThatDoesNotLoadIsOneSentenceWithTheLoadersReason() throws IOException {
        assertEquals(file("nolib.err"), "1", value("nolib_exit"));
        String sentence = lastLine("nolib.err");
        assertTrue(sentence, sentence.matches("libbpf could not be loaded \\(.*libbpf\\.so\\.1.*: .+\\): install libbpf1 1\\.4 or later .*"));
    }

    @Test
    public void aProgramTheVerifierRefusesIsOneSentenceAndTheVerifiersWords() throws IOException {
        assertEquals(file("rejected.err"), "1", value("rejected_exit"));
        String err = file("rejected.err");
        assertTrue(err, err.contains("The kernel's verifier rejected scx_javaland's BPF program 'jl_read_past_value' ("));
        // The verdict, not the trace before it: the map value's size and the offending offset.
        assertTrue(err, err.contains("value_size=16 off=64") || err.contains("outside of the object of size 16"));
    }

    /** scx_javaland's object plus a program the verifier refuses (src/test/bpf/rejected.bpf.c), built with bpf/build.sh. */
    private static Path rejectedObject() throws IOException {
        Path object = repository.resolve("itests/vm/target/rejected.bpf.o");
        Process p = new ProcessBuilder("bash", repository.resolve("bpf/build.sh").toString(), object.toString(),
                repository.resolve("itests/vm/src/test/bpf/rejected.bpf.c").toString()).inheritIO().start();
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("bpf/build.sh could not build " + object + ".");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return object;
    }

    /** The folder of bookworm's libbpf 1.1 (fetched once into the VM lab's cache by the script next to this class). */
    private static String oldLibbpf(Path fetchScript) throws IOException {
        Process p = new ProcessBuilder("bash", fetchScript.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String dir = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0 || dir.isEmpty()) {
                throw new IllegalStateException("Could not fetch an old libbpf with " + fetchScript + ".");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return dir;
    }

    @Test
    public void cpuHotplugRestartsTheSchedulerAndTheLauncherGoesOn() throws IOException {
        assertEquals("0", value("cpu1_offline_exit"));
        assertEquals("0", value("cpu1_online_exit"));
        assertNotEquals(result.describe(), "never", value("cpu1_offline_to_enabled_ms"));
        assertNotEquals(result.describe(), "never", value("cpu1_online_to_enabled_ms"));
        assertEquals("javaland", value("ops_after_hotplug"));
        assertEquals("true", value("main_alive_after_hotplug"));
        assertTrue(file("main.err"), file("main.err").contains("The kernel asked scx_javaland to start again"));
    }

    @Test
    public void sigtermDetachesCleanlyAndExitsZero() throws IOException {
        assertEquals(file("main.err"), "0", value("main_exit"));
        assertEquals("disabled", value("state_after_sigterm"));
        assertTrue(file("main.err"), file("main.err").contains(
                "INFO BpfLinkComponent - scx_javaland's BPF scheduler is detached: unregistered from user space (exit kind 64)."));
        // The launcher's line ends its log; in one CI run of two the link's detach line came after it
        // (cause not found yet), so that line alone may follow.
        List<String> err = lines("main.err");
        int stopped = err.lastIndexOf("INFO scx_javaland - stopped on SIGTERM: the kernel's own scheduler runs every task again.");
        assertTrue(file("main.err"), stopped >= 0);
        List<String> after = err.subList(stopped + 1, err.size());
        assertTrue(file("main.err"), after.isEmpty() || after.equals(List.of(
                "INFO BpfLinkComponent - scx_javaland's BPF scheduler is detached: unregistered from user space (exit kind 64).")));
        assertFalse(file("main.err").contains("Exception"));
    }

    @Test
    public void partialModeSchedulesOnlyTheSchedExtTasks() throws IOException {
        assertEquals(FIRST_LINE_AUTO_BPF, lines("partial.err").get(0).replaceFirst("^scx_javaland \\S+ ", ""));
        assertEquals("enabled", value("partial_state"));
        assertEquals("only SCHED_EXT tasks are javaland's", "0", value("partial_switch_all"));
        String stdout = result.stdout();
        assertTrue(stdout, stdout.contains("3 partial.ext_task.policy:7") && stdout.contains("3 partial.ext_task.ext.enabled:1"));
        assertEquals("the plain task is not javaland's", "0", plainTask("ext.enabled"));
        assertEquals("0", plainTask("policy"));
        assertTrue("no user dispatch in partial mode", MonitorLog.userDispatches(new MonitorLog(file("partial.out")).phase("start")) > 0);
    }

    /** A field of /proc/PID/sched of the plain (not SCHED_EXT) task, as the script printed it. */
    private static String plainTask(String field) {
        String prefix = "partial.plain_task." + field + ":";
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("no " + prefix + " line; " + result.describe());
    }

    @Test
    public void kill9LetsTheKernelEjectTheSchedulerAndTheMachineGoesOn() {
        assertEquals("137", value("partial_kill_exit"));
        assertEquals("disabled", value("state_after_kill9"));
        assertEquals("works", value("after_kill9_command"));
        assertEquals("42", value("after_kill9_python"));
    }

    @Test
    public void aStoppedJvmLeavesTheBpfSideSchedulingUntilItContinues() throws IOException {
        assertEquals("sent", value("sigstop"));
        assertEquals("sched_ext's state sampled every 0.1 s during the stop", "30", value("state_samples_while_stopped"));
        assertEquals("samples during the stop that were not 'enabled'", "0", value("state_not_enabled_while_stopped"));
        assertEquals("0", value("state_not_enabled"));
        assertEquals("the scheduler was never detached nor ejected (enable_seq)", "true", value("enable_seq_unchanged"));
        long window = Long.parseLong(value("stop_window_ms"));
        long woken = Long.parseLong(value("sleeper_wakeups_while_stopped"));
        // The BPF side runs the tasks itself once user space has read nothing for user_stall_ms (seen
        // within a quarter of that by its heartbeat): allow it twice that. From then on a 10 ms sleeper
        // would be woken every period; ask for a tenth of those wakeups (emulation, two CPU hogs).
        long expected = Math.max(1, (window - 2 * USER_STALL_MS) / SLEEPER_PERIOD_MS / 10);
        System.out.printf("SIGSTOP of the JVM for %d ms: the %d ms sleeper was woken %d times meanwhile (at least %d"
                + " asked), longest_sleeper_gap_ms=%s (%s wakeups in all)%n", window, SLEEPER_PERIOD_MS, woken, expected,
                value("longest_sleeper_gap_ms"), value("sleeper_wakeups"));
        assertTrue("the sleeper was woken " + woken + " times during the " + window + " ms stop, fewer than " + expected,
                woken >= expected);
        assertTrue(file("main.err"), file("main.err").contains("User space had stopped reading the tasks queued to it"
                + " for over " + USER_STALL_MS + " ms"));
        assertEquals("the shell answers after SIGCONT", "answered", value("after_sigcont"));
        assertTrue("user space schedules again after SIGCONT",
                MonitorLog.userDispatches(main.phase("after-sigcont")) > 0);
    }

    @Test
    public void afterKillNineTheNextStartOnTheSameDataFolderAttachesCleanly() throws IOException {
        System.out.println("data/ left by kill -9: " + value("data_left_by_kill9"));
        // What the killed instance left: its files, its monitor socket among them, which nobody answers.
        assertTrue(value("kill9_left_files"), Long.parseLong(value("kill9_left_files")) > 0);
        assertEquals("present", value("stale_socket_left"));
        assertEquals("ConnectionRefusedError", value("stale_socket_answers"));
        // The next start on that folder attaches.
        assertEquals("enabled", value("restart_after_kill9_state"));
        assertEquals("javaland", value("restart_after_kill9_ops"));
        // Nothing of the killed instance is used or stays: each of its files is gone or made anew (the
        // socket too), a copy cut short and the copy of a jar removed meanwhile are gone, and the
        // guarded copies are those of deploy/ and etc/ as they are now.
        assertEquals("the killed instance's files still there as they were", "", value("kill9_files_kept_after_restart").trim());
        assertEquals("copies cut short left in data/guarded/.incoming", "0", value("incoming_copies_after_restart"));
        assertEquals("gone", value("removed_jar_copy_after_restart"));
        assertEquals("none", value("guarded_copies_differing_after_restart"));
        // The new host answers on the monitor socket, and user space dispatches under a small load.
        long before = counter(value("restart_counters_before_load"), "nr_user_dispatches");
        long after = counter(value("restart_counters_after_load"), "nr_user_dispatches");
        assertTrue("user dispatches " + before + " before a 3 s load, " + after + " after it", after > before);
        for (String line : lines("sysrq.err")) {
            assertFalse(line, (line.startsWith("WARN") || line.startsWith("ERROR")) && line.contains("partial-data"));
        }
        System.out.println("restart after kill -9: attached in " + value("restart_after_kill9_attach_ms") + " ms");
    }

    /** One counter of a line the monitor socket answered ({@code nr_running=3 nr_cpus=2 ...}). */
    private static long counter(String line, String name) {
        for (String pair : line.split(" ")) {
            if (pair.startsWith(name + "=")) {
                return Long.parseLong(pair.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in the monitor socket's answer '" + line + "'");
    }

    @Test
    public void aSchedulerEndedByTheKernelEndsTheLauncherWithItsReason() throws IOException {
        assertEquals(file("sysrq.err"), "1", value("sysrq_exit"));
        String stopped = lines("sysrq.err").stream().filter(l -> l.startsWith("ERROR scx_javaland - the kernel side stopped: "))
                .findFirst().orElse(null);
        assertTrue("no 'kernel side stopped' line: " + file("sysrq.err"), stopped != null);
        assertTrue(stopped, stopped.contains("sysrq"));
    }

    @Test
    public void aSecondInstanceNamesTheSchedulerAlreadyAttached() throws IOException {
        assertEquals(file("second.err"), "1", value("second_exit"));
        assertEquals("Another sched_ext scheduler ('javaland') is already attached: stop it first (end its process, or"
                + " e.g. 'systemctl stop scx'), then start scx_javaland again.", lastLine("second.err"));
    }

    @Test
    public void notRootIsOneSentence() throws IOException {
        assertEquals(file("nobody.err"), "1", value("nobody_exit"));
        // The launcher checks before it starts anything: the one line says why, nothing claims the kernel.
        assertEquals(List.of("Only root may load a scheduler into the kernel (--backend bpf): start scx_javaland with"
                + " sudo or as root, or run on the simulated machine (--backend sim)."), lines("nobody.err"));
    }

    @Test
    public void onThisHostWithoutSchedExtBpfIsOneSentence() throws IOException, InterruptedException {
        assumeFalse("this host has sched_ext", Files.isDirectory(Path.of("/sys/kernel/sched_ext")));
        ProcessBuilder builder = new ProcessBuilder(
                repository.resolve("launcher/target/scx_javaland/bin/scx_javaland").toString(), "--backend", "bpf",
                "--stats", "1").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true);
        // Felix's cache in a folder of the test's own, not in the build's layout.
        builder.environment().put("SCX_JAVA_OPTS", "-Dscx.data=" + out.resolve("host-data"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        deleteTree(out.resolve("host-data"));
        assertEquals(output, 1, process.exitValue());
        // Checked before anything starts: no first line claiming the kernel, only the sentence.
        List<String> lines = output.lines().toList();
        assertEquals(output, 1, lines.size());
        assertTrue(output, lines.get(0).contains(NO_SCHED_EXT));
    }

    /** The figures, measured in the guest (TCG: far slower than real hardware), for the build log. */
    private static void printTheFigures() throws IOException {
        List<MonitorLog.Interval> stall = main.phase("stall");
        System.out.printf("stalling policy (its dispatch hangs %d ms): %d intervals of %.1f s without a user dispatch,"
                + " %d kernel dispatches meanwhile%n", StallingPolicy.STALL_MS,
                MonitorLog.longestRunWithoutUserDispatch(stall), STATS_SECS, MonitorLog.kernelDispatches(stall));
        Matcher loaded = LOADED.matcher(file("main.err"));
        boolean found = loaded.find();
        List<MonitorLog.Interval> underLoad = main.phases("warm", "swaps-end");
        double loadSecs = underLoad.size() * STATS_SECS;
        long user = MonitorLog.userDispatches(underLoad);
        long ns = Long.parseLong(value("scheduler_thread_ns"));
        double maxSwapUs = main.swaps().stream().mapToDouble(MonitorLog.Swap::micros).max().orElse(0);
        System.out.printf("launcher on sched_ext (TCG, 2 vCPUs): load %s ms, attach %s ms; start to attached %s ms;"
                + " %d user + %d kernel dispatches/s under load; scheduling thread %.0f us of CPU per user dispatch;"
                + " page faults after warm-up: scheduling thread %s under steady load, %s to the end (swaps included), nr_page_faults metric +%d (threads that faulted: %s);"
                + " swaps: %d, longest %.0f us, longest run of %.1f-s intervals without a user dispatch while swapping: %d;"
                + " CPU 1 offline / online to javaland enabled again %s / %s ms; SIGTERM to exit %s ms; SysRq-S: %s%n",
                found ? loaded.group(1) : "?", found ? loaded.group(2) : "?", value("main_attach_ms"),
                Math.round(user / loadSecs), Math.round(MonitorLog.kernelDispatches(underLoad) / loadSecs),
                user == 0 ? 0.0 : ns / 1000.0 / user, value("faults_steady.scx-scheduler"),
                value("faults_after_warmup.scx-scheduler"),
                underLoad.get(underLoad.size() - 1).pageFaults() - underLoad.get(0).pageFaults(), faultingThreads(),
                main.swaps().size(), maxSwapUs, STATS_SECS,
                MonitorLog.longestRunWithoutUserDispatch(main.phase("swaps-begin")), value("cpu1_offline_to_enabled_ms"),
                value("cpu1_online_to_enabled_ms"), value("main_stop_ms"),
                lines("sysrq.err").stream().filter(l -> l.contains("kernel side stopped")).findFirst().orElse("?"));
    }

    /** The threads that took page faults after warm-up, with their counts. */
    private static String faultingThreads() {
        StringBuilder s = new StringBuilder();
        for (String line : result.stdout().split("\n")) {
            if (line.startsWith("faults_after_warmup.") && !line.endsWith("=0")) {
                s.append(s.length() == 0 ? "" : ", ").append(line.substring("faults_after_warmup.".length()));
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
