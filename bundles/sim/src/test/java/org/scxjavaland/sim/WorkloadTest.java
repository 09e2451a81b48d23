package org.scxjavaland.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.machine.Workload;

/** The workload format: built-ins load, files parse, and each bad input gets its one sentence. */
public class WorkloadTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private static final String GOOD = String.join("\n",
            "name=tiny",
            "group.a.run_us=1000   # inline comments are allowed",
            "group.a.sleep_us=2000");

    @Test
    public void everyBuiltInWorkloadLoadsAndRuns() throws Exception {
        for (String name : Workload.BUILT_IN) {
            Workload w = Workload.load(name);
            assertEquals(name, w.name());
            assertFalse(name, w.groups().isEmpty());
            SimulatedMachine m = new SimulatedMachine(w, SimOptions.builder().durationMs(200).build());
            new FifoDriver(m, 0).runUntilExit(Long.MAX_VALUE);
            assertTrue(name, m.exitReason().contains("duration"));
        }
    }

    @Test
    public void desktopUnderBuildHasWhatItPromises() throws Exception {
        Workload w = Workload.load("desktop-under-build");
        assertEquals(4, w.cpus());
        Workload.Group interactive = group(w, "interactive");
        assertEquals(1_000_000, interactive.runNs());
        assertEquals(16_000_000, interactive.sleepNs());
        Workload.Group frame = group(w, "frame");
        assertEquals(Workload.Kind.PERIODIC, frame.kind());
        assertEquals(16_667_000, frame.periodNs());
        assertEquals(10_000_000, group(w, "audio").periodNs());
        Workload.Group build = group(w, "build");
        assertEquals(Workload.Kind.HOG, build.kind());
        assertEquals("2 per CPU", 8, build.taskCount(4));
        assertEquals(16, build.taskCount(8));
    }

    @Test
    public void aFileParsesWithCommentsNiceAffinityAndDefaults() throws Exception {
        Path file = write("w.properties", String.join("\n",
                "# a comment", "! another", "",
                "group.fg.count=3", "group.fg.run_us=500", "group.fg.period_us=10000", "group.fg.nice=-5",
                "group.bg : -1", // not a group key: the separator may be ':' but this key is unknown
                ""));
        try {
            Workload.load(file.toString());
            fail();
        } catch (WorkloadException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("group.bg"));
        }
        Files.writeString(file, String.join("\n",
                "group.fg.count: 3", "group.fg.run_us=500", "group.fg.period_us=10000", "group.fg.nice=-5",
                "group.fg.affinity=0-1,3", "group.bg.run_us=-1", "group.bg.weight=50"));
        Workload w = Workload.load(file.toString());
        assertEquals("the file name", "w", w.name());
        assertEquals(0, w.cpus());
        Workload.Group fg = w.groups().get(0);
        assertEquals("fg", fg.name());
        assertEquals(3, fg.taskCount(8));
        assertEquals("nice -5", 305, fg.weight());
        assertEquals(java.util.List.of(0, 1, 3), fg.affinity());
        assertEquals(0.1, fg.jitter(), 0);
        assertEquals("fg", fg.comm());
        Workload.Group bg = w.groups().get(1);
        assertEquals(50, bg.weight());
        assertEquals(1, bg.taskCount(8));
        assertEquals(Workload.Kind.HOG, bg.kind());
    }

    @Test
    public void niceMapsToTheKernelsWeights() throws Exception {
        assertEquals(100, weightOfNice(0));
        assertEquals(8668, weightOfNice(-20));
        assertEquals(1, weightOfNice(19));
        assertEquals("110 * 100 / 1024 = 10.7, rounded to the closest", 11, weightOfNice(10));
    }

    private long weightOfNice(int nice) throws WorkloadException {
        return Workload.parse("t", "t", "group.a.run_us=-1\ngroup.a.nice=" + nice).groups().get(0).weight();
    }

    @Test
    public void anUnknownNameSaysWhichNamesExist() {
        String msg = error(() -> Workload.load("desktop"));
        assertEquals("There is no built-in workload named 'desktop': use one of desktop-under-build, server, idle,"
                + " or the path of a workload file.", msg);
    }

    @Test
    public void aMissingFileSaysSo() {
        String msg = error(() -> Workload.load("/no/such/dir/w.properties"));
        assertTrue(msg, msg.startsWith("The workload file '/no/such/dir/w.properties' does not exist"));
    }

    @Test
    public void eachBadInputGetsItsSentence() throws Exception {
        assertBad("group.a.run_us=fast\ngroup.a.sleep_us=1", "line 1", "group.a.run_us is 'fast'",
                "expected a whole number of microseconds");
        assertBad("group.a.run_us=100\ngroup.a.sleep_us=1\ngroup.a.colour=red", "line 3", "group.a.colour is unknown",
                "run_us");
        assertBad("cpus=4\ngroup.a.sleep_us=1000", "group a has no group.a.run_us", "-1 for a CPU hog");
        assertBad("cpus=none\ngroup.a.run_us=-1", "line 1", "cpus is 'none'", "a number of CPUs");
        assertBad("cpus=0\ngroup.a.run_us=-1", "cpus is 0", "1 to 1024");
        assertBad("group.a.run_us=100\ngroup.a.sleep_us=1\ngroup.a.period_us=5", "both set", "one of them");
        assertBad("group.a.run_us=100", "neither group.a.sleep_us nor group.a.period_us");
        assertBad("group.a.run_us=-1\ngroup.a.sleep_us=5", "group.a.sleep_us cannot be used", "never sleeps");
        assertBad("group.a.run_us=0\ngroup.a.sleep_us=5", "group.a.run_us is 0", "at least 1 microsecond");
        assertBad("group.a.run_us=-1\ngroup.a.run_us=-1", "line 2", "set a second time", "first on line 1");
        assertBad("group.a.run_us=-1\ngroup.a.jitter=2", "group.a.jitter is '2'", "fraction from 0 to 1");
        assertBad("group.a.run_us=-1\ngroup.a.nice=30", "group.a.nice is 30", "-20 to 19");
        assertBad("group.a.run_us=-1\ngroup.a.weight=0", "group.a.weight is 0", "1 to 10000");
        assertBad("group.a.run_us=-1\ngroup.a.nice=1\ngroup.a.weight=5", "nice and group.a.weight are both set");
        assertBad("group.a.run_us=-1\ngroup.a.affinity=3-1", "group.a.affinity is '3-1'", "CPU list such as 0-1,3");
        assertBad("group.a.run_us=-1\ngroup.a.kthread=yes", "group.a.kthread is 'yes'", "true or false");
        assertBad("group.a.run_us=10\ngroup.a.sleep_us=10\ngroup.a.kthread=true\ngroup.a.count=2",
                "group.a.count cannot be used with group.a.kthread=true");
        assertBad("group.a.run_us=-1\ngroup.a.distribution=normal", "uniform or exponential");
        assertBad("group.a.run_us=-1\ngroup.a.count=2\ngroup.a.count_per_cpu=1", "count and group.a.count_per_cpu");
        assertBad("just some words", "line 1", "is not a setting", "key=value");
        assertBad("name=empty", "defines no task group");
    }

    @Test
    public void anAffinityBeyondTheMachineIsRejectedWhenTheMachineIsBuilt() throws Exception {
        Workload w = Workload.parse("Workload file /tmp/x.properties", "x", "group.a.run_us=-1\ngroup.a.affinity=6");
        String msg = error(() -> new SimulatedMachine(w, SimOptions.builder().cpus(4).build()));
        assertEquals("Workload file /tmp/x.properties: group.a.affinity names CPU 6, but the machine has 4 CPUs;"
                + " use CPUs 0-3 or run with more CPUs.", msg);
        new SimulatedMachine(w, SimOptions.builder().cpus(8).build());
    }

    @Test
    public void errorsNameTheFile() throws Exception {
        Path file = write("broken.properties", "group.a.run_us=12x\n");
        String msg = error(() -> Workload.load(file.toString()));
        assertTrue(msg, msg.startsWith("Workload file " + file + ", line 1: group.a.run_us is '12x'"));
    }

    @Test
    public void aBinaryFileIsSaidNotToBeText() throws Exception {
        Path file = folder.getRoot().toPath().resolve("a.out");
        Files.write(file, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, (byte) 0xc3, 0x28, (byte) 0xff, 0});
        assertEquals("The workload file " + file + " is not text (it holds bytes that are not UTF-8): give a"
                + " .properties text file as WORKLOADS.md describes, e.g. a copy of a built-in one.",
                error(() -> Workload.load(file.toString())));
    }

    @Test
    public void inlineCommentsAreNotPartOfTheValue() throws Exception {
        Workload w = Workload.parse("t", "t", GOOD);
        assertEquals("tiny", w.name());
        assertEquals(1_000_000, w.groups().get(0).runNs());
    }

    @Test
    public void theExampleOfWorkloadsMdIsValid() throws Exception {
        String doc = Files.readString(Path.of("WORKLOADS.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("```properties\n") + "```properties\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        Workload w = Workload.parse("WORKLOADS.md", "example", example);
        assertEquals("two-games", w.name());
        SimulatedMachine m = new SimulatedMachine(w, SimOptions.builder().durationMs(100).build());
        new FifoDriver(m, 0).runUntilExit(Long.MAX_VALUE);
        assertEquals(2, m.report().group("game").tasks());
    }

    private static Workload.Group group(Workload w, String name) {
        return w.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    private Path write(String name, String text) throws Exception {
        Path p = folder.getRoot().toPath().resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static void assertBad(String text, String... parts) {
        String msg = error(() -> Workload.parse("Workload file bad.properties", "bad", text));
        assertTrue(msg, msg.startsWith("Workload file bad.properties"));
        for (String part : parts) {
            assertTrue("'" + part + "' missing from: " + msg, msg.contains(part));
        }
        assertOneSentence(msg);
    }

    static void assertOneSentence(String msg) {
        assertTrue(msg, msg.endsWith("."));
        assertFalse(msg, msg.contains("\n"));
        assertFalse("one sentence: " + msg, msg.substring(0, msg.length() - 1).contains(". "));
    }

    interface Failing {
        void run() throws Exception;
    }

    static String error(Failing action) {
        try {
            action.run();
        } catch (WorkloadException | IllegalArgumentException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
        throw new AssertionError("expected an error");
    }
}
