package org.scxjavaland.lab;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ResultsTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void eachGroupHasTheFiguresOfItsKindOnly() {
        List<ResultRow> rows = ResultRow.of(Samples.desktop("deadline", 1, 750, 0, 2.5));
        // interactive: p50, p99, p99.9, max, cpu share = 5; frame: the same 5 and missed periods = 6;
        // build (a hog): 4 latencies, cpu share and its throughput = 6.
        assertEquals(17, rows.size());
        assertTrue(rows.stream().noneMatch(r -> r.group().equals("interactive") && r.figure().equals("missed_periods")));
        assertTrue(rows.stream().anyMatch(r -> r.group().equals("frame") && r.figure().equals("missed_periods")));
        assertEquals(1, rows.stream().filter(r -> r.figure().equals("hog_cpu_s_per_s")).count());
        ResultRow p99 = rows.stream().filter(r -> r.group().equals("interactive") && r.figure().equals("p99_us"))
                .findFirst().orElseThrow();
        assertEquals(750.0, p99.value(), 0);
    }

    @Test
    public void theCsvAndTheJsonHoldTheSameRowsAndTheJsonTheRunsWithTheirCurves() throws Exception {
        List<RunResult> runs = List.of(Samples.desktop("deadline", 1, 750.123456, 0, 2.5),
                Samples.desktop("fifo, the \"old\" one", 1, 39_000, 700, 3.1));
        Results written = Results.of(Samples.provenance(List.of("deadline", "fifo"), List.of(1L)), runs);
        Path out = folder.getRoot().toPath().resolve("report");
        written.writeTo(out);

        List<ResultRow> csv = Results.readCsv(out.resolve(Results.CSV));
        Results json = Results.readJson(out.resolve(Results.JSON));
        assertEquals("a name with a comma and quotes survives the CSV", written.rows(), csv);
        assertEquals(written.rows(), json.rows());
        assertEquals(runs, json.runs());
        assertEquals(written.provenance(), json.provenance());
        assertEquals("values are rounded to ns", 750.123, csv.get(1).value(), 0);
        assertTrue(Files.readAllLines(out.resolve(Results.CSV)).get(0).equals(ResultRow.CSV_HEADER));
    }

    @Test
    public void theSpreadIsTheMedianAndTheRangeAcrossSeeds() {
        List<RunResult> runs = List.of(Samples.desktop("deadline", 1, 100, 3, 2), Samples.desktop("deadline", 2, 300, 1, 2),
                Samples.desktop("deadline", 3, 200, 2, 2), Samples.desktop("deadline", 4, 900, 0, 2));
        Spread p99 = Spread.of(runs, "interactive", Figure.P99_US);
        assertEquals("the mean of the middle two of 100, 200, 300, 900", 250.0, p99.median(), 0);
        assertEquals(100.0, p99.min(), 0);
        assertEquals(900.0, p99.max(), 0);
        assertEquals(4, p99.n());
        assertTrue("interactive has no periods", Spread.of(runs, "interactive", Figure.MISSED_PERIODS).empty());
        assertEquals(1.5, Spread.of(runs, "frame", Figure.MISSED_PERIODS).median(), 0);
    }

    @Test
    public void theBestPolicyOfAGroupIsChosenByItsKindsFigure() {
        List<RunResult> runs = List.of(
                Samples.desktop("deadline", 1, 750, 0, 2.0), Samples.desktop("deadline", 2, 800, 0, 2.1),
                Samples.desktop("fifo", 1, 39_000, 0, 3.0), Samples.desktop("fifo", 2, 41_000, 0, 3.2));
        HtmlReport page = new HtmlReport(Results.of(Samples.provenance(List.of("deadline", "fifo"), List.of(1L, 2L)),
                runs), List.of());
        List<HtmlReport.Best> best = page.best();
        assertEquals(3, best.size());
        assertEquals("interactive: the lower p99", List.of("deadline"), best.get(0).winners());
        assertEquals(Figure.P99_US, best.get(0).figure());
        assertEquals("frame: no policy missed a period, so its p99 decides, and both have 4 ms", List.of(),
                best.get(1).winners());
        assertEquals(Figure.P99_US, best.get(1).figure());
        assertEquals("build: the higher throughput", List.of("fifo"), best.get(2).winners());
        assertEquals(Figure.HOG_THROUGHPUT, best.get(2).figure());
    }

    @Test
    public void policiesEquallyBestAreAllNamed() {
        List<RunResult> runs = List.of(Samples.desktop("deadline", 1, 750, 0, 2.0), Samples.desktop("fifo", 1, 39_000, 700, 3.0),
                Samples.desktop("fair", 1, 6_500, 0, 2.0));
        HtmlReport page = new HtmlReport(Results.of(Samples.provenance(List.of("deadline", "fifo", "fair"), List.of(1L)),
                runs), List.of());
        assertEquals("frame: deadline and fair both missed none", List.of("deadline", "fair"), page.best().get(1).winners());
        assertEquals(java.util.Set.of(0, 2), HtmlReport.bestIndexes(Figure.MISSED_PERIODS,
                List.of(Spread.of(List.of(0.0)), Spread.of(List.of(700.0)), Spread.of(List.of(0.0)))));
    }

    @Test
    public void thePageIsOneFileWithAPlotPerLatencyGroupAndPerFigure() {
        List<RunResult> runs = List.of(Samples.desktop("deadline", 1, 750, 1, 2.0), Samples.desktop("fifo", 1, 39_000, 700, 3.0));
        String html = new HtmlReport(Results.of(Samples.provenance(List.of("deadline", "fifo"), List.of(1L)), runs),
                List.of("fair on desktop, seed 1: exit 2: Unknown policy 'fair'.")).html();
        // 3 latency curves (interactive, frame, build), then cpu share, missed periods, hog throughput.
        assertEquals(6, html.split("<img class=\"plot\"", -1).length - 1);
        assertEquals(6, html.split("src=\"data:image/svg\\+xml;base64,", -1).length - 1);
        assertFalse("nothing is loaded from elsewhere", html.contains("http://") || html.contains("https://"));
        assertTrue(html.contains("Runs that failed") && html.contains("Unknown policy &#39;fair&#39;")
                || html.contains("Unknown policy 'fair'"));
        assertTrue(html.contains("scx_javaland-compare --policies deadline,fifo"));
    }

    @Test
    public void thePercentileAxisReadsInDecades() {
        assertEquals("0", Charts.percentileLabel(0));
        assertEquals("90", Charts.percentileLabel(1));
        assertEquals("99", Charts.percentileLabel(2));
        assertEquals("99.9", Charts.percentileLabel(3));
        assertEquals("99.99", Charts.percentileLabel(4));
        assertEquals("max", Charts.percentileLabel(5));
        // Between the decades (a narrow plot's half steps): the percentile there, each label its own.
        assertEquals("68.4", Charts.percentileLabel(0.5));
        assertEquals("99.684", Charts.percentileLabel(2.5));
        java.util.Set<String> labels = new java.util.HashSet<>();
        // XChart also labels the ticks a step or two beyond the axis's ends, and loops for ever on two equal labels.
        for (int i = -200; i <= 700; i++) {
            assertTrue("a second tick labelled " + Charts.percentileLabel(i / 100.0),
                    labels.add(Charts.percentileLabel(i / 100.0)));
        }
        assertEquals(2.0, Charts.x(99), 1e-12);
        assertEquals(5.0, Charts.x(100), 0);
    }
}
