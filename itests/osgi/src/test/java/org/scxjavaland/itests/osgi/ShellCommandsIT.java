package org.scxjavaland.itests.osgi;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.policy.deadline.DeadlineConfig;

/**
 * The scheduler's {@code scx:*} commands through gogo, as a user types them, on the counted
 * machine: what each prints, that what it changes really changes (the active policy, the slices
 * in the dispatched records), and that what it refuses changes nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsIT extends CountedMachineSupport {

    private static final String DEADLINE_PID = "org.scxjavaland.policy.deadline";

    /** The monitor line of the seed, with totals or deltas. */
    static final Pattern MONITOR_LINE = Pattern.compile("\\[javaland\\] tasks -> r: +\\d+/\\d+ +w: \\d+ */\\d+ +"
            + "\\| pf: \\d+ +\\| dispatch -> u: (\\d+) +k: \\d+ +c: \\d+ +b: \\d+ +f: \\d+ +\\| cg: \\d+ *");

    @Inject
    private CommandProcessor processor;

    private Gogo gogo;
    private SchedulerBackend backend;

    @Before
    public void openSession() {
        gogo = new Gogo(processor);
        backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
    }

    @After
    public void closeSessionAndForgetOptions() {
        gogo.close();
        deleteConfiguration(DEADLINE_PID);
        if (!"deadline".equals(backend.activePolicy())) {
            backend.swap("deadline");
        }
    }

    @Test
    public void statusShowsTheBackendThePolicySinceWhenTheUptimeTheTasksHeldAndTheCounters() throws Exception {
        awaitUserDispatches(1_000);
        String status = gogo.run("scx:status");

        assertThat(status, containsString("backend:  sim (simulated machine)\n"));
        assertTrue(status, Pattern.compile("(?m)^policy:   deadline \\(since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, [\\d.hms]+\\)$")
                .matcher(status).find());
        assertTrue(status, Pattern.compile("(?m)^uptime:   [\\d.hms]+$").matcher(status).find());
        assertThat(status, containsString("cpus:     4\n"));
        assertTrue(status, Pattern.compile("(?m)^held:     \\d+ tasks held by the policy, \\d+ queued$")
                .matcher(status).find());
        assertThat(status, containsString("counters:\n"));
        for (String counter : List.of("nr_running", "nr_cpus", "nr_queued", "nr_scheduled", "nr_page_faults",
                "nr_user_dispatches", "nr_kernel_dispatches", "nr_cancel_dispatches", "nr_bounce_dispatches",
                "nr_failed_dispatches", "nr_sched_congested")) {
            assertTrue(counter + " in:\n" + status, Pattern.compile("(?m)^  " + counter + " +\\d+$").matcher(status).find());
        }
        Matcher userDispatches = Pattern.compile("(?m)^  nr_user_dispatches +(\\d+)$").matcher(status);
        assertTrue(userDispatches.find());
        assertTrue(status, Long.parseLong(userDispatches.group(1)) >= 1_000);
    }

    @Test
    public void policiesListsEachPolicyWithItsBundleVersionAndStateAndMarksTheActiveOne() throws Exception {
        String version = installedBundle(DEADLINE_BUNDLE).getVersion().toString();
        List<String> lines = gogo.run("scx:policies").lines().toList();

        assertTrue(lines.toString(), lines.get(0).matches("\\s+NAME\\s+BUNDLE\\s+VERSION\\s+STATE"));
        assertRow(lines, "*", "deadline", DEADLINE_BUNDLE, version, "active");
        assertRow(lines, " ", "fifo", FIFO_BUNDLE, version, "available");
        assertRow(lines, " ", "builtin-fifo", "(connector)", "-", "available (built in, the fallback)");
        assertEquals(lines.toString(), 4, lines.size());

        gogo.run("scx:use builtin-fifo");
        List<String> afterSwap = gogo.run("scx:policies").lines().toList();
        assertRow(afterSwap, " ", "deadline", DEADLINE_BUNDLE, version, "available");
        assertRow(afterSwap, "*", "builtin-fifo", "(connector)", "-", "active (built in, the fallback)");
    }

    /** One line of the table has these cells, in this order, as wide as the table makes them. */
    private static void assertRow(List<String> table, String... cells) {
        StringBuilder row = new StringBuilder();
        for (String cell : cells) {
            row.append(row.length() == 0 ? "" : "\\s+").append(Pattern.quote(cell));
        }
        assertTrue("no row " + String.join(" | ", cells) + " in " + table,
                table.stream().anyMatch(line -> line.matches(row.toString())));
    }

    @Test
    public void useSwapsAndSaysHowManyTasksWentOverAndHowLongItTook() throws Exception {
        Pattern report = Pattern.compile("active policy: (\\S+) -> (\\S+), (\\d+) tasks handed over in [\\d.]+ us\n");
        long handedOver = 0;
        for (int i = 0; i < 10; i++) {
            for (String[] step : new String[][] {{"deadline", "fifo"}, {"fifo", "deadline"}}) {
                long outBefore = link.tasksOut();
                String printed = gogo.run("scx:use " + step[1]);
                Matcher m = report.matcher(printed);
                assertTrue(printed, m.matches());
                assertEquals(step[0], m.group(1));
                assertEquals(step[1], m.group(2));
                assertEquals(step[1], backend.activePolicy());
                handedOver += Long.parseLong(m.group(3));
                waitUntil("dispatches under " + step[1], () -> link.tasksOut() > outBefore + 10);
            }
        }
        assertTrue("no swap found tasks to hand over", handedOver > 0);
        assertNothingLost();
    }

    @Test
    public void useOfTheActivePolicySaysItIsAlreadyActiveAndSwapsNothing() throws Exception {
        String since = String.valueOf(backend.activeSince());
        assertEquals("deadline is already the active policy\n", gogo.run("scx:use deadline"));
        assertEquals(since, String.valueOf(backend.activeSince()));
    }

    @Test
    public void aWrongCallGetsTheCommandsOwnUsageNotGogosWords() throws Exception {
        assertEquals("usage: scx:set KEY VALUE (scx:config lists the keys)", gogo.refused("scx:set"));
        assertEquals("usage: scx:set KEY VALUE (scx:config lists the keys)", gogo.refused("scx:set slice_us"));
        assertEquals("usage: scx:use NAME (scx:policies lists the names)", gogo.refused("scx:use"));
        assertEquals("usage: scx:use NAME (scx:policies lists the names)", gogo.refused("scx:use fifo deadline"));
        assertEquals("usage: scx:stats [SECS]", gogo.refused("scx:stats 1 2"));
        assertEquals("usage: scx:status (it takes no arguments)", gogo.refused("scx:status now"));
        assertEquals("usage: scx:policies (it takes no arguments)", gogo.refused("scx:policies all"));
        assertEquals("the interval must be a positive number of seconds, not abc", gogo.refused("scx:stats abc"));
        assertEquals("deadline", backend.activePolicy());
    }

    @Test
    public void anUnknownCommandGetsOneLineOfTheShellsOwn() throws Exception {
        // Not gogo's "gogo: CommandNotFoundException: Command not found: scx:foo".
        assertEquals("scx:foo: no such command; 'help' lists the commands, 'help scx:use' tells one",
                gogo.refused("scx:foo"));
        assertEquals("frobnicate: no such command; 'help' lists the commands, 'help scx:use' tells one",
                gogo.refused("frobnicate now"));
        // What the line points to is there.
        assertThat(String.valueOf(gogo.result("help")), containsString("scx:use"));
        assertEquals("deadline", backend.activePolicy());
    }

    @Test
    public void exitAtTheConsoleIsTheHostsOwnStopNotSystemExit() throws Exception {
        String help = String.valueOf(gogo.result("help gogo:exit"));
        assertThat(help, containsString("stop scx_javaland (as scx:stop)"));
        assertThat(String.valueOf(gogo.result("help scx:stop")), containsString("Ctrl-C ends only a repeating command"));
    }

    @Test
    public void useRefusesAnUnknownPolicyWithTheKnownOnes() throws Exception {
        assertEquals("No policy named 'nosuch' is available; the known policies are builtin-fifo, deadline, fifo.",
                gogo.refused("scx:use nosuch"));
        assertEquals("deadline", backend.activePolicy());
        awaitUserDispatches(1_000);
    }

    @Test
    public void statsPrintsTheTotalsOnce() throws Exception {
        awaitUserDispatches(1_000);
        List<String> lines = gogo.run("scx:stats").lines().toList();
        assertEquals(lines.toString(), 2, lines.size());
        assertEquals("totals since scheduling began (scx:stats SECS prints deltas):", lines.get(0));
        Matcher m = MONITOR_LINE.matcher(lines.get(1));
        assertTrue(lines.get(1), m.matches());
        assertTrue(lines.get(1), Long.parseLong(m.group(1)) >= 1_000);
    }

    @Test
    public void statsWithAnIntervalPrintsDeltasUntilInterrupted() throws Exception {
        // Far more dispatched already than during the command: printed totals would add up past it.
        awaitUserDispatches(10_000);
        long before = backend.metrics().nrUserDispatches();
        gogo.runUntilLinesThen("scx:stats 0.2", 3, PATIENCE_MS, ShellCommandsIT.this::ctrlC);
        List<String> printedLines = gogo.printed().lines().toList();
        List<String> lines = new java.util.ArrayList<>(printedLines);
        assertEquals("every 0.2 s, dispatch counters as deltas; Ctrl-C ends:", lines.remove(0));
        assertTrue(lines.toString(), lines.size() >= 2);
        Thread.sleep(1_000);
        assertEquals("lines printed after the interrupt", printedLines, gogo.printed().lines().toList());
        long total = backend.metrics().nrUserDispatches();
        long printed = 0;
        for (String line : lines) {
            Matcher m = MONITOR_LINE.matcher(line);
            assertTrue(line, m.matches());
            assertTrue("a delta, not the total: " + line, Long.parseLong(m.group(1)) < total);
            printed += Long.parseLong(m.group(1));
        }
        assertTrue("the lines add up to more than was dispatched meanwhile (" + (total - before) + "): " + lines,
                printed <= total - before);
        assertTrue("the scheduler dispatched nothing between two lines: " + lines,
                lines.stream().anyMatch(line -> !line.contains("u: 0 ")));
        assertEquals("the interval must be a positive number of seconds, not 0", gogo.refused("scx:stats 0"));
        assertEquals("Ctrl-C with nothing repeating ends nothing", 0, ctrlC());
    }

    /** What the launcher does on Ctrl-C while the console is open; returns how many commands it ended. */
    private int ctrlC() {
        java.util.Collection<org.osgi.framework.ServiceReference<java.util.function.IntSupplier>> refs;
        try {
            refs = context.getServiceReferences(java.util.function.IntSupplier.class, "(scx.shell=interrupt-repeating)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        assertEquals("one service ends the repeating commands", 1, refs.size());
        org.osgi.framework.ServiceReference<java.util.function.IntSupplier> ref = refs.iterator().next();
        try {
            return context.getService(ref).getAsInt();
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    public void configShowsTheActivePolicysOptions() throws Exception {
        // Each value, then what it means: the policy's configuration type, through the Metatype service.
        assertEquals(String.join("\n", "policy deadline (configuration " + DEADLINE_PID + ")",
                "  percpu_local = false", "      " + DeadlineConfig.PERCPU_LOCAL_DESCRIPTION + ".",
                "  slice_us = 20000", "      " + DeadlineConfig.SLICE_US_DESCRIPTION + ".",
                "  slice_us_min = 1000", "      " + DeadlineConfig.SLICE_US_MIN_DESCRIPTION + ".", ""),
                gogo.run("scx:config"));
        gogo.run("scx:use builtin-fifo");
        assertEquals("the active policy builtin-fifo has no options to show or change", gogo.refused("scx:config"));
        assertEquals("the active policy builtin-fifo has no options to show or change",
                gogo.refused("scx:set slice_us 5000"));
    }

    @Test
    public void setAppliesAValidValueLiveAndRefusesInvalidOnesKeepingTheOldValue() throws Exception {
        Policy deadline = policy("deadline");
        assertEquals("slice_us_min = 500 (was 1000)\n", gogo.run("scx:set slice_us_min 500"));
        assertSlicesDispatched(500_000);
        assertEquals(500L, deadline.configuration().get("slice_us_min"));

        Map<String, String> refusals = Map.of(
                "0", "slice_us_min must be a whole number of microseconds between 1 and ",
                "-5", "slice_us_min must be a whole number of microseconds between 1 and ",
                "abc", "slice_us_min: expected a whole number, not 'abc'");
        for (Map.Entry<String, String> bad : refusals.entrySet()) {
            String refusal = gogo.refused("scx:set slice_us_min " + bad.getKey());
            assertTrue(refusal, refusal.startsWith(bad.getValue()));
            assertTrue(refusal, refusal.endsWith("; slice_us_min stays 500"));
        }
        assertEquals("slice_us_min (30000) must not be larger than slice_us (20000); slice_us_min stays 500",
                gogo.refused("scx:set slice_us_min 30000"));
        assertEquals("policy deadline has no option slice; its options are percpu_local, slice_us, slice_us_min",
                gogo.refused("scx:set slice 5"));

        assertEquals(500L, deadline.configuration().get("slice_us_min"));
        assertSlicesDispatched(500_000);
        assertNothingLost();
    }

    @Test
    public void helpShowsWhatUseDoesAndItsParameter() throws Exception {
        String help = String.valueOf(gogo.result("help scx:use"));
        assertThat(help, containsString("use - make the named policy the active one now, handing it every task the"
                + " current one holds"));
        assertThat(help, containsString("scope: scx"));
        assertThat(help, containsString("policy name, as scx:policies lists it"));
    }
}
