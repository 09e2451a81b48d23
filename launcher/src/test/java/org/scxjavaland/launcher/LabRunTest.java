package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.lab.GroupResult;
import org.scxjavaland.lab.ResultRow;
import org.scxjavaland.lab.Results;
import org.scxjavaland.lab.RunResult;

/**
 * The end of a simulated run with the real host: the table on stdout, the --report folder, and
 * the --trace timeline, each checked against the others.
 */
public class LabRunTest {

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

    @Test
    public void aRunThatReachesItsDurationPrintsItsTableAndWritesTheSameAsFilesAndATimeline() throws Exception {
        Path report = folder.getRoot().toPath().resolve("report");
        Path trace = folder.getRoot().toPath().resolve("trace.json");
        assertEquals(ExitCode.OK, run("--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "1000",
                "--workload", "desktop-under-build", "--sim-seed", "3", "--report", report.toString(),
                "--trace", trace.toString(), "--trace-events", "2000"));
        String table = outBytes.toString(StandardCharsets.UTF_8);
        assertThat(table, startsWith("policy deadline, workload desktop-under-build on 4 CPUs, seed 3, 1.000 s"));
        assertThat(table, containsString("p99.9(us)"));
        assertEquals(table, Files.readString(report.resolve("table.txt")));

        Results json = Results.readJson(report.resolve(Results.JSON));
        List<ResultRow> csv = Results.readCsv(report.resolve(Results.CSV));
        assertEquals("results.csv and results.json hold the same rows", json.rows(), csv);
        RunResult run = json.runs().get(0);
        assertEquals("deadline", run.policy());
        assertEquals(3, run.seed());
        assertEquals(1_000_000_000L, run.virtualNs());
        assertThat(json.provenance().command(), containsString("--sim-seed 3"));
        for (GroupResult g : run.groups()) {
            // Each group's line of the table shows the same p99 as the files.
            String line = table.lines().filter(l -> l.startsWith(g.name() + " ")).findFirst().orElseThrow();
            if (g.hasLatency()) {
                assertThat(line, containsString(String.format(Locale.ROOT, " %.1f ", g.p99Ns() / 1e3)));
                ResultRow p99 = csv.stream().filter(r -> r.group().equals(g.name()) && r.figure().equals("p99_us"))
                        .findFirst().orElseThrow();
                assertEquals(g.p99Ns() / 1e3, p99.value(), 1e-9);
            }
        }

        JsonNode timeline = new ObjectMapper().readTree(trace.toFile());
        assertEquals(2000, timeline.get("otherData").get("cap_events").asInt());
        long recorded = timeline.get("otherData").get("recorded_events").asLong();
        long dropped = timeline.get("otherData").get("dropped_events").asLong();
        assertEquals("a second of the desktop has more than 2000 events: the cap holds", 2000, recorded);
        assertTrue(dropped > 0);
        Set<Integer> cpuTracks = new HashSet<>();
        Set<Integer> cpusRun = new HashSet<>();
        boolean policyMarked = false;
        int waits = 0;
        for (JsonNode e : timeline.get("traceEvents")) {
            if ("thread_name".equals(e.get("name").asText()) && e.get("pid").asInt() == 1) {
                cpuTracks.add(e.get("tid").asInt());
            }
            String cat = e.has("cat") ? e.get("cat").asText() : "";
            if (cat.equals("run")) {
                cpusRun.add(e.get("tid").asInt());
                assertTrue(e.get("dur").asDouble() >= 0);
            } else if (cat.equals("wake-to-run")) {
                waits++;
            } else if (cat.equals("policy")) {
                policyMarked |= e.get("name").asText().equals("policy deadline");
            }
        }
        assertEquals("one track per CPU", Set.of(0, 1, 2, 3), cpuTracks);
        assertEquals("tasks ran on every CPU, on no other track", cpuTracks, cpusRun);
        assertTrue("wake-to-run waits are on the timeline", waits > 0);
        assertTrue("the activation of deadline is marked", policyMarked);
    }
}
