package org.scxjavaland.launcher;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.scxjavaland.api.OneLine;

/**
 * The embedded Felix framework and the host's bundles. Bundles start in steps so that the
 * configuration is in place before the scheduler's components read it: first the infrastructure
 * (SCR, ConfigAdmin, logging, gogo's runtime, JNA), then fileinstall (which applies etc/*.cfg and deploy/ at
 * once), then, after the launcher has added the command line's configuration, the scx_javaland
 * bundles; and gogo's shell at the end, so that its console opens on a running scheduler.
 */
final class Host implements AutoCloseable {

    /** Symbolic names of the project's bundles start with this. */
    static final String PROJECT_BUNDLE_PREFIX = "org.scxjavaland.";

    private static final String FILEINSTALL = "org.apache.felix.fileinstall";
    private static final String DEPLOY_GUARD = "org.scxjavaland.deploy.guard";
    private static final String GOGO_SHELL = "org.apache.felix.gogo.shell";
    private static final long STOP_TIMEOUT_MS = 10_000;

    private final Framework framework;
    private final List<Bundle> installed = new ArrayList<>();
    private volatile boolean stoppedBeforeClose;

    private Host(Framework framework) {
        this.framework = framework;
    }

    /**
     * Creates the framework with {@code properties}, and installs (without starting) every jar of
     * {@code bundleJars}.
     */
    static Host install(Map<String, Object> properties, File[] bundleJars) {
        Framework framework = new Felix(properties);
        Host host = new Host(framework);
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            for (File jar : bundleJars) {
                try {
                    host.installed.add(context.installBundle(jar.toURI().toString()));
                } catch (BundleException e) {
                    throw new LaunchFailure(ExitCode.FAILURE, "The bundle " + jar + " cannot be installed ("
                            + e.getMessage() + "): replace or remove it.");
                }
            }
            framework.start();
            return host;
        } catch (BundleException e) {
            host.close();
            throw new LaunchFailure(ExitCode.FAILURE, "The OSGi framework cannot start (" + e.getMessage()
                    + "): check that the data folder is writable.");
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Starts every bundle that is not the project's (but gogo's shell), then the deploy guard,
     * whose first look copies what it admits of deploy/ and etc/, and fileinstall, which installs
     * and applies those copies.
     */
    void startInfrastructure() {
        Bundle fileinstall = null;
        for (Bundle bundle : installed) {
            if (isFragment(bundle) || isProjectBundle(bundle) || GOGO_SHELL.equals(bundle.getSymbolicName())) {
                continue;
            }
            if (FILEINSTALL.equals(bundle.getSymbolicName())) {
                fileinstall = bundle;
                continue;
            }
            start(bundle);
        }
        Bundle guard = bundle(DEPLOY_GUARD);
        if (guard != null) {
            start(guard);
        }
        if (fileinstall != null) {
            start(fileinstall);
        }
    }

    /**
     * Starts the project's bundles, but those named in {@code leaveStopped}. One that cannot start
     * does not stop the others (the host runs on what it has: a policy less, say); whether the
     * scheduler came up is checked afterwards.
     *
     * @return one sentence per bundle that could not start
     */
    List<String> startProjectBundles(Set<String> leaveStopped) {
        List<String> failures = new ArrayList<>();
        for (Bundle bundle : installed) {
            if (!isFragment(bundle) && isProjectBundle(bundle) && !leaveStopped.contains(bundle.getSymbolicName())) {
                try {
                    start(bundle);
                } catch (LaunchFailure e) {
                    failures.add(e.getMessage());
                }
            }
        }
        return failures;
    }

    /** The installed bundle with that symbolic name, or null. */
    Bundle bundle(String symbolicName) {
        for (Bundle bundle : installed) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    /** Starts gogo's shell: its console (when it has one) comes last, once the scheduler runs. */
    void startShell() {
        for (Bundle bundle : installed) {
            if (GOGO_SHELL.equals(bundle.getSymbolicName())) {
                start(bundle);
            }
        }
    }

    /** True once the framework has stopped (or is stopping). */
    boolean stopped() {
        return (framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0;
    }

    /**
     * Waits up to {@code timeoutMs} for the framework to stop.
     *
     * @return true if it has stopped
     */
    boolean awaitStop(long timeoutMs) throws InterruptedException {
        FrameworkEvent event = framework.waitForStop(timeoutMs);
        return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
    }

    /** Asks the framework to stop, without waiting (any thread, e.g. a signal handler). */
    void requestStop() {
        try {
            framework.stop();
        } catch (BundleException | IllegalStateException e) {
            // Already stopping: nothing more to ask.
        }
    }

    /**
     * True if the framework had stopped (or was stopping) by itself, e.g. through gogo's exit,
     * before {@link #close()} stopped it.
     */
    boolean stoppedBeforeClose() {
        return stoppedBeforeClose;
    }

    /** Stops the framework and waits for it (up to 10 s). */
    @Override
    public void close() {
        stoppedBeforeClose = stopped();
        requestStop();
        try {
            framework.waitForStop(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void start(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException e) {
            throw new LaunchFailure(ExitCode.FAILURE, "The bundle " + bundle.getSymbolicName() + " cannot start ("
                    + OneLine.first(e.getMessage(), "no reason given") + "): check that bundles/ is complete.");
        }
    }

    private static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
    }

    private static boolean isProjectBundle(Bundle bundle) {
        String name = bundle.getSymbolicName();
        return name != null && name.startsWith(PROJECT_BUNDLE_PREFIX);
    }
}
