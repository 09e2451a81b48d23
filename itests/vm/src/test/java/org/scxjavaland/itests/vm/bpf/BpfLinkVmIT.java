package org.scxjavaland.itests.vm.bpf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scxjavaland.itests.vm.VmLab;

/**
 * The BPF link on the real sched_ext kernel: loads, attaches and schedules with a CPU-bound and a
 * sleeping load, detaches; in partial mode; through a CPU hotplug, which makes the kernel ask
 * for a restart; recording every task's events; and with a queue depth of one task per CPU. One
 * boot runs link-bpf's {@code BpfSmokeMain} five times; the test methods check its
 * {@code key=value} lines.
 *
 * <p>Needs {@code bundles/link-bpf} built first ({@code mvn install} there): the guest runs its
 * test classes with the classpath its build writes to {@code target/guest-classpath.txt}.
 */
public class BpfLinkVmIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(8);
    private static final String SMOKE = "org.scxjavaland.link.bpf.BpfSmokeMain";

    /** Each run's lines get a prefix ({@code full.}, {@code partial.}, {@code hotplug.}, {@code depth.}). */
    private static final String SCRIPT = String.join("\n",
            "run() { p=$1; shift; java $VMLAB_JAVA_OPTS -cp \"$CP\" " + SMOKE + " \"$@\" 2>&1 | sed \"s/^/$p./\"; }",
            "CP=$1",
            "run full 8",
            "run partial 6 partial",
            "run hotplug 10 hotplug",
            "run record 6 record",
            "run depth 10 depth",
            "echo \"final_state=$(cat /sys/kernel/sched_ext/state)\"");

    private static VmLab.Result result;

    @BeforeClass
    public static void scheduleTheGuest() throws IOException {
        VmLab.assumeEnabled();
        Path linkBpf = SchedExtGuest.repository().resolve("bundles/link-bpf/target");
        Path classpathFile = linkBpf.resolve("guest-classpath.txt");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(linkBpf.resolve("test-classes"))) {
            throw new IllegalStateException("bundles/link-bpf is not built: run 'mvn install' in bundles/link-bpf first.");
        }
        String classpath = linkBpf.resolve("classes") + ":" + linkBpf.resolve("test-classes") + ":"
                + Files.readString(classpathFile).trim();
        result = SchedExtGuest.shell(TIMEOUT, SCRIPT, classpath);
        System.out.println(result.stdout());
    }

    private static String value(String key) {
        String v = result.value(key);
        if (v == null) {
            throw new AssertionError("no '" + key + "' line; " + result.describe());
        }
        return v;
    }

    private static long number(String key) {
        return Long.parseLong(value(key));
    }

    @Test
    public void theSchedulerAttachesAsJavalandAndDetaches() {
        assertEquals("disabled", value("full.state_before"));
        assertEquals("enabled", value("full.state_attached"));
        assertEquals("javaland", value("full.ops"));
        assertEquals("disabled", value("full.state_after"));
        assertEquals("disabled", value("final_state"));
    }

    @Test
    public void userSpaceDispatchesTasksWithoutBeingEjected() {
        assertEquals("false", value("full.exited_early"));
        assertTrue(value("full.counters"), number("full.nr_user_dispatches") > 0);
        assertTrue("the scheduling thread was never held back and run again", number("full.scheduler_runs") > 0);
        assertTrue(value("full.load_progress"), !value("full.load_progress").startsWith("sleeper woke 0 "));
        System.out.printf("bpf link: load %s ms, attach %s ms, detach %s ms, %s user dispatches/s, selectCpu %s ns, "
                + "%s page faults after warm-up%n", value("full.load_ms"), value("full.attach_ms"), value("full.detach_ms"),
                value("full.user_dispatches_per_s"), value("full.select_cpu_ns_avg"), value("full.page_faults_after_warmup"));
    }

    /**
     * The dispatches of link's CounterRules probe (stale, as queued, for no task, to no CPU) move
     * the BPF side's counts as the rules say, the rules the simulated machine is held to in sim's
     * CounterRulesTest.
     */
    @Test
    public void theBpfSideCountsDispatchesByTheRulesTheSimulatorKeeps() {
        assertEquals(value("full.counter_rules_expected"), value("full.counter_rules_seen"));
    }

    @Test
    public void withAQueueDepthTheKernelsCountStaysWithinTheBoundAndEveryTaskRuns() {
        long budget = number("depth.budget");
        assertEquals("one task per CPU", number("depth.nr_cpus"), budget);
        assertEquals("false", value("depth.exited_early"));
        // The count the BPF side publishes, sampled at every round: never above the bound, and used.
        long max = number("depth.max_user_queued");
        assertTrue("max " + max + " of budget " + budget, max > 0 && max <= budget);
        // User space held tasks the kernel had no room for, and the BPF side still ran it to send them.
        assertTrue(value("depth.max_held"), number("depth.max_held") > 0);
        assertEquals("every finite worker finished", "6/6", value("depth.workers_done"));
        assertTrue(value("depth.load_progress"), !value("depth.load_progress").startsWith("sleeper woke 0 "));
        // Once nothing waits the count is back at 0: each task counted was taken back once.
        assertEquals(0, number("depth.user_queued_when_quiet"));
        assertEquals("disabled", value("depth.state_after"));
        System.out.printf("bpf link, depth 1: held at most %s tasks, %s of %s rounds held some, %s user dispatches/s%n",
                value("depth.max_held"), value("depth.rounds_holding_tasks"), value("depth.rounds"),
                value("depth.user_dispatches_per_s"));
    }

    @Test
    public void aSecondSchedulerIsRefusedWithTheFirstOnesName() {
        String message = value("full.second_open_error");
        assertTrue(message, message.contains("'javaland'") && message.contains("already attached"));
    }

    @Test
    public void partialModeSchedulesOnlyTheSchedExtLoads() {
        assertEquals("false", value("partial.exited_early"));
        assertTrue(value("partial.counters"), number("partial.nr_user_dispatches") > 0);
        // The scheduling thread is not a SCHED_EXT task there: it sleeps on the ring's fd instead.
        assertEquals(0, number("partial.scheduler_runs"));
        assertEquals("disabled", value("partial.state_after"));
    }

    @Test
    public void aRecordingSeesTheSleepersEveryWakeUpAndSleep() {
        assertEquals("false", value("record.exited_early"));
        // The sleeper sleeps 2 ms at a time for 6 s: hundreds of wake-ups even under emulation, each
        // reported (direct wake-ups too, which never reach user space), and as many sleeps.
        long wakes = number("record.record_sleeper_wakes");
        assertTrue(result.describe(), wakes >= 100);
        assertTrue(value("record.record_kinds"), Math.abs(number("record.record_sleeper_sleeps") - wakes) <= 2);
        assertTrue(value("record.record_tasks"), number("record.record_tasks") >= 4);
        assertTrue(number("record.record_dropped") >= 0);
        System.out.printf("bpf link: recorded %s events of %s tasks in 6 s (%s dropped), by kind %s%n",
                value("record.record_events"), value("record.record_tasks"), value("record.record_dropped"),
                value("record.record_kinds"));
    }

    @Test
    public void cpuHotplugRestartsTheSchedulerAndSchedulingGoesOn() {
        // A CPU going offline first stops taking tasks, then waits for an RCU grace period before
        // the kernel tells the scheduler: tasks sent to it meanwhile must go elsewhere, or the
        // offline hangs until the watchdog ejects the scheduler (no restart then).
        assertTrue(result.describe(), number("hotplug.restarts") >= 1);
        // The counters go on from where the first scheduler left them: the new one starts at 0.
        assertTrue(value("hotplug.counters"), number("hotplug.user_dispatches_after_restart")
                >= number("hotplug.user_dispatches_before_unplug"));
        System.out.printf("bpf link: CPU 1 offline to restarted scheduler %s ms%n", value("hotplug.offline_to_restart_ms"));
        assertEquals("false", value("hotplug.exited_early"));
        assertEquals("disabled", value("hotplug.state_after"));
    }
}
