package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.scxjavaland.lab.Figure;
import org.scxjavaland.lab.HtmlReport;
import org.scxjavaland.lab.ResultRow;
import org.scxjavaland.lab.Results;
import org.scxjavaland.lab.Spread;

/**
 * A real compare run (2 policies x 1 workload x 2 seeds, each an scx_javaland process of the
 * built bundles), then its index.html in Debian's headless Chromium: every plot loaded, no console
 * error, a screenshot (target/compare-report.png); and the files agree with the page.
 */
public class CompareReportTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private static Path report;
    private static String compareErr;
    private static int exitCode;

    @BeforeClass
    public static void compare() throws Exception {
        Path home = CompareInHome.installation(FOLDER.newFolder("scx_javaland").toPath());
        report = FOLDER.getRoot().toPath().resolve("report");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exitCode = CompareInHome.run(home, err, "--policies", "deadline,fifo", "--workloads",
                "desktop-under-build", "--seeds", "2", "--duration-ms", "2000", "--jobs", "2", "--out", report.toString());
        compareErr = err.toString(StandardCharsets.UTF_8);
    }

    @AfterClass
    public static void forget() {
        report = null;
    }

    @Test
    public void everyRunEndedAndTheFilesAgreeWithThePage() throws Exception {
        assertEquals(compareErr, 0, exitCode);
        assertThat(compareErr, containsString("4 runs (2 policies x 1 workloads x 2 seeds, 2 at a time)"));
        Results json = Results.readJson(report.resolve(Results.JSON));
        List<ResultRow> csv = Results.readCsv(report.resolve(Results.CSV));
        assertEquals(4, json.runs().size());
        assertEquals("results.csv holds results.json's rows", json.rows(), csv);
        assertEquals(List.of(1L, 2L), json.provenance().seeds());
        assertThat(Files.readString(report.resolve("command.txt")), containsString(
                "scx_javaland-compare --policies deadline,fifo --workloads desktop-under-build --seeds 2"));

        // The page's table shows each policy's median of the seeds' p99 for the interactive group.
        String html = Files.readString(report.resolve("index.html"));
        for (String policy : List.of("deadline", "fifo")) {
            List<Double> p99s = new ArrayList<>();
            for (ResultRow row : csv) {
                if (row.policy().equals(policy) && row.group().equals("interactive")
                        && row.figure().equals(Figure.P99_US.key())) {
                    p99s.add(row.value());
                }
            }
            assertEquals(2, p99s.size());
            Spread s = Spread.of(p99s);
            String cell = HtmlReport.num(s.median()) + " <span class=\"range\">(" + HtmlReport.num(s.min()) + "&ndash;"
                    + HtmlReport.num(s.max());
            assertThat(policy + "'s interactive p99 in the page", html, containsString(cell));
        }
    }

    @Test
    public void thePageRendersEveryPlotInHeadlessChromium() throws Exception {
        assumeTrue("skipped: no Debian chromium and chromedriver here (scripts/setup-debian.sh, which ./test.sh runs,"
                + " installs them: apt-get install -y chromium chromium-driver)",
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
        assertEquals(compareErr, 0, exitCode);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1240,2400",
                "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.get(report.resolve("index.html").toUri().toString());
            JavascriptExecutor js = browser;
            // The page is loaded when get() returns (its load event): every image has been decoded or failed.
            long plots = (Long) js.executeScript("return document.querySelectorAll('img.plot').length");
            long rendered = (Long) js.executeScript("return Array.from(document.querySelectorAll('img.plot'))"
                    + ".filter(i => i.complete && i.naturalWidth > 0).length");
            // desktop-under-build: 4 latency curves (interactive, frame, audio, build), CPU share,
            // missed periods, hog throughput.
            assertEquals(7, plots);
            assertEquals("every plot rendered", plots, rendered);
            List<String> errors = new ArrayList<>();
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(entry.getMessage());
                }
            }
            assertEquals("no console errors", List.of(), errors);
            String best = (String) js.executeScript(
                    "return document.querySelector('#best tbody tr td:nth-child(4)').textContent");
            assertEquals("deadline is best for interactive tasks", "deadline", best.trim());
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            Files.write(Path.of("target", "compare-report.png"), png);
            assertTrue(png.length > 10_000);
        } finally {
            browser.quit();
        }
    }
}
