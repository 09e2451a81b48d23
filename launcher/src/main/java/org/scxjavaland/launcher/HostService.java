package org.scxjavaland.launcher;

import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A service of the running host, followed while the launcher uses it: the one registered now, or
 * its successor when the host registers it anew (the connector after a configuration change, a
 * simulated machine rebuilt). The service's type is one of the {@link SharedPackages}.
 */
final class HostService<T> implements AutoCloseable {

    private static final long POLL_MS = 100;

    private final ServiceTracker<T, T> tracker;

    private HostService(ServiceTracker<T, T> tracker) {
        this.tracker = tracker;
    }

    /** Follows the services of {@code type} that match {@code filter} (an LDAP filter, or null for all). */
    static <T> HostService<T> track(BundleContext context, Class<T> type, String filter) {
        String objectClass = "(objectClass=" + type.getName() + ")";
        Filter match;
        try {
            match = FrameworkUtil.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, match, null);
        tracker.open();
        return new HostService<>(tracker);
    }

    /**
     * Waits up to {@code timeoutMs} for the service; 0 does not wait. Null if none came. The
     * launcher keeps using it until the host stops (a service factory's object, such as
     * ConfigAdmin's, is valid only while it is used).
     */
    static <T> T awaitAndKeep(BundleContext context, Class<T> type, long timeoutMs, BooleanSupplier giveUp)
            throws InterruptedException {
        try (HostService<T> service = track(context, type, null)) {
            if (service.await(timeoutMs, giveUp) == null) {
                return null;
            }
            ServiceReference<T> reference = service.tracker.getServiceReference();
            return reference == null ? null : context.getService(reference);
        } catch (IllegalStateException e) {
            return null; // the host stopped meanwhile
        }
    }

    /**
     * The service, waiting up to {@code timeoutMs} (or until {@code giveUp} says so) for one to be
     * registered; null if none came. The service is used while this follows it.
     */
    T await(long timeoutMs, BooleanSupplier giveUp) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        T service = tracker.getService();
        while (service == null && !giveUp.getAsBoolean() && System.nanoTime() < deadline) {
            service = tracker.waitForService(POLL_MS);
        }
        return service;
    }

    /** The service registered now, or null. */
    T now() {
        return tracker.getService();
    }

    /** True while {@code service} is still registered. */
    boolean registered(T service) {
        for (Object registered : tracker.getServices() == null ? new Object[0] : tracker.getServices()) {
            if (registered == service) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            tracker.close();
        } catch (IllegalStateException e) {
            // the framework stopped first: its listeners are gone with it
        }
    }
}
