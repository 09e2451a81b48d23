package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;

/**
 * What every integration test shares: the host's bundles in Felix (the jars the build copied into
 * target/bundles: the launcher's set less fileinstall, the console and the BPF link), and small
 * helpers to find services, change configurations and wait for a condition.
 *
 * <p>The simulated machine runs in fast mode (its default without configuration): virtual time
 * races ahead, so many scheduling rounds pass in little wall time.
 */
public abstract class HostTestSupport {

    /** Upper bound for anything the host should do "soon"; a test only fails on it if it hangs. */
    protected static final long PATIENCE_MS = 20_000;

    /** The bundle of each policy shipped with the host. */
    protected static final String DEADLINE_BUNDLE = "org.scxjavaland.policy.deadline";
    protected static final String FIFO_BUNDLE = "org.scxjavaland.policy.fifo";
    protected static final String SIM_BUNDLE = "org.scxjavaland.sim";

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return options(cleanCaches(), junitBundles(), hostBundles());
    }

    /** Every jar of the folder named by the system property {@code scx.itest.bundles}. */
    static Option hostBundles() {
        String folder = System.getProperty("scx.itest.bundles");
        if (folder == null) {
            throw new IllegalStateException("Set -Dscx.itest.bundles to the folder of the bundles under test"
                    + " (the failsafe configuration of itests/osgi does).");
        }
        File[] jars = new File(folder).listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("No bundles in " + folder + ": run the build up to pre-integration-test.");
        }
        Arrays.sort(jars);
        List<Option> bundles = new ArrayList<>();
        for (File jar : jars) {
            bundles.add(bundle(jar.toURI().toString()));
        }
        return composite(bundles.toArray(new Option[0]));
    }

    /** Waits for a service of {@code type} (matching the LDAP {@code filter}, or any when null). */
    protected <T> T service(Class<T> type, String filter) {
        String objectClass = "(objectClass=" + type.getName() + ")";
        Filter f;
        try {
            f = context.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, f, null);
        tracker.open();
        try {
            T service = tracker.waitForService(PATIENCE_MS);
            assertNotNull("no " + type.getSimpleName() + (filter == null ? "" : " " + filter) + " service", service);
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    protected SchedulerBackend backend() {
        return service(SchedulerBackend.class, null);
    }

    /** The policy service registered under {@code name}. */
    protected Policy policy(String name) {
        return service(Policy.class, "(scx.policy.name=" + name + ")");
    }

    protected Bundle installedBundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    /** Replaces the configuration {@code pid} with {@code properties}. */
    protected void configure(String pid, Map<String, ?> properties) {
        try {
            Dictionary<String, Object> dictionary = new Hashtable<>(properties);
            configurationAdmin.getConfiguration(pid, "?").update(dictionary);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Deletes the configuration {@code pid}, if there is one, and waits until Declarative Services
     * has taken the deletion to the components it configured, so that a configuration of that PID
     * made next is not lost.
     *
     * <p>ConfigAdmin tells DS asynchronously, and Felix SCR handles a deletion by looking the PID up
     * again: a configuration of that PID made in the meantime (the next test's) is taken for an
     * update of the deleted one and, its change count having started over at the same number, dropped
     * as already seen, and so is its own update event. The component keeps the deleted properties,
     * and its {@code @Modified} never sees the new ones.
     */
    protected void deleteConfiguration(String pid) {
        try {
            org.osgi.service.cm.Configuration configuration = configurationAdmin.getConfiguration(pid, "?");
            if (configuration.getProperties() == null) {
                return;
            }
            configuration.delete();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ServiceComponentRuntime runtime = service(ServiceComponentRuntime.class, null);
        waitUntil("the components of " + pid + " without its configuration", () -> !configures(runtime, pid));
    }

    /** True if a component configuration has the properties of the configuration {@code pid}. */
    private static boolean configures(ServiceComponentRuntime runtime, String pid) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (Arrays.asList(description.configurationPid).contains(pid)) {
                for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                    // One PID's configuration gives a String, several a list or an array.
                    Object pids = configuration.properties.get(Constants.SERVICE_PID);
                    if (pid.equals(pids) || pids instanceof Collection<?> c && c.contains(pid)
                            || pids instanceof Object[] a && Arrays.asList(a).contains(pid)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Waits until {@code condition} holds; fails naming {@code what} if it does not within {@link #PATIENCE_MS},
     * after printing the {@linkplain #frameworkThreads() framework's threads} to standard error.
     */
    protected static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                System.err.print("Gave up waiting: " + what + ". " + frameworkThreads());
                fail("gave up waiting: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The stacks of the threads that may hold a condition up (the host's, Felix's and ConfigAdmin's
     * event threads), by name: a failed wait then tells a thread blocked from one that never got the
     * work. The calling thread is left out (its stack is the failure's).
     */
    static String frameworkThreads() {
        StringBuilder dump = new StringBuilder("The threads of the host, Felix and ConfigAdmin:\n");
        List<Map.Entry<Thread, StackTraceElement[]>> threads = new ArrayList<>(Thread.getAllStackTraces().entrySet());
        threads.sort(Comparator.comparing(e -> e.getKey().getName()));
        for (Map.Entry<Thread, StackTraceElement[]> e : threads) {
            Thread thread = e.getKey();
            StackTraceElement[] stack = e.getValue();
            if (thread != Thread.currentThread() && (thread.getName().startsWith("CM ") || Arrays.stream(stack)
                    .map(StackTraceElement::getClassName)
                    .anyMatch(c -> c.startsWith("org.scxjavaland.") || c.startsWith("org.apache.felix.")))) {
                dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                    dump.append("\tat ").append(frame).append('\n');
                }
            }
        }
        return dump.toString();
    }

    /** Waits until the scheduler has dispatched at least {@code more} tasks from user space. */
    protected void awaitUserDispatches(long more) {
        SchedulerBackend backend = backend();
        long target = backend.metrics().nrUserDispatches() + more;
        waitUntil(more + " more user dispatches", () -> backend.metrics().nrUserDispatches() >= target);
    }
}
