package org.scxjavaland.deploy;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What DeployWatch says about a jar and a requirement, without a framework. */
public class DeployWatchTest {

    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private Path jar(String name, String symbolicName) throws IOException {
        return jar(name, symbolicName, null);
    }

    private Path jar(String name, String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        if (version != null) {
            manifest.getMainAttributes().putValue("Bundle-Version", version);
        }
        Path jar = folder.getRoot().toPath().resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.finish(); // the manifest is all there is
        }
        return jar;
    }

    @Test
    public void aBundleIsFine() throws IOException {
        assertNull(DeployWatch.whyNotInstalled(jar("policy.jar", "com.example.policy"), Map.of()));
    }

    @Test
    public void aJarWithoutSymbolicNameIsNotABundle() throws IOException {
        Path plain = jar("plain.jar", null);
        assertEquals(plain + " is not an OSGi bundle (its manifest has no Bundle-SymbolicName), so it is not"
                + " installed: build it as a bundle (as examples/policy-fair does) or remove it.",
                DeployWatch.whyNotInstalled(plain, Map.of()));
    }

    @Test
    public void aBundleNothingElseIsLikeIsNotRefused() throws IOException {
        Path policy = jar("policy.jar", "com.example.policy;singleton:=true", "1.2.0");
        assertNull(DeployWatch.whyNotInstalled(policy, Map.of("com.example.policy 1.0.0", "/deploy/old.jar")));
    }

    @Test
    public void aBundleVersionThatIsNoVersionIsRefused() throws IOException {
        Path policy = jar("policy.jar", "com.example.policy", "1.x");
        String refusal = DeployWatch.whyNotInstalled(policy, Map.of());
        assertTrue(refusal, refusal.startsWith(policy + " (com.example.policy) is not installed: its Bundle-Version '1.x'"
                + " is not a version ("));
        assertTrue(refusal, refusal.endsWith("); write it as major.minor.micro, e.g. 1.0.0, or remove the jar."));
    }

    @Test
    public void theSameBundleTwiceIsToldNamingTheOneInstalled() throws IOException {
        Path copy = jar("policy-copy.jar", "com.example.policy", "1.2.0");
        assertEquals(copy + " (com.example.policy 1.2.0) is the same bundle as /deploy/policy.jar, which is installed:"
                + " the framework holds one bundle for both jars; remove one of the two, or give this one another"
                + " Bundle-Version.",
                DeployWatch.whyNotInstalled(copy, Map.of("com.example.policy 1.2.0", "/deploy/policy.jar")));
    }

    @Test
    public void aFileThatIsNoJarAtAllIsSaidToBeUnreadable() throws IOException {
        Path text = folder.getRoot().toPath().resolve("notes.jar");
        Files.writeString(text, "not a zip");
        String problem = DeployWatch.whyNotInstalled(text, Map.of());
        assertTrue(problem, problem.startsWith(text + " is not a readable jar ("));
        assertTrue(problem, problem.endsWith("so it is not installed: replace it with a policy bundle or remove it."));
    }

    @Test
    public void packageImportsAreDescribedWithTheirVersionRange() {
        assertEquals("the package com.nosuch [1.0.0,2.0.0)", DeployWatch.describe("osgi.wiring.package",
                "(&(osgi.wiring.package=com.nosuch)(version>=1.0.0)(!(version>=2.0.0)))"));
        assertEquals("the package com.nosuch [1.0.0,2.0.0)", DeployWatch.describe("osgi.wiring.package",
                "(&(osgi.wiring.package=com.nosuch)(!(version>=2.0.0))(version>=1.0.0))"));
        assertEquals("the package com.nosuch 1.2.0 or later", DeployWatch.describe("osgi.wiring.package",
                "(&(osgi.wiring.package=com.nosuch)(version>=1.2.0))"));
        assertEquals("the package com.nosuch", DeployWatch.describe("osgi.wiring.package",
                "(osgi.wiring.package=com.nosuch)"));
        assertEquals("osgi.ee (&(osgi.ee=JavaSE)(version=99))", DeployWatch.describe("osgi.ee",
                "(&(osgi.ee=JavaSE)(version=99))"));
    }

    @Test
    public void theWatchedFoldersAreFileinstallsCommaSeparatedList() {
        assertEquals(List.of(Path.of("/srv/deploy"), Path.of("/srv/etc")),
                DeployWatch.watchedFolders("/srv/deploy, /srv/etc/"));
        assertEquals(List.of(), DeployWatch.watchedFolders(null));
    }
}
