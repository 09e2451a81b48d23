package org.scxjavaland.launcher;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.scxjavaland.api.Metrics;
import org.scxjavaland.api.SchedulerBackend;

/**
 * The running host's {@link SchedulerBackend} as the launcher sees it (through {@link RemoteService}).
 * Follows the service when the connector registers it anew (e.g. after a configuration change).
 */
final class Scheduler {

    private static final String TYPE = SchedulerBackend.class.getName();

    private final BundleContext context;
    private RemoteService backend;

    private Scheduler(BundleContext context, RemoteService backend) {
        this.context = context;
        this.backend = backend;
    }

    /**
     * Waits up to {@code timeoutMs} (or until {@code giveUp} says so) for the SchedulerBackend
     * service; null if it does not come.
     */
    static Scheduler await(BundleContext context, long timeoutMs, BooleanSupplier giveUp) throws InterruptedException {
        RemoteService backend = RemoteService.await(context, TYPE, null, timeoutMs, giveUp);
        return backend == null ? null : new Scheduler(context, backend);
    }

    List<String> availablePolicies() {
        List<?> names = (List<?>) current().call("availablePolicies");
        List<String> copy = new ArrayList<>(names.size());
        for (Object name : names) {
            copy.add(String.valueOf(name));
        }
        return copy;
    }

    /** Name of the active policy. */
    String activePolicy() {
        return String.valueOf(current().call("activePolicy"));
    }

    /** The host's policy object in use under {@code name} (the service's own), or null (the built-in FIFO, none). */
    Object policyInUse(String name) {
        RemoteService b = current();
        return b.call(b.method("policyInUse", String.class), name);
    }

    /** The counters now, as the launcher's own {@link Metrics}. */
    Metrics metrics() {
        return toLocal(current().call("metrics"));
    }

    private synchronized RemoteService current() {
        if (!backend.available()) {
            try {
                RemoteService again = RemoteService.await(context, TYPE, null, 2_000);
                if (again != null) {
                    backend = again;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return backend;
    }

    /** Copies the host's Metrics record, component by component, into the launcher's class. */
    static Metrics toLocal(Object remote) {
        if (remote instanceof Metrics local) {
            return local;
        }
        RecordComponent[] components = Metrics.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                Method accessor = remote.getClass().getMethod(components[i].getName());
                values[i] = accessor.invoke(remote);
                types[i] = components[i].getType();
            }
            return Metrics.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The host's Metrics do not match the launcher's", e);
        }
    }
}
