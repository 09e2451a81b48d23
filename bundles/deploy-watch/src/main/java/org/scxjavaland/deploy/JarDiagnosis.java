package org.scxjavaland.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.scxjavaland.api.OneLine;

/** What is wrong with a jar in the deploy folder, in words, from the jar and the framework's answers alone. */
final class JarDiagnosis {

    // The parts of a package import's filter: (&(osgi.wiring.package=NAME)(version>=LOW)(!(version>=HIGH)))
    private static final Pattern PACKAGE_NAME = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");
    private static final Pattern LOWEST_VERSION = Pattern.compile("(?<!!)\\(version>=([^)]+)\\)");
    private static final Pattern VERSION_BELOW = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");

    private JarDiagnosis() {
    }

    /**
     * Why fileinstall does not install {@code jar} as a bundle of its own, or null when it will: not
     * a readable jar; no Bundle-SymbolicName (fileinstall passes over it); a Bundle-Version that is
     * not a version (the framework refuses it); or the symbolic name and version of a bundle already
     * installed ({@code installed}: "name version" to where that bundle came from), which the
     * framework holds once: fileinstall updates that bundle with this jar instead.
     */
    static String whyNotInstalled(Path jar, Map<String, String> installed) {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException | SecurityException e) {
            return jar + " is not a readable jar (" + OneLine.of(e) + "), so it is not installed:"
                    + " replace it with a policy bundle or remove it.";
        }
        Attributes headers = manifest == null ? new Attributes() : manifest.getMainAttributes();
        String name = headers.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (name == null) {
            return jar + " is not an OSGi bundle (its manifest has no " + Constants.BUNDLE_SYMBOLICNAME + "), so it"
                    + " is not installed: build it as a bundle (as examples/policy-fair does) or remove it.";
        }
        name = name.split(";")[0].trim();
        String versionHeader = headers.getValue(Constants.BUNDLE_VERSION);
        Version version;
        try {
            version = versionHeader == null ? Version.emptyVersion : Version.parseVersion(versionHeader);
        } catch (IllegalArgumentException e) {
            return jar + " (" + name + ") is not installed: its Bundle-Version '" + versionHeader.trim()
                    + "' is not a version (" + OneLine.first(e.getMessage(), "no reason given") + "); write it as major.minor.micro,"
                    + " e.g. 1.0.0, or remove the jar.";
        }
        String twin = installed.get(name + " " + version);
        if (twin != null) {
            return jar + " (" + name + " " + version + ") is the same bundle as " + twin + ", which is installed:"
                    + " the framework holds one bundle for both jars; remove one of the two, or give this one another"
                    + " Bundle-Version.";
        }
        return null;
    }

    /**
     * A requirement in words: {@code the package com.example [1.0.0,2.0.0)} for an import, else its
     * namespace and filter.
     */
    static String requirement(String namespace, String filter) {
        if (BundleRevision.PACKAGE_NAMESPACE.equals(namespace) && filter != null) {
            Matcher name = PACKAGE_NAME.matcher(filter);
            if (name.find()) {
                Matcher low = LOWEST_VERSION.matcher(filter);
                Matcher high = VERSION_BELOW.matcher(filter);
                String range = !low.find() ? "" : high.find() ? " [" + low.group(1) + "," + high.group(1) + ")"
                        : " " + low.group(1) + " or later";
                return "the package " + name.group(1) + range;
            }
        }
        return namespace + (filter == null ? "" : " " + filter);
    }
}
