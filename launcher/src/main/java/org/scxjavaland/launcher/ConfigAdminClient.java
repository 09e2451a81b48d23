package org.scxjavaland.launcher;

import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

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

    ConfigAdminClient(RemoteService configAdmin) {
        this.configAdmin = configAdmin;
        this.getConfiguration = configAdmin.method("getConfiguration", String.class, String.class);
        Class<?> configuration = getConfiguration.getReturnType();
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
        invoke(update, configuration, merged);
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
