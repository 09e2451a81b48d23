package org.scxjavaland.launcher;

import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scxjavaland.lab.Compare;

/** Runs compare in this JVM against an installation whose bundles are the module's built ones. */
final class CompareInHome {

    static final Path BUILT_BUNDLES = Path.of("target", "scx_javaland", "bundles").toAbsolutePath();

    private CompareInHome() {
    }

    /** An installation folder at {@code home}: the built bundles, nothing else. */
    static Path installation(Path home) throws IOException {
        assertTrue("build the module first", Files.isDirectory(BUILT_BUNDLES));
        Files.createSymbolicLink(home.resolve("bundles"), BUILT_BUNDLES);
        return home;
    }

    /** compare with {@code args}, scx.home set to {@code home} meanwhile; its exit code, its stderr in {@code err}. */
    static int run(Path home, ByteArrayOutputStream err, String... args) {
        String before = System.getProperty("scx.home");
        System.setProperty("scx.home", home.toString());
        try {
            return Compare.run(new PrintStream(err, true, StandardCharsets.UTF_8), false, args);
        } finally {
            if (before == null) {
                System.clearProperty("scx.home");
            } else {
                System.setProperty("scx.home", before);
            }
        }
    }
}
