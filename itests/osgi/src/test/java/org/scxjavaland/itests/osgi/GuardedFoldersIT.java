package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.scxjavaland.api.Policy;
import org.scxjavaland.itests.osgi.deploy.DeployJars;

/**
 * Nothing another user can write reaches the host: a jar or a .cfg writable by others, owned by
 * another user, reached through a symbolic link to /tmp, or swapped between the deploy guard's
 * check and its copy, is refused in one line each and nothing of it is installed or applied,
 * while tasks keep flowing; and an installed policy whose jar another user overwrites later keeps
 * running as it was installed. (The cases that need another user's files run as root, as CI does.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GuardedFoldersIT extends GuardedFolderSupport {

    private static final String FAIR_BUNDLE = "com.example.scx.policy-fair";
    private static final String DEADLINE_PID = "org.scxjavaland.policy.deadline";
    private static final String DEADLINE_CFG = DEADLINE_PID + ".cfg";
    private static final int NOBODY = 65534;
    private static final Map<String, Object> DEADLINE_DEFAULTS =
            Map.of("slice_us", 20_000L, "slice_us_min", 1_000L, "percpu_local", false);

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The deploy guard's lines (slf4j-simple: "[thread] WARN logger - message"). */
    private static List<String> guardLines(LogCapture log) {
        return log.text().lines().filter(line -> line.contains(" org.scxjavaland.deploy.guard.DeployGuard - "))
                .map(line -> line.substring(line.indexOf(" - ") + 3)).toList();
    }

    /**
     * Drops {@code file} as {@code name} into {@code folder}; waits for the guard's one line about
     * it, and for the guard to look once more (a harmless file dropped after the line is copied),
     * so that a second line would have been said; checks that tasks flowed meanwhile.
     *
     * @return the one line
     */
    private String refusedOnce(LogCapture log, Path file, Path folder, String name, String... reason) throws IOException {
        long outBefore = link.tasksOut();
        if (file != null) {
            drop(file, folder, name);
        }
        Path shown = folder.resolve(name);
        waitUntil("the guard's line about " + shown, () -> guardLines(log).stream().anyMatch(l -> l.startsWith(shown + " ")));
        lookedAgain();
        List<String> lines = guardLines(log).stream().filter(l -> l.startsWith(shown + " ")).toList();
        assertEquals(String.join("\n", lines), 1, lines.size());
        for (String part : reason) {
            assertTrue(lines.get(0), lines.get(0).contains(part));
        }
        waitUntil("tasks flowing", () -> link.tasksOut() > outBefore + 1_000);
        return lines.get(0);
    }

    /** Waits for a look of the guard that began after now: a file dropped now is copied. */
    private void lookedAgain() throws IOException {
        Path marker = Files.writeString(scratch.resolve("marker.cfg"), "nothing = 0\n");
        String name = "com.example.marker-" + System.nanoTime() + ".cfg";
        drop(marker, etc, name);
        Path copied = etcCopy().resolve(name);
        waitUntil("the guard looking again", () -> Files.exists(copied));
        Files.delete(etc.resolve(name));
    }

    private Path etcCopy() {
        return deployCopy.resolveSibling("etc");
    }

    private Path fairJar(String version) throws IOException {
        Path jar = scratch.resolve("fair-" + version + ".jar");
        DeployJars.withVersion(deployJar("policy-fair.jar"), version, jar);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        return jar;
    }

    private Path cfg(String text, String mode) throws IOException {
        Path cfg = Files.writeString(scratch.resolve(DEADLINE_CFG), text);
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString(mode));
        return cfg;
    }

    /**
     * Makes {@code file}, admitted before, writable by others, and waits for the guard's line about
     * that version of it: a later change then is a version of its own, said in a line of its own.
     */
    private void makeWritableByOthers(Path file) throws IOException {
        try (LogCapture log = new LogCapture()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            waitUntil("the guard's line about " + file + " made writable by others",
                    () -> guardLines(log).stream().anyMatch(l -> l.startsWith(file + " ")));
        }
    }

    /** Runs {@code script} (sh, the file as $0) as the user nobody. */
    private static void asNobody(String script, Path file) throws Exception {
        Process nobody = new ProcessBuilder("runuser", "-u", "nobody", "--", "sh", "-c", script, file.toString())
                .inheritIO().start();
        assertEquals("runuser's exit", 0, nobody.waitFor());
    }

    /** Drops etc/ the deadline policy's .cfg with {@code sliceUsMin} and waits until it is applied. */
    private Path appliedDeadlineCfg(long sliceUsMin) throws IOException {
        drop(cfg("slice_us_min = " + sliceUsMin + "\n", "rw-r--r--"), etc, DEADLINE_CFG);
        Policy deadline = policy("deadline");
        waitUntil("slice_us_min = " + sliceUsMin + " applied", () -> Long.valueOf(sliceUsMin).equals(
                deadline.configuration().get("slice_us_min")));
        assertSlicesDispatched(sliceUsMin * 1_000);
        return etc.resolve(DEADLINE_CFG);
    }

    /** Removes the deadline policy's .cfg from etc/ and waits until its defaults are back. */
    private void removeDeadlineCfg() throws IOException {
        Files.deleteIfExists(etc.resolve(DEADLINE_CFG));
        Policy deadline = policy("deadline");
        waitUntil("the deadline policy's defaults back", () -> DEADLINE_DEFAULTS.equals(deadline.configuration()));
    }

    /**
     * Waits for a scan of fileinstall that began after now: a change it would make from the
     * private copies has been made by then (it handles every changed file of one scan together).
     */
    private void fileinstallScannedAgain() throws Exception {
        String pid = "com.example.scanned" + System.nanoTime(); // no '-': "a-b.cfg" is a factory configuration
        drop(Files.writeString(scratch.resolve("scanned.cfg"), "nothing = 0\n"), etc, pid + ".cfg");
        waitUntil("fileinstall applying " + pid, () -> {
            try {
                return configurationAdmin.listConfigurations("(service.pid=" + pid + ")") != null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Files.delete(etc.resolve(pid + ".cfg"));
    }

    private void assertNoPolicyFromDeploy() {
        assertNull(bundleNamed(FAIR_BUNDLE));
        assertFalse(backend().availablePolicies().contains("fair"));
        assertNothingLost();
    }

    private void assertDeadlineUnconfigured() {
        Policy deadline = policy("deadline");
        assertEquals(DEADLINE_DEFAULTS, deadline.configuration());
        assertSlicesDispatched(1_000_000);
        assertNothingLost();
    }

    @Test
    public void aJarWritableByEveryoneIsRefused() throws IOException {
        Path jar = fairJar("1.0.0");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        try (LogCapture log = new LogCapture()) {
            String line = refusedOnce(log, jar, deploy, "x.jar");
            assertEquals(deploy.resolve("x.jar") + " is writable by other users (fix: chmod go-w " + deploy.resolve("x.jar")
                    + "): refused, nothing of it is loaded.", line);
        }
        assertNoPolicyFromDeploy();
    }

    @Test
    public void aJarOwnedByAnotherUserIsRefused() throws IOException {
        assumeTrue("chown needs root", root());
        Path jar = fairJar("1.0.0");
        Files.setAttribute(jar, "unix:uid", NOBODY);
        try (LogCapture log = new LogCapture()) {
            refusedOnce(log, jar, deploy, "x.jar", "is owned by uid 65534, not by root",
                    "(fix: chown root " + deploy.resolve("x.jar") + ")", "nothing of it is loaded");
        }
        assertNoPolicyFromDeploy();
    }

    @Test
    public void anInstalledPolicyWhoseJarAnotherUserOverwritesKeepsRunningAsInstalled() throws Exception {
        assumeTrue("writing as another user needs root", root());
        drop(fairJar("1.0.0"), deploy, "x.jar");
        waitUntil("the fair policy available", () -> backend().availablePolicies().contains("fair"));
        Bundle installed = bundleNamed(FAIR_BUNDLE);
        long modified = installed.getLastModified();
        Path jar = deploy.resolve("x.jar");
        makeWritableByOthers(jar);
        try (LogCapture log = new LogCapture()) {
            asNobody("printf 'not a jar' > \"$0\"", jar);
            assertEquals("not a jar", Files.readString(jar));
            refusedOnce(log, null, deploy, "x.jar", "is writable by other users", "the version admitted before stays in use");
        }
        assertEquals(Version.parseVersion("1.0.0"), bundleNamed(FAIR_BUNDLE).getVersion());
        assertEquals("not updated from the overwritten jar", modified, bundleNamed(FAIR_BUNDLE).getLastModified());
        assertTrue(backend().availablePolicies().contains("fair"));
        assertNothingLost();
    }

    @Test
    public void aSymbolicLinkToAJarInTmpIsRefused() throws IOException {
        Path outside = Files.createTempDirectory("elsewhere");
        Path target = Files.copy(fairJar("1.0.0"), outside.resolve("policy.jar"));
        try (LogCapture log = new LogCapture()) {
            Files.createSymbolicLink(deploy.resolve("x.jar"), target);
            refusedOnce(log, null, deploy, "x.jar", "is a symbolic link to " + target + ", outside " + deploy);
        } finally {
            Files.deleteIfExists(deploy.resolve("x.jar"));
            Files.delete(target);
            Files.delete(outside);
        }
        assertNoPolicyFromDeploy();
    }

    @Test
    public void aJarSwappedBetweenTheCheckAndTheCopyIsNotInstalled() throws Exception {
        Files.writeString(gate, "");
        drop(fairJar("1.0.0"), deploy, "x.jar");
        Path reached = gate.resolveSibling(gate.getFileName() + ".reached");
        waitUntil("the guard checked the jar and waits at the gate", () -> Files.exists(reached));
        // In the window: another user makes the jar writable and writes a new version over it.
        Path jar = deploy.resolve("x.jar");
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.write(jar, Files.readAllBytes(fairJar("6.6.6")));
        try (LogCapture log = new LogCapture()) {
            Files.delete(gate);
            refusedOnce(log, null, deploy, "x.jar", "is writable by other users", "nothing of it is loaded");
        } finally {
            Files.deleteIfExists(reached);
        }
        assertNoPolicyFromDeploy();
    }

    @Test
    public void aCfgWritableByOthersIsRefused() throws IOException {
        try (LogCapture log = new LogCapture()) {
            refusedOnce(log, cfg("slice_us_min = 500\n", "rw-rw-r--"), etc, DEADLINE_CFG,
                    "is writable by other users (fix: chmod go-w " + etc.resolve(DEADLINE_CFG) + ")");
        }
        assertDeadlineUnconfigured();
    }

    @Test
    public void aCfgOwnedByAnotherUserIsRefused() throws IOException {
        assumeTrue("chown needs root", root());
        Path cfg = cfg("slice_us_min = 500\n", "rw-r--r--");
        Files.setAttribute(cfg, "unix:uid", NOBODY);
        try (LogCapture log = new LogCapture()) {
            refusedOnce(log, cfg, etc, DEADLINE_CFG, "is owned by uid 65534, not by root");
        }
        assertDeadlineUnconfigured();
    }

    @Test
    public void anAppliedCfgThatAnotherUserOverwritesIsRefusedAndItsValuesStay() throws Exception {
        assumeTrue("writing as another user needs root", root());
        Path cfg = appliedDeadlineCfg(500);
        Path copy = etcCopy().resolve(DEADLINE_CFG);
        try {
            makeWritableByOthers(cfg);
            try (LogCapture log = new LogCapture()) {
                // In place, one write (as long as the old text): the guard sees one new version of the file.
                asNobody("printf 'slice_us_min = 700\\n' 1<>\"$0\"", cfg);
                assertEquals("slice_us_min = 700\n", Files.readString(cfg));
                refusedOnce(log, null, etc, DEADLINE_CFG, "is writable by other users (fix: chmod go-w " + cfg + ")",
                        "the version admitted before stays in use");
            }
            fileinstallScannedAgain();
            assertEquals("the private copy is the version admitted", "slice_us_min = 500\n", Files.readString(copy));
            assertEquals(500L, policy("deadline").configuration().get("slice_us_min"));
            assertSlicesDispatched(500_000);
            assertNothingLost();
        } finally {
            removeDeadlineCfg();
        }
    }

    @Test
    public void anAppliedCfgLaterMadeWritableByOthersIsNotAppliedAgain() throws Exception {
        Path cfg = appliedDeadlineCfg(500);
        Path copy = etcCopy().resolve(DEADLINE_CFG);
        try {
            // A live change through ConfigAdmin (as scx:set makes), which the file does not hold: were
            // the file applied again, its 500 would replace the 800.
            Configuration live = configurationAdmin.getConfiguration(DEADLINE_PID, "?");
            Dictionary<String, Object> properties = live.getProperties();
            properties.put("slice_us_min", 800L);
            live.update(properties);
            Policy deadline = policy("deadline");
            waitUntil("slice_us_min = 800 in force", () -> Long.valueOf(800).equals(deadline.configuration().get("slice_us_min")));
            assertSlicesDispatched(800_000);
            Object copyBefore = Files.readAttributes(copy, BasicFileAttributes.class).fileKey();
            FileTime copiedBefore = Files.getLastModifiedTime(copy);

            try (LogCapture log = new LogCapture()) {
                Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-rw-rw-"));
                refusedOnce(log, null, etc, DEADLINE_CFG, "is writable by other users",
                        "the version admitted before stays in use");
            }
            fileinstallScannedAgain();
            assertEquals("the private copy was not replaced", copyBefore,
                    Files.readAttributes(copy, BasicFileAttributes.class).fileKey());
            assertEquals(copiedBefore, Files.getLastModifiedTime(copy));
            assertEquals(800L, deadline.configuration().get("slice_us_min"));
            assertSlicesDispatched(800_000);
            assertNothingLost();
        } finally {
            removeDeadlineCfg();
        }
    }

    @Test
    public void aSymbolicLinkToACfgInTmpIsRefused() throws IOException {
        Path outside = Files.createTempDirectory("elsewhere");
        Path target = Files.writeString(outside.resolve(DEADLINE_CFG), "slice_us_min = 500\n");
        try (LogCapture log = new LogCapture()) {
            Files.createSymbolicLink(etc.resolve(DEADLINE_CFG), target);
            refusedOnce(log, null, etc, DEADLINE_CFG, "is a symbolic link to " + target + ", outside " + etc);
        } finally {
            Files.deleteIfExists(etc.resolve(DEADLINE_CFG));
            Files.delete(target);
            Files.delete(outside);
        }
        assertDeadlineUnconfigured();
    }

    @Test
    public void aCfgSwappedBetweenTheCheckAndTheCopyIsNotApplied() throws Exception {
        Files.writeString(gate, "");
        drop(cfg("slice_us_min = 1000\n", "rw-r--r--"), etc, DEADLINE_CFG);
        Path reached = gate.resolveSibling(gate.getFileName() + ".reached");
        waitUntil("the guard checked the .cfg and waits at the gate", () -> Files.exists(reached));
        Path cfg = etc.resolve(DEADLINE_CFG);
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(cfg, "slice_us_min = 500\n");
        try (LogCapture log = new LogCapture()) {
            Files.delete(gate);
            refusedOnce(log, null, etc, DEADLINE_CFG, "is writable by other users", "nothing of it is loaded");
        } finally {
            Files.deleteIfExists(reached);
        }
        assertDeadlineUnconfigured();
    }
}
