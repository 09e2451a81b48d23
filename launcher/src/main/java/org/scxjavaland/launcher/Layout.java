package org.scxjavaland.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import org.scxjavaland.deploy.guard.FileSafety;

/**
 * The folders of an scx_javaland installation, all under one home folder:
 *
 * <pre>
 * bin/       scx_javaland, the start script
 * lib/       the launcher jar and its class path (Felix, picocli, the API), and the class-data
 *            archive that makes a start faster
 * bundles/   the host's bundles, installed and started at every start
 * deploy/    watched: bundles dropped here (third-party policies) are installed and started
 * etc/       watched: *.cfg files, one per ConfigAdmin PID (org.scxjavaland.sim.cfg, ...)
 * data/      Felix's bundle cache and the deploy guard's private copies of deploy/ and etc/
 *            (what fileinstall installs), emptied at every start
 * </pre>
 *
 * @param home the installation's top folder
 * @param data where Felix keeps its cache (normally {@code home/data})
 */
record Layout(Path home, Path data) {

    /** System property naming the home folder (bin/scx_javaland sets it). */
    static final String HOME_PROPERTY = "scx.home";

    /** System property naming another data folder, e.g. to run two hosts from one home. */
    static final String DATA_PROPERTY = "scx.data";

    static Layout of(Path home) {
        return new Layout(home.toAbsolutePath().normalize(), home.toAbsolutePath().normalize().resolve("data"));
    }

    /**
     * The installation this launcher runs from: {@code -Dscx.home} if set, else the parent of the
     * {@code lib/} folder that holds the launcher jar.
     *
     * @throws LaunchFailure when neither tells where the installation is
     */
    static Layout locate() {
        String home = System.getProperty(HOME_PROPERTY);
        Layout layout = home != null ? of(Path.of(home)) : of(homeOfLauncherJar());
        String data = System.getProperty(DATA_PROPERTY);
        return data == null ? layout : new Layout(layout.home(), Path.of(data).toAbsolutePath().normalize());
    }

    private static Path homeOfLauncherJar() {
        CodeSource source = Layout.class.getProtectionDomain().getCodeSource();
        try {
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            Path lib = jar == null ? null : jar.getParent();
            if (jar != null && Files.isRegularFile(jar) && lib.getFileName().toString().equals("lib")) {
                return lib.getParent();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // fall through: not started from an installation
        }
        throw new LaunchFailure(ExitCode.FAILURE, "Cannot tell where scx_javaland is installed: start it with"
                + " bin/scx_javaland, or pass -D" + HOME_PROPERTY + "=<folder holding bundles/, deploy/ and etc/>.");
    }

    Path lib() { return home.resolve("lib"); }
    Path bundles() { return home.resolve("bundles"); }
    Path deploy() { return home.resolve("deploy"); }
    Path etc() { return home.resolve("etc"); }
    Path felixCache() { return data.resolve("felix-cache"); }
    /** The deploy guard's private copies: what fileinstall watches instead of deploy/ and etc/. */
    Path guarded() { return data.resolve("guarded"); }

    /**
     * Checks that bundles/ exists and creates deploy/, etc/ and data/ when missing.
     *
     * @throws LaunchFailure when bundles/ is missing or a folder cannot be created
     */
    void prepare() {
        if (!Files.isDirectory(bundles())) {
            throw new LaunchFailure(ExitCode.FAILURE, "No bundles/ folder in " + home
                    + ": start scx_javaland from a complete installation (or build it with mvn install).");
        }
        if (!Files.isReadable(bundles()) || !Files.isExecutable(bundles())) {
            throw unreadableBundles();
        }
        for (Path folder : new Path[] {deploy(), etc(), data}) {
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new LaunchFailure(ExitCode.FAILURE, "Cannot create " + folder + " (" + e.getMessage()
                        + "): check that this user may write there, or put the data elsewhere with -D"
                        + DATA_PROPERTY + "=DIR.");
            }
        }
    }

    /**
     * As root, loads only what root alone can change: bundles/, deploy/, etc/ and data/ (and every
     * folder above them) must be owned by root and not writable by group or others, and so must the
     * jars in bundles/. Anyone who could change them could run code as root. The files in deploy/
     * and etc/ are checked by the deploy guard, at start and whenever they change.
     *
     * @throws LaunchFailure naming the first folder or file that fails the check
     */
    void checkSafeForRoot() {
        if (!runningAsRoot()) {
            return;
        }
        for (Path folder : new Path[] {bundles(), deploy(), etc(), data}) {
            refuseIf(FileSafety.folderProblem(folder, 0));
        }
        if (Files.isDirectory(lib())) { // (a launcher started from its build classes has none)
            refuseIf(FileSafety.folderProblem(lib(), 0));
        }
        for (File jar : bundleJars()) {
            refuseIf(FileSafety.fileProblem(jar.toPath(), 0));
        }
        // The launcher's own jars and the class-data archive: code the JVM has already loaded, but a
        // start as root from an installation others can change must not go on as if it were sound.
        File[] own = lib().toFile().listFiles((dir, name) -> name.endsWith(".jar") || name.endsWith(".jsa"));
        for (File file : own == null ? new File[0] : own) {
            refuseIf(FileSafety.fileProblem(file.toPath(), 0));
        }
    }

    static boolean runningAsRoot() {
        return FileSafety.processUid() == 0;
    }

    private static void refuseIf(String problem) {
        if (problem != null) {
            throw new LaunchFailure(ExitCode.FAILURE, problem + ": as root, scx_javaland only loads bundles and"
                    + " configurations that root alone can change.");
        }
    }

    private LaunchFailure unreadableBundles() {
        return new LaunchFailure(ExitCode.FAILURE, bundles() + " cannot be read by this user (uid "
                + FileSafety.processUid() + "): start scx_javaland as the user who installed it, or make the folder"
                + " readable (chmod a+rx " + bundles() + ").");
    }

    /** The jars in bundles/, by file name. */
    File[] bundleJars() {
        File[] jars = bundles().toFile().listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null) {
            throw unreadableBundles();
        }
        java.util.Arrays.sort(jars);
        return jars;
    }
}
