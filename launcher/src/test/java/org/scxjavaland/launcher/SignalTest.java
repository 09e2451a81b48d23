package org.scxjavaland.launcher;

import static org.hamcrest.CoreMatchers.not;
import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The real command in its own process: SIGTERM stops the host cleanly, with exit code 0. */
public class SignalTest {

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void sigtermStopsTheHostWithExitZeroAndNoStackTrace() throws IOException, InterruptedException {
        Path home = folder.newFolder("scx_javaland").toPath();
        Files.createSymbolicLink(home.resolve("bundles"), Path.of("target", "scx_javaland", "bundles").toAbsolutePath());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-D" + Layout.HOME_PROPERTY + "=" + home, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                Main.class.getName(), "--sim-mode", "paced")
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> err = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            assertTrue("first line: " + first, first != null && first.startsWith(Cli.versionLine()));
            Thread.sleep(500); // let the scheduler get going
            // Process.destroy() would send SIGTERM too, but it also closes our end of stderr.
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor());
            assertTrue("the host did not stop", process.waitFor(20, TimeUnit.SECONDS));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                err.add(line);
            }
        } finally {
            process.destroyForcibly();
        }
        assertEquals("stderr: " + err, 0, process.exitValue());
        assertThat(String.join("\n", err), not(containsString("Exception")));
    }
}
