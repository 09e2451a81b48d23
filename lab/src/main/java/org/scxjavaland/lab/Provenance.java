package org.scxjavaland.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What produced a set of results, so that it can be repeated: the exact command and where it ran,
 * the versions (of scx_javaland, of Java, and of each policy's jar, with its SHA-256), the seeds,
 * and when.
 *
 * @param command the command line, as it can be typed again
 * @param workingDirectory the folder it ran in (relative paths in {@code command} are from there)
 * @param version scx_javaland's version
 * @param java the Java runtime (vendor and version)
 * @param os the operating system and architecture
 * @param hostCores cores of the machine that ran it
 * @param jobs runs made at the same time
 * @param policies the policies compared, as named on the command line
 * @param policyJars the jar each policy came from, as far as known (none for the built-in FIFO)
 * @param workloads the workloads, as named on the command line
 * @param seeds the seeds every policy and workload ran with
 * @param durationMs virtual milliseconds of every run
 * @param startedAt when it started (ISO-8601, UTC)
 * @param wallMs wall-clock milliseconds it took
 */
public record Provenance(String command, String workingDirectory, String version, String java, String os,
        int hostCores, int jobs, List<String> policies, List<PolicyJar> policyJars, List<String> workloads,
        List<Long> seeds, long durationMs, String startedAt, long wallMs) {

    public Provenance {
        policies = List.copyOf(policies);
        policyJars = policyJars == null ? List.of() : List.copyOf(policyJars);
        workloads = List.copyOf(workloads);
        seeds = List.copyOf(seeds);
    }

    /**
     * The jar a policy came from.
     *
     * @param policy the policy's name
     * @param jar the jar's path
     * @param bundle the bundle's symbolic name
     * @param bundleVersion the bundle's version
     * @param sha256 the jar's SHA-256, in hex (null when it could not be read)
     */
    public record PolicyJar(String policy, String jar, String bundle, String bundleVersion, String sha256) {

        /** One line: {@code deadline: PATH (BUNDLE VERSION), sha256 HEX}. */
        public String describe() {
            return policy + ": " + jar + " (" + bundle + " " + bundleVersion + "), sha256 "
                    + (sha256 == null ? "unknown" : sha256);
        }

        /** The same policy and bundle, from {@code file} instead (its hash with it). */
        public PolicyJar from(Path file) {
            return new PolicyJar(policy, file.toString(), bundle, bundleVersion, Provenance.sha256(file));
        }
    }

    /** The folder this runs in. */
    public static String thisWorkingDirectory() {
        return Path.of("").toAbsolutePath().toString();
    }

    /** The Java runtime running this. */
    public static String thisJava() {
        return System.getProperty("java.vm.name", "java") + " " + System.getProperty("java.runtime.version",
                System.getProperty("java.version", "?"));
    }

    /** The operating system running this. */
    public static String thisOs() {
        return System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "") + " "
                + System.getProperty("os.arch", "");
    }

    /** The SHA-256 of {@code file} in hex, or null when it cannot be read. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
