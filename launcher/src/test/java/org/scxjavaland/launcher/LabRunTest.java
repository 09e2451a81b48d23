package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.CoreMatchers.startsWith;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        assertEquals(Path.of("").toAbsolutePath().toString(), json.provenance().workingDirectory());
        assertEquals("org.scxjavaland.policy.deadline", json.provenance().policyJars().get(0).bundle());
        assertEquals(org.scxjavaland.lab.Provenance.sha256(Path.of(json.provenance().policyJars().get(0).jar())),
                json.provenance().policyJars().get(0).sha256());
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

    /**
     * Perfetto (and chrome://tracing) draw a track's complete and duration events as a stack: on a
     * track they must nest, never overlap partly. Async events may overlap, and pair by category and
     * id. A real run's timeline, checked event by event.
     */
    @Test
    public void theTimelineNestsOnEveryTrackAndPairsEveryAsyncWait() throws Exception {
        Path trace = folder.getRoot().toPath().resolve("nesting.json");
        assertEquals(ExitCode.OK, run("--backend", "sim", "--sim-mode", "fast", "--sim-duration-ms", "500",
                "--workload", "server", "--sim-seed", "5", "--trace", trace.toString()));
        JsonNode timeline = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(trace.toFile());
        assertEquals("the whole run is in the file", 0, timeline.get("otherData").get("dropped_events").asLong());

        java.util.Map<String, List<BigDecimal[]>> spansByTrack = new java.util.TreeMap<>();
        java.util.Map<String, java.util.Deque<BigDecimal>> openByTrack = new java.util.HashMap<>();
        java.util.Map<String, JsonNode> asyncBegins = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> processNames = new java.util.HashMap<>();
        int pairs = 0;
        for (JsonNode e : timeline.get("traceEvents")) {
            String ph = e.get("ph").asText();
            String track = e.get("pid").asInt() + "/" + e.get("tid").asInt();
            switch (ph) {
                case "M" -> {
                    if (e.get("name").asText().equals("process_name")) {
                        processNames.merge(e.get("pid").asInt(), 1, Integer::sum);
                    }
                }
                case "X" -> {
                    BigDecimal ts = e.get("ts").decimalValue();
                    BigDecimal dur = e.get("dur").decimalValue();
                    assertTrue("a negative duration: " + e, dur.signum() >= 0);
                    spansByTrack.computeIfAbsent(track, t -> new ArrayList<>()).add(new BigDecimal[] {ts, ts.add(dur)});
                }
                // Duration events close in the reverse order they opened, on their track.
                case "B" -> openByTrack.computeIfAbsent(track, t -> new java.util.ArrayDeque<>())
                        .push(e.get("ts").decimalValue());
                case "E" -> {
                    java.util.Deque<BigDecimal> open = openByTrack.get(track);
                    assertTrue("an E without its B: " + e, open != null && !open.isEmpty());
                    spansByTrack.computeIfAbsent(track, t -> new ArrayList<>())
                            .add(new BigDecimal[] {open.pop(), e.get("ts").decimalValue()});
                }
                case "b" -> assertNull("an async id begun twice: " + e,
                        asyncBegins.put(e.get("cat").asText() + "#" + e.get("id").asText(), e));
                case "e" -> {
                    JsonNode begin = asyncBegins.remove(e.get("cat").asText() + "#" + e.get("id").asText());
                    assertNotNull("an async end without its begin: " + e, begin);
                    assertEquals("an async pair's names differ", begin.get("name"), e.get("name"));
                    assertEquals("an async pair's processes differ", begin.get("pid"), e.get("pid"));
                    assertTrue("an async pair ends before it begins: " + begin + " " + e,
                            e.get("ts").decimalValue().compareTo(begin.get("ts").decimalValue()) >= 0);
                    pairs++;
                }
                case "i" -> { }
                default -> fail("an event of an unexpected phase: " + e);
            }
        }
        assertEquals("every async begin has its end", java.util.Map.of(), asyncBegins);
        openByTrack.forEach((track, open) -> assertTrue("duration events left open on " + track, open.isEmpty()));
        assertEquals("each process named once", java.util.Map.of(1, 1, 2, 1), processNames);
        assertTrue("wake-to-run waits are on the timeline", pairs > 0);
        assertEquals("a track per CPU of the server's 8", 8, spansByTrack.size());

        for (java.util.Map.Entry<String, List<BigDecimal[]>> track : spansByTrack.entrySet()) {
            List<BigDecimal[]> spans = track.getValue();
            // By start, the longer first: each span must then lie inside every span still open.
            spans.sort((a, b) -> a[0].compareTo(b[0]) != 0 ? a[0].compareTo(b[0]) : b[1].compareTo(a[1]));
            java.util.Deque<BigDecimal[]> open = new java.util.ArrayDeque<>();
            for (BigDecimal[] span : spans) {
                while (!open.isEmpty() && open.peek()[1].compareTo(span[0]) <= 0) {
                    open.pop();
                }
                assertTrue("on track " + track.getKey() + ", [" + span[0] + ", " + span[1] + "] overlaps ["
                        + (open.isEmpty() ? "" : open.peek()[0] + ", " + open.peek()[1]) + "] without nesting",
                        open.isEmpty() || span[1].compareTo(open.peek()[1]) <= 0);
                open.push(span);
            }
        }
    }
}
