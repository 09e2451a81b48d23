package org.scxjavaland.launcher;

import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes configurations through the host's ConfigurationAdmin service (reflectively: the
 * launcher is outside OSGi, see {@link RemoteService}).
 */
final class ConfigAdminClient {

    /** Location "?" lets any bundle receive the configuration. */
    private static final String ANY_LOCATION = "?";

    private final RemoteService configAdmin;
    private final Method getConfiguration;
    private final Method getProperties;
    private final Method update;
    /** The host's Configuration interface (the implementation's class is not accessible). */
    private final Class<?> configurationType;

    ConfigAdminClient(RemoteService configAdmin) {
        this.configAdmin = configAdmin;
        this.getConfiguration = configAdmin.method("getConfiguration", String.class, String.class);
        Class<?> configuration = getConfiguration.getReturnType();
        this.configurationType = configuration;
        try {
            this.getProperties = configuration.getMethod("getProperties");
            this.update = configuration.getMethod("update", Dictionary.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration's properties now (empty when there is none yet). */
    Map<String, Object> read(String pid) {
        Object configuration = configAdmin.call(getConfiguration, pid, ANY_LOCATION);
        Dictionary<?, ?> properties = (Dictionary<?, ?>) invoke(getProperties, configuration);
        Map<String, Object> copy = new LinkedHashMap<>();
        if (properties != null) {
            for (Enumeration<?> keys = properties.keys(); keys.hasMoreElements();) {
                Object key = keys.nextElement();
                copy.put(String.valueOf(key), properties.get(key));
            }
        }
        return copy;
    }

    /**
     * Puts {@code values} into the configuration, keeping its other properties (those from an
     * etc/*.cfg file, for instance).
     */
    void merge(String pid, Map<String, ?> values) {
        if (values.isEmpty()) {
            return;
        }
        Object configuration = configAdmin.call(getConfiguration, pid, ANY_LOCATION);
        Dictionary<?, ?> current = (Dictionary<?, ?>) invoke(getProperties, configuration);
        Hashtable<String, Object> merged = new Hashtable<>();
        if (current != null) {
            for (Enumeration<?> keys = current.keys(); keys.hasMoreElements();) {
                Object key = keys.nextElement();
                merged.put(String.valueOf(key), current.get(key));
            }
        }
        merged.putAll(values);
        writable(configuration);
        invoke(update, configuration, merged);
    }

    /**
     * fileinstall marks the configuration of an etc/ file that this user cannot write as read-only
     * (any non-root user of a root-owned installation). The command line still wins at start, and
     * nothing is written back to etc/: lift the mark in ConfigAdmin before updating.
     */
    private void writable(Object configuration) {
        try {
            Method getAttributes = configurationType.getMethod("getAttributes");
            Set<?> attributes = (Set<?>) getAttributes.invoke(configuration);
            for (Object attribute : attributes) {
                if ("READ_ONLY".equals(String.valueOf(attribute))) {
                    Object array = java.lang.reflect.Array.newInstance(attribute.getClass(), 1);
                    java.lang.reflect.Array.set(array, 0, attribute);
                    configurationType.getMethod("removeAttributes", array.getClass()).invoke(configuration, array);
                }
            }
        } catch (NoSuchMethodException e) {
            // ConfigAdmin older than 1.6: it has no read-only configurations
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ConfigAdmin failed: " + e, e);
        }
    }

    /**
     * Makes sure the configuration exists, even without properties: a component that requires its
     * configuration (the BPF link) starts only then.
     */
    void ensureExists(String pid) {
        Object configuration = configAdmin.call(getConfiguration, pid, ANY_LOCATION);
        if (invoke(getProperties, configuration) == null) {
            invoke(update, configuration, new Hashtable<String, Object>());
        }
    }

    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("ConfigAdmin failed: " + e.getCause().getMessage(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
