package org.scxjavaland.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.service.cm.ConfigurationAdmin;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.sim.Simulator;

/**
 * The packages the launcher and the host share. The system bundle exports them from the
 * launcher's own class path ({@code org.osgi.framework.system.packages.extra}), so each class is
 * loaded once and the launcher calls the host's services as any bundle does: the API
 * ({@code SchedulerBackend}, {@code Metrics}), the link contract ({@code KernelLink},
 * {@code LinkStatus}), the simulator's contract and ConfigAdmin's. Each is exported as its own
 * jar's manifest exports it, with the same version and uses.
 */
final class SharedPackages {

    /** One class of each shared package. */
    static final List<Class<?>> MEMBERS = List.of(SchedulerBackend.class, KernelLink.class, Simulator.class,
            ConfigurationAdmin.class);

    private SharedPackages() {
    }

    /** The value of {@code org.osgi.framework.system.packages.extra}. */
    static String systemPackagesExtra() {
        List<String> clauses = new ArrayList<>();
        for (Class<?> member : MEMBERS) {
            clauses.add(exportClause(member.getPackageName(), exportPackage(member)));
        }
        return String.join(",", clauses);
    }

    /** The clause of {@code exportPackage} (an Export-Package header) that exports {@code packageName}. */
    static String exportClause(String packageName, String exportPackage) {
        for (String clause : clauses(exportPackage == null ? "" : exportPackage)) {
            if (clause.equals(packageName) || clause.startsWith(packageName + ";")) {
                return clause;
            }
        }
        throw new LaunchFailure(ExitCode.FAILURE, "The jar of " + packageName + " does not export it: the launcher's lib/ and"
                + " bundles/ are of different builds; reinstall scx_javaland.");
    }

    /** A header's clauses: split at the commas that are not inside quotes. */
    static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(clause.toString().strip());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        if (!clause.toString().isBlank()) {
            clauses.add(clause.toString().strip());
        }
        return clauses;
    }

    /** The Export-Package header of the jar (or classes folder) {@code member} was loaded from. */
    private static String exportPackage(Class<?> member) {
        try {
            Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
            Manifest manifest;
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve(JarFile.MANIFEST_NAME))) {
                    manifest = new Manifest(in);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    manifest = jar.getManifest();
                }
            }
            return manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw new LaunchFailure(ExitCode.FAILURE, "Cannot read the manifest of " + member.getName() + "'s jar (" + e
                    + "): reinstall scx_javaland.");
        }
    }
}
