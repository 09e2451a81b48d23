package org.scxjavaland.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of a component's configuration type ({@link #of}), and those of a configuration that its
 * reader does not know, said in one sentence that names where they came from (an {@code etc/*.cfg}
 * file, else the PID), so that a mistyped option is not ignored in silence. A policy (or any
 * component) with its own options calls {@link #unknown} whenever its configuration arrives, and
 * logs the sentence when it differs from the last one it logged: each mistake is then said once,
 * not on every update.
 *
 * <p>Keys with a dot ({@code service.pid}, {@code component.name}, {@code felix.fileinstall.filename})
 * belong to the framework and are never unknown.
 */
public final class ConfigurationKeys {

    /** The property fileinstall adds to a configuration it read from a file (the file's URL). */
    public static final String FILE = "felix.fileinstall.filename";

    private ConfigurationKeys() {
    }

    /**
     * The keys of a configuration type (an annotation whose methods are a component's options, as
     * Declarative Services and the Metatype service read it), sorted: each method's
     * name mapped as DS maps it ({@code __} is {@code _}, {@code _} is {@code .}, {@code $_$} is
     * {@code -}, {@code $$} is {@code $}, a lone {@code $} is dropped).
     */
    public static List<String> of(Class<? extends Annotation> configurationType) {
        Set<String> keys = new TreeSet<>();
        for (Method method : configurationType.getDeclaredMethods()) {
            keys.add(key(method.getName()));
        }
        return List.copyOf(keys);
    }

    private static String key(String methodName) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            if (methodName.startsWith("$_$", i)) {
                key.append('-');
                i += 2;
            } else if (methodName.startsWith("$$", i) || methodName.startsWith("__", i)) {
                key.append(c);
                i++;
            } else if (c == '_') {
                key.append('.');
            } else if (c != '$') {
                key.append(c);
            }
        }
        return key.toString();
    }

    /**
     * One sentence naming the keys of {@code properties} that are not in {@code known}, or null when
     * there is none; e.g. {@code "etc/org.scxjavaland.sim.cfg: the key cpu is unknown and ignored;
     * the keys are cpus, duration_ms, mode, seed, workload."}
     */
    public static String unknown(Map<String, ?> properties, String pid, Collection<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (key.indexOf('.') < 0 && !known.contains(key)) {
                unknown.add(key);
            }
        }
        if (unknown.isEmpty()) {
            return null;
        }
        return source(properties, pid) + ": the key" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                + (unknown.size() == 1 ? " is" : " are") + " unknown and ignored; the keys are "
                + String.join(", ", new TreeSet<>(known)) + ".";
    }

    /**
     * Where a configuration came from, as a user names it: {@code etc/NAME.cfg} for a file that
     * fileinstall applied from the host's etc/ (through its guarded copy), the file's path for
     * another file, else {@code the configuration PID}.
     */
    public static String source(Map<String, ?> properties, String pid) {
        Object file = properties.get(FILE);
        if (file == null) {
            return "the configuration " + pid;
        }
        String path = String.valueOf(file);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        int slash = path.lastIndexOf('/');
        String folder = slash > 0 ? path.substring(0, slash) : "";
        return folder.endsWith("/etc") ? "etc/" + path.substring(slash + 1) : path;
    }
}
