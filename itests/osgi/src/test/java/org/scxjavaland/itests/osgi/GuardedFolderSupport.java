package org.scxjavaland.itests.osgi;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;

/**
 * The host as the launcher sets it up for deploy/ and etc/: the deploy guard admits what root (the
 * test's user) alone can change into private copies, which fileinstall watches; both look every
 * 100 ms. The folders are fresh for each test class; a test gate lets a test change a file between
 * the guard's check and its copy.
 */
public abstract class GuardedFolderSupport extends CountedMachineSupport {

    protected static final String GUARDED = "scx.guard.folders";
    protected static final String GATE = "scx.guard.test.gate";

    protected Path deploy;
    protected Path etc;
    protected Path deployCopy;
    protected Path scratch;
    protected Path gate;

    @Configuration
    @Override
    public Option[] configuration() {
        try {
            Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "guarded-it");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path deployFolder = Files.createDirectory(root.resolve("deploy"));
            Path etcFolder = Files.createDirectory(root.resolve("etc"));
            Path copies = root.resolve("data/guarded");
            return options(cleanCaches(), junitBundles(), hostBundles(),
                    bundle(deployJar("fileinstall.jar").toUri().toString()),
                    frameworkProperty(GUARDED).value(deployFolder + "=" + copies.resolve("deploy") + ","
                            + etcFolder + "=" + copies.resolve("etc")),
                    // The guard looks when the file system says a folder changed: no look by the clock
                    // during a test, so each case holds only if those changes are seen.
                    frameworkProperty("scx.guard.poll").value("3600000"),
                    frameworkProperty(GATE).value(root.resolve("gate").toString()),
                    frameworkProperty("felix.fileinstall.dir").value(copies.resolve("deploy") + "," + copies.resolve("etc")),
                    frameworkProperty("felix.fileinstall.poll").value("100"),
                    frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                    frameworkProperty("felix.fileinstall.bundles.new.start").value("true"),
                    frameworkProperty("felix.fileinstall.enableConfigSave").value("false"),
                    frameworkProperty("felix.fileinstall.log.level").value("0"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A jar the build copied for these tests (fileinstall, the example policy). */
    protected static Path deployJar(String name) {
        String folder = System.getProperty("scx.itest.deploy.jars");
        if (folder == null) {
            throw new IllegalStateException("Set -Dscx.itest.deploy.jars (the failsafe configuration of itests/osgi does).");
        }
        return Path.of(folder, name);
    }

    @Before
    public void findTheFolders() throws IOException {
        String[] pairs = context.getProperty(GUARDED).split(",");
        deploy = Path.of(pairs[0].substring(0, pairs[0].indexOf('=')));
        deployCopy = Path.of(pairs[0].substring(pairs[0].indexOf('=') + 1));
        etc = Path.of(pairs[1].substring(0, pairs[1].indexOf('=')));
        scratch = Files.createDirectories(deploy.getParent().resolve("scratch"));
        gate = Path.of(context.getProperty(GATE));
    }

    @After
    public void emptyTheFolders() throws IOException {
        Files.deleteIfExists(gate);
        for (Path folder : new Path[] {deploy, etc}) {
            try (var files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
        }
        waitUntil("every deployed bundle uninstalled", () -> deployedBundles().isEmpty());
    }

    /** Puts a file into a watched folder in one step, as a finished file (never half-written). */
    protected void drop(Path file, Path folder, String name) throws IOException {
        Files.move(file, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The bundles fileinstall installed from the deploy guard's copy of deploy/. */
    protected List<Bundle> deployedBundles() {
        String folder = deployCopy.toUri().toString();
        return List.of(context.getBundles()).stream().filter(b -> b.getLocation().startsWith(folder)).toList();
    }

    protected Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
