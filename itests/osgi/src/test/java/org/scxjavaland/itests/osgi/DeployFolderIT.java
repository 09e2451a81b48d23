package org.scxjavaland.itests.osgi;

import static org.hamcrest.CoreMatchers.containsString;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.itests.osgi.deploy.DeployJars;

/**
 * The host with a deploy/ and an etc/ folder of the test's own, guarded and watched as the launcher
 * sets them up, on the counted machine: a third-party policy jar dropped in, swapped to, replaced by
 * a new version while active, and removed, without losing a task; broken jars reported in one line
 * each while the host runs on; the deadline policy's .cfg file edited while it schedules.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DeployFolderIT extends GuardedFolderSupport {

    private static final String FAIR_BUNDLE = "com.example.scx.policy-fair";
    private static final String DEADLINE_CFG = "org.scxjavaland.policy.deadline.cfg";

    @Inject
    private CommandProcessor processor;

    private SchedulerBackend backend;

    @Before
    public void deadlineActive() {
        backend = backend();
        waitUntil("deadline active", () -> "deadline".equals(backend.activePolicy()));
    }

    private Bundle fairBundle() {
        return bundleNamed(FAIR_BUNDLE);
    }

    @Test
    public void aPolicyJarIsInstalledSwappedToUpdatedWhileActiveAndRemovedWithoutLosingATask() throws Exception {
        Files.copy(deployJar("policy-fair.jar"), scratch.resolve("fair.jar"));
        drop(scratch.resolve("fair.jar"), deploy, "policy-fair.jar");
        waitUntil("the fair policy available", () -> backend.availablePolicies().contains("fair"));
        assertEquals(Version.parseVersion("1.0.0"), fairBundle().getVersion());

        try (Gogo gogo = new Gogo(processor)) {
            assertThat(gogo.run("scx:use fair"), containsString("active policy: deadline -> fair, "));
        }
        assertEquals("fair", backend.activePolicy());
        long outUnderFair = link.tasksOut();
        waitUntil("fair dispatching", () -> link.tasksOut() > outUnderFair + 1_000);
        waitUntil("fair holding tasks", () -> backend.metrics().nrScheduled() > 0);

        // A new version replaces the jar while its policy is active and holds tasks: said as an update
        // in one line, with the tasks handed over, not as going away and coming back.
        try (LogCapture log = new LogCapture()) {
            DeployJars.withVersion(deployJar("policy-fair.jar"), "1.0.1", scratch.resolve("fair-1.0.1.jar"));
            drop(scratch.resolve("fair-1.0.1.jar"), deploy, "policy-fair.jar");
            waitUntil("the new version installed", () -> fairBundle() != null
                    && Version.parseVersion("1.0.1").equals(fairBundle().getVersion())
                    && fairBundle().getState() == Bundle.ACTIVE);
            waitUntil("fair active again", () -> "fair".equals(backend.activePolicy()));
            waitUntil("the update said", () -> log.lineWith("Policy updated: fair") != null);
            assertTrue(log.lineWith("Policy updated: fair"), log.lineWith("Policy updated: fair")
                    .matches(".*Scheduler - Policy updated: fair 1\\.0\\.0 -> 1\\.0\\.1, \\d+ tasks handed over\\."));
            assertEquals("the update's only line about fair", null, log.lineWith("Policy 'fair'"));
        }
        long outUnderNewFair = link.tasksOut();
        waitUntil("the new fair dispatching", () -> link.tasksOut() > outUnderNewFair + 1_000);
        assertNothingLost();

        // Removing the jar uninstalls it; the configured policy takes the tasks.
        try (LogCapture log = new LogCapture()) {
            Files.delete(deploy.resolve("policy-fair.jar"));
            waitUntil("the fair bundle uninstalled", () -> fairBundle() == null);
            waitUntil("its policy said to be gone", () -> log.lineWith(
                    "Policy 'fair' (" + FAIR_BUNDLE + " 1.0.1) is no longer available.") != null);
        }
        assertEquals("deadline", backend.activePolicy());
        assertFalse(backend.availablePolicies().contains("fair"));
        long outUnderDeadline = link.tasksOut();
        waitUntil("deadline dispatching", () -> link.tasksOut() > outUnderDeadline + 1_000);
        assertNothingLost();
    }

    @Test
    public void brokenJarsAreReportedInOneLineEachAndTheHostRunsOn() throws Exception {
        DeployJars.plainJar(scratch.resolve("plain.jar"));
        DeployJars.unresolvedBundle(scratch.resolve("unresolved.jar"));
        DeployJars.throwingPolicyBundle(scratch.resolve("throwing.jar"));
        DeployJars.throwingActivatorBundle(scratch.resolve("activator.jar"));
        DeployJars.emptyBundle(scratch.resolve("empty.jar"));
        try (LogCapture log = new LogCapture()) {
            for (String jar : List.of("plain.jar", "unresolved.jar", "throwing.jar", "activator.jar", "empty.jar")) {
                drop(scratch.resolve(jar), deploy, jar);
            }
            waitUntil("the four jars reported", () -> deployReports(log).size() >= 4);
            // A second copy of a bundle installed by now, and a Bundle-Version that is not one.
            Files.copy(deploy.resolve("empty.jar"), scratch.resolve("empty-copy.jar"));
            DeployJars.withVersion(deploy.resolve("throwing.jar"), "1.x", scratch.resolve("badversion.jar"));
            for (String jar : List.of("empty-copy.jar", "badversion.jar")) {
                drop(scratch.resolve(jar), deploy, jar);
            }
            waitUntil("the six jars reported", () -> deployReports(log).size() >= 6);
            // Let fileinstall and the watch look a few more times: nothing is reported twice.
            long outBefore = link.tasksOut();
            waitUntil("tasks flowing", () -> link.tasksOut() > outBefore + 5_000);
            Thread.sleep(1_000);

            List<String> reports = deployReports(log);
            assertEquals(String.join("\n", reports), 6, reports.size());
            String plainReport = deploy.resolve("plain.jar") + " is not an OSGi bundle (its manifest has no"
                    + " Bundle-SymbolicName), so it is not installed: build it as a bundle (as examples/policy-fair"
                    + " does) or remove it.";
            assertReport(reports, plainReport);
            assertReport(reports, deploy.resolve("unresolved.jar") + " (" + DeployJars.UNRESOLVED_NAME + " 1.0.0)"
                    + " does not resolve: nothing installed provides the package " + DeployJars.MISSING_PACKAGE
                    + "; install a bundle that provides it, or rebuild the jar without that requirement.");
            assertReport(reports, deploy.resolve("throwing.jar") + " (" + DeployJars.THROWING_NAME + " 1.0.0): the"
                    + " component " + DeployJars.THROWING_COMPONENT + " failed to start (java.lang.IllegalStateException: "
                    + DeployJars.THROWING_MESSAGE + "); its policy is not available. Fix the bundle or remove the jar.");
            assertReport(reports, deploy.resolve("activator.jar") + " (" + DeployJars.ACTIVATOR_NAME + " 1.0.0) did"
                    + " not start: its bundle activator threw an exception; fix the bundle or remove the jar.");
            assertReport(reports, deploy.resolve("empty-copy.jar") + " (" + DeployJars.EMPTY_NAME + " 1.0.0) is the same"
                    + " bundle as " + deploy.resolve("empty.jar") + ", which is installed: the framework holds one bundle"
                    + " for both jars; remove one of the two, or give this one another Bundle-Version.");
            String badVersion = reports.stream().filter(r -> r.startsWith(deploy.resolve("badversion.jar").toString()))
                    .findFirst().orElse("(none)");
            assertTrue(badVersion, badVersion.startsWith(deploy.resolve("badversion.jar") + " (" + DeployJars.THROWING_NAME
                    + ") is not installed: its Bundle-Version '1.x' is not a version ("));

            // A new version of a broken jar is reported on afresh.
            DeployJars.plainJar(scratch.resolve("plain.jar"));
            Files.setLastModifiedTime(scratch.resolve("plain.jar"),
                    FileTime.fromMillis(Files.getLastModifiedTime(deploy.resolve("plain.jar")).toMillis() + 2_000));
            drop(scratch.resolve("plain.jar"), deploy, "plain.jar");
            waitUntil("the replaced plain.jar reported", () -> deployReports(log).size() >= 7);
            assertEquals(plainReport, deployReports(log).get(6));
        }
        assertEquals("deadline", backend.activePolicy());
        assertFalse(backend.availablePolicies().contains("throwing"));
        assertNothingLost();
    }

    /** The lines the deploy watch logged (slf4j-simple: "[thread] WARN logger - message"). */
    private static List<String> deployReports(LogCapture log) {
        return log.text().lines().filter(line -> line.contains(" org.scxjavaland.deploy.DeployWatch - "))
                .map(line -> line.substring(line.indexOf(" - ") + 3)).toList();
    }

    private static void assertReport(List<String> reports, String expected) {
        assertTrue("no report\n  " + expected + "\namong\n  " + String.join("\n  ", reports),
                reports.contains(expected));
    }

    @Test
    public void editingTheDeadlineCfgChangesTheSlicesLiveAndAnInvalidValueKeepsThem() throws Exception {
        Policy deadline = policy("deadline");
        writeCfg("slice_us_min = 500\n");
        assertSlicesDispatched(500_000);
        assertEquals(500L, deadline.configuration().get("slice_us_min"));

        for (String bad : List.of("abc", "0", "-3")) {
            try (LogCapture log = new LogCapture()) {
                writeCfg("slice_us_min = " + bad + "\n");
                // The warning names the file the value came from.
                String ignoring = "org.scxjavaland.policy.deadline.cfg because";
                waitUntil("the bad value reported", () -> log.lineWith(ignoring) != null);
                assertThat(log.lineWith(ignoring), containsString("slice_us_min"));
                assertThat(log.lineWith(ignoring), containsString(bad));
                assertThat(log.lineWith(ignoring), containsString(
                        "the deadline policy keeps slice_us=20000, slice_us_min=500, percpu_local=false."));
            }
            assertEquals(500L, deadline.configuration().get("slice_us_min"));
            assertSlicesDispatched(500_000);
        }

        Files.delete(etc.resolve(DEADLINE_CFG));
        assertSlicesDispatched(1_000_000);
        assertEquals(Map.of("slice_us", 20_000L, "slice_us_min", 1_000L, "percpu_local", false),
                deadline.configuration());
        assertNothingLost();
    }

    private void writeCfg(String text) throws IOException {
        Files.writeString(scratch.resolve(DEADLINE_CFG), text);
        drop(scratch.resolve(DEADLINE_CFG), etc, DEADLINE_CFG);
    }
}
