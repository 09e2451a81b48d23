package org.scxjavaland.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The host's configurations as the launcher reads and writes them, through its ConfigurationAdmin. */
final class Configurations {

    /** Location "?" lets any bundle receive the configuration. */
    private static final String ANY_LOCATION = "?";

    private final ConfigurationAdmin configAdmin;

    Configurations(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    /** The configuration's properties now (empty when there is none yet). */
    Map<String, Object> read(String pid) {
        return copy(configuration(pid).getProperties());
    }

    /**
     * Puts {@code values} into the configuration, keeping its other properties (those from an
     * etc/*.cfg file, for instance).
     */
    void merge(String pid, Map<String, ?> values) {
        if (values.isEmpty()) {
            return;
        }
        Configuration configuration = configuration(pid);
        Hashtable<String, Object> merged = new Hashtable<>(copy(configuration.getProperties()));
        merged.putAll(values);
        // fileinstall marks the configuration of an etc/ file that this user cannot write as
        // read-only (any non-root user of a root-owned installation). The command line still wins
        // at start, and nothing is written back to etc/: lift the mark in ConfigAdmin first.
        try {
            configuration.removeAttributes(Configuration.ConfigurationAttribute.READ_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("ConfigAdmin cannot write " + pid + ": " + e.getMessage(), e);
        }
        update(configuration, merged);
    }

    /**
     * Makes sure the configuration exists, even without properties: a component that requires its
     * configuration (the BPF link) starts only then.
     */
    void ensureExists(String pid) {
        Configuration configuration = configuration(pid);
        if (configuration.getProperties() == null) {
            update(configuration, new Hashtable<>());
        }
    }

    private Configuration configuration(String pid) {
        try {
            return configAdmin.getConfiguration(pid, ANY_LOCATION);
        } catch (IOException e) {
            throw new UncheckedIOException("ConfigAdmin cannot read " + pid + ": " + e.getMessage(), e);
        }
    }

    private static void update(Configuration configuration, Dictionary<String, ?> properties) {
        try {
            configuration.update(properties);
        } catch (IOException e) {
            throw new UncheckedIOException("ConfigAdmin cannot write " + configuration.getPid() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> copy(Dictionary<String, Object> properties) {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (properties != null) {
            for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, properties.get(key));
            }
        }
        return copy;
    }
}
