package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.scxjavaland.lab.Provenance;
import org.scxjavaland.lab.ResultRow;
import org.scxjavaland.lab.Results;
import org.scxjavaland.lab.RunResult;

/**
 * A real compare run of the built bundles on the server workload and on a copy of it that keeps
 * its name=server: the two stay apart, each under what the command line gave, in the page, the
 * CSV and the JSON; and the provenance says where it ran and which jar each policy came from.
 */
public class CompareRunTest {

    private static final Path SERVER = Path.of("..", "bundles", "sim", "src", "main", "resources", "workloads",
            "server.properties");

    @ClassRule
    public static final TemporaryFolder FOLDER = new TemporaryFolder();

    private static Path home;
    private static Path copy;
    private static Path report;
    private static String compareErr;
    private static int exitCode;

    @BeforeClass
    public static void compare() throws Exception {
        home = CompareInHome.installation(FOLDER.newFolder("scx_javaland").toPath());
        copy = FOLDER.newFolder("mine").toPath().resolve("server.properties");
        Files.copy(SERVER, copy);
        assertThat("the copy keeps the built-in's name", Files.readString(copy), containsString("\nname=server\n"));
        report = FOLDER.getRoot().toPath().resolve("report");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        exitCode = CompareInHome.run(home, err, "--policies", "fifo", "--workloads", "server," + copy,
                "--seeds", "1", "--duration-ms", "300", "--jobs", "2", "--out", report.toString());
        compareErr = err.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void aCopyOfABuiltInWorkloadThatKeepsItsNameIsReportedApartUnderItsPath() throws Exception {
        assertEquals(compareErr, 0, exitCode);
        Set<String> both = Set.of("server", copy.toString());
        Results json = Results.readJson(report.resolve(Results.JSON));
        assertEquals(both, new TreeSet<>(json.runs().stream().map(RunResult::workload).toList()));
        assertEquals(both, new TreeSet<>(json.rows().stream().map(ResultRow::workload).toList()));
        List<ResultRow> csv = Results.readCsv(report.resolve(Results.CSV));
        assertEquals("results.csv holds results.json's rows", json.rows(), csv);
        for (String workload : both) {
            assertTrue(workload + " has its rows", csv.stream().anyMatch(r -> r.workload().equals(workload)
                    && r.group().equals("request")));
        }
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html, containsString("<h2>Workload server</h2>"));
        assertThat(html, containsString("<h2>Workload " + copy + "</h2>"));
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(report.resolve("runs"), "fifo__*")) {
            int folders = 0;
            for (Path ignored : runs) {
                folders++;
            }
            assertEquals("a folder per run", 2, folders);
        }
    }

    @Test
    public void theProvenanceSaysWhereItRanAndEachPolicysJarWithItsVersionAndSha256() throws Exception {
        assertEquals(compareErr, 0, exitCode);
        Path fifoJar;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(CompareInHome.BUILT_BUNDLES, "policy-fifo-*.jar")) {
            fifoJar = jars.iterator().next();
        }
        Provenance p = Results.readJson(report.resolve(Results.JSON)).provenance();
        assertEquals(Path.of("").toAbsolutePath().toString(), p.workingDirectory());
        assertEquals(1, p.policyJars().size());
        Provenance.PolicyJar jar = p.policyJars().get(0);
        assertEquals("fifo", jar.policy());
        assertEquals(home.resolve("bundles").resolve(fifoJar.getFileName()).toString(), jar.jar());
        assertEquals("org.scxjavaland.policy.fifo", jar.bundle());
        assertEquals(Cli.version().replace("-SNAPSHOT", ".SNAPSHOT"), jar.bundleVersion());
        assertEquals(Provenance.sha256(fifoJar), jar.sha256());
        assertTrue(jar.sha256(), jar.sha256().matches("[0-9a-f]{64}"));

        String command = Files.readString(report.resolve("command.txt"));
        assertThat(command, containsString(", in " + p.workingDirectory() + "):\n"));
        assertThat(command, containsString("# policy " + jar.describe() + "\n"));
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html, containsString("<th>working directory</th><td>" + p.workingDirectory() + "</td>"));
        assertThat(html, containsString(jar.sha256()));
    }
}
