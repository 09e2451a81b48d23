package org.scxjavaland.itests.osgi.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The jars the deploy folder test drops: a new version of a real bundle (its manifest rewritten),
 * and broken ones built here: not a bundle, one that does not resolve, one whose policy component
 * throws as it starts, one whose activator throws.
 */
public final class DeployJars {

    public static final String UNRESOLVED_NAME = "com.example.unresolved";
    public static final String MISSING_PACKAGE = "com.example.nosuch";
    public static final String THROWING_NAME = "com.example.throwing";
    public static final String THROWING_COMPONENT = "com.example.throwing.policy";
    public static final String THROWING_MESSAGE = ThrowingPolicy.MESSAGE;
    public static final String ACTIVATOR_NAME = "com.example.activator";
    public static final String EMPTY_NAME = "com.example.empty";

    private DeployJars() {
    }

    /** Copies the bundle {@code jar} to {@code to} with another Bundle-Version; everything else stays. */
    public static void withVersion(Path jar, String version, Path to) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
    }

    /** A jar with a manifest but no OSGi headers. */
    public static void plainJar(Path to) throws IOException {
        write(to, manifest(Map.of()), Map.of("README.txt", "just a jar".getBytes(StandardCharsets.UTF_8)));
    }

    /** A bundle with nothing in it: it installs and starts. */
    public static void emptyBundle(Path to) throws IOException {
        write(to, manifest(bundleHeaders(EMPTY_NAME, Map.of())), Map.of());
    }

    /** A bundle importing a package nothing exports. */
    public static void unresolvedBundle(Path to) throws IOException {
        write(to, manifest(bundleHeaders(UNRESOLVED_NAME, Map.of("Import-Package", MISSING_PACKAGE))), Map.of());
    }

    /** A bundle whose policy component throws in its activate method. */
    public static void throwingPolicyBundle(Path to) throws IOException {
        String component = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + THROWING_COMPONENT
                + "\" immediate=\"true\" activate=\"activate\">\n"
                + "  <implementation class=\"" + ThrowingPolicy.class.getName() + "\"/>\n"
                + "  <service><provide interface=\"org.scxjavaland.api.Policy\"/></service>\n"
                + "  <property name=\"scx.policy.name\" value=\"throwing\"/>\n"
                + "</scr:component>\n";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("OSGI-INF/policy.xml", component.getBytes(StandardCharsets.UTF_8));
        entries.put(classFile(ThrowingPolicy.class), classBytes(ThrowingPolicy.class));
        write(to, manifest(bundleHeaders(THROWING_NAME, Map.of(
                "Import-Package", "org.scxjavaland.api;version=\"[1.0,2)\"",
                "Service-Component", "OSGI-INF/policy.xml"))), entries);
    }

    /** A bundle whose activator throws. */
    public static void throwingActivatorBundle(Path to) throws IOException {
        write(to, manifest(bundleHeaders(ACTIVATOR_NAME, Map.of(
                "Import-Package", "org.osgi.framework",
                "Bundle-Activator", ThrowingActivator.class.getName()))),
                Map.of(classFile(ThrowingActivator.class), classBytes(ThrowingActivator.class)));
    }

    private static Map<String, String> bundleHeaders(String symbolicName, Map<String, String> more) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", "1.0.0");
        headers.putAll(more);
        return headers;
    }

    private static Manifest manifest(Map<String, String> headers) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach(manifest.getMainAttributes()::putValue);
        return manifest;
    }

    private static String classFile(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }

    /** The class file as compiled into the test classes. */
    private static byte[] classBytes(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            if (in == null) {
                throw new IOException("no class file for " + type.getName());
            }
            return in.readAllBytes();
        }
    }

    private static void write(Path to, Manifest manifest, Map<String, byte[]> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue());
                out.closeEntry();
            }
        }
    }
}
