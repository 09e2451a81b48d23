package org.scxjavaland.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A service of the running host, seen from the launcher. The launcher lives outside OSGi: a
 * service's interface is loaded by its bundle's class loader, not by the launcher's, so the
 * launcher calls the service through that interface reflectively. Its own copy of a type (say,
 * the API's {@code Metrics}) is never the service's.
 */
final class RemoteService {

    private static final long POLL_MS = 100;

    private final ServiceReference<?> reference;
    private final Object service;
    private final Class<?> type;

    private RemoteService(ServiceReference<?> reference, Object service, Class<?> type) {
        this.reference = reference;
        this.service = service;
        this.type = type;
    }

    /**
     * Waits up to {@code timeoutMs} for a service registered under {@code interfaceName} (and
     * matching {@code extraFilter}, an LDAP filter or null); 0 does not wait.
     *
     * @return the service, or null if none came
     */
    static RemoteService await(BundleContext context, String interfaceName, String extraFilter, long timeoutMs)
            throws InterruptedException {
        return await(context, interfaceName, extraFilter, timeoutMs, () -> false);
    }

    /** As {@link #await(BundleContext, String, String, long)}, giving up early once {@code giveUp} says so. */
    static RemoteService await(BundleContext context, String interfaceName, String extraFilter, long timeoutMs,
            BooleanSupplier giveUp) throws InterruptedException {
        String objectClass = "(objectClass=" + interfaceName + ")";
        Filter filter;
        try {
            filter = context.createFilter(extraFilter == null ? objectClass : "(&" + objectClass + extraFilter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, filter, null);
        tracker.open(true);
        try {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000;
            Object service = tracker.getService();
            while (service == null && !giveUp.getAsBoolean() && System.nanoTime() < deadline) {
                service = tracker.waitForService(POLL_MS);
            }
            ServiceReference<Object> reference = tracker.getServiceReference();
            if (service == null || reference == null) {
                return null;
            }
            Class<?> type = reference.getBundle().loadClass(interfaceName);
            // Keep a use count of our own: the tracker's ends when it closes.
            Object used = context.getService(reference);
            return used == null ? null : new RemoteService(reference, used, type);
        } catch (ClassNotFoundException | IllegalStateException e) {
            return null;
        } finally {
            tracker.close();
        }
    }

    /** True while the service is still registered. */
    boolean available() {
        return reference.getBundle() != null;
    }

    /** The method {@code name} of the service's interface, for the parameter types given. */
    Method method(String name, Class<?>... parameterTypes) {
        try {
            return type.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type.getName() + " has no method " + name, e);
        }
    }

    /** Calls a method of the service's interface; an exception it throws is rethrown as it is. */
    Object call(Method method, Object... args) {
        try {
            return method.invoke(service, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls a method without parameters. */
    Object call(String name) {
        return call(method(name));
    }
}
