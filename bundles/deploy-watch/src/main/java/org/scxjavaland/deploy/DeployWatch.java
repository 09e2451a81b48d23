package org.scxjavaland.deploy;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.scxjavaland.api.OneLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says, in one log line each, why a jar dropped into the deploy folder does not bring its policy:
 * a jar that is not a bundle (fileinstall passes over it without a word), a bundle the framework
 * refuses (a Bundle-Version that is not a version), a second copy of a bundle already installed
 * (one bundle for two jars), a bundle that does not resolve (and what nothing provides), a bundle
 * whose activator throws, and a component that fails to activate (a policy that throws as it
 * starts). The host keeps running on what it has.
 *
 * <p>The folders are those fileinstall watches (framework property {@value #DIRS_PROPERTY}); they
 * are looked at as often as fileinstall looks ({@value #POLL_PROPERTY}). Each problem is reported
 * once, and again only after the jar changed. Those folders are the deploy guard's private copies
 * of deploy/ (framework property {@value #GUARDED_PROPERTY}, {@code watched=copy} pairs): the
 * lines name each jar where the user put it.
 */
@Component(immediate = true, service = {})
public final class DeployWatch {

    static final String DIRS_PROPERTY = "felix.fileinstall.dir";
    static final String POLL_PROPERTY = "felix.fileinstall.poll";
    static final String GUARDED_PROPERTY = "scx.guard.folders";
    private static final long DEFAULT_POLL_MS = 2_000;
    private static final long MIN_POLL_MS = 100;
    /** While nothing changes, one poll in this many looks all the same. */
    private static final int QUIET_LOOK_EVERY = 10;

    private static final Logger LOG = LoggerFactory.getLogger(DeployWatch.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime components;

    private BundleContext context;
    private List<Path> folders;
    /** Each copy folder's path, as text, to the watched folder it copies. */
    private Map<String, String> copiedFrom = Map.of();
    private ScheduledExecutorService timer;
    private final SynchronousBundleListener starts = this::bundleChanged;

    /** Bundle events so far: a look after one has something to see (bundle listener thread). */
    private final AtomicLong bundleEvents = new AtomicLong();

    // Used by the timer thread only.
    /** The folders' and bundles' state at the last look, and how many looks in a row saw it unchanged. */
    private String lastState = "";
    private int quietLooks;
    /** Each jar file's size and time as seen at the previous look, to act on files no longer being written. */
    private final Map<Path, String> lastSeen = new HashMap<>();
    /** Files reported on, with their stamp: each problem is reported once per version of the file. */
    private final Set<String> filesReported = new HashSet<>();
    /** Problems of installed bundles reported, by bundle version: each is logged once per version of the jar. */
    private final Set<String> bundleProblems = new HashSet<>();

    /** Bundles between STARTING and STARTED (bundle listener thread). */
    private final Set<Long> starting = ConcurrentHashMap.newKeySet();
    /** Bundle versions whose activator failure was reported (fileinstall retries the start now and then). */
    private final Set<String> activatorFailures = ConcurrentHashMap.newKeySet();

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        this.folders = watchedFolders(context.getProperty(DIRS_PROPERTY));
        this.copiedFrom = copiedFrom(context.getProperty(GUARDED_PROPERTY));
        if (folders.isEmpty()) {
            return;
        }
        context.addBundleListener(starts);
        long pollMs = Math.max(MIN_POLL_MS, parsePoll(context.getProperty(POLL_PROPERTY)));
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "scx-deploy-watch");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::look, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            context.removeBundleListener(starts);
            timer.shutdownNow();
        }
    }

    /** The folders fileinstall watches: a comma-separated list of paths. */
    static List<Path> watchedFolders(String property) {
        List<Path> paths = new ArrayList<>();
        if (property == null) {
            return paths;
        }
        for (String part : property.split(",")) {
            if (!part.isBlank()) {
                paths.add(Path.of(part.trim()).toAbsolutePath().normalize());
            }
        }
        return paths;
    }

    /** The deploy guard's {@code watched=copy} pairs, copy first. */
    static Map<String, String> copiedFrom(String property) {
        Map<String, String> map = new HashMap<>();
        if (property != null) {
            for (String pair : property.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    map.put(Path.of(pair.substring(eq + 1).trim()).toAbsolutePath().normalize() + "/",
                            Path.of(pair.substring(0, eq).trim()).toAbsolutePath().normalize() + "/");
                }
            }
        }
        return map;
    }

    /** {@code line} with each jar named where the user put it, not by its private copy. */
    String asUserSees(String line) {
        String shown = line;
        for (Map.Entry<String, String> copy : copiedFrom.entrySet()) {
            shown = shown.replace(copy.getKey(), copy.getValue());
        }
        return shown;
    }

    private static long parsePoll(String value) {
        try {
            return value == null ? DEFAULT_POLL_MS : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return DEFAULT_POLL_MS;
        }
    }

    private void look() {
        if (nothingChanged()) {
            return;
        }
        try {
            lookAtFiles();
            lookAtBundles();
        } catch (RuntimeException e) {
            // The framework is stopping, or a bundle went away while we looked: look again next time.
            LOG.debug("Looking at the deploy folder failed: {}", OneLine.of(e));
        }
    }

    /**
     * True when a look would find what the last ones found: the folders' entries (their times
     * change when a file comes, goes or is replaced, as the deploy guard's copies are) and no
     * bundle event since. Two looks follow each change (a file must stay the same for a whole poll)
     * and one in {@value #QUIET_LOOK_EVERY} polls happens anyway (a component may fail later), so
     * an idle host reads two folder times a poll and nothing more.
     */
    private boolean nothingChanged() {
        StringBuilder state = new StringBuilder().append(bundleEvents.get());
        for (Path folder : folders) {
            File dir = folder.toFile();
            state.append(' ').append(dir.lastModified());
        }
        String now = state.toString();
        if (!now.equals(lastState)) {
            lastState = now;
            quietLooks = 0;
            return false;
        }
        quietLooks++;
        return quietLooks > 1 && quietLooks % QUIET_LOOK_EVERY != 0;
    }

    // ---- files that fileinstall will not install ----------------------------------------------

    private void lookAtFiles() {
        Map<Path, String> seen = new HashMap<>();
        Set<String> current = new HashSet<>();
        for (Path folder : folders) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
                for (Path jar : jars) {
                    String stamp = stamp(jar);
                    seen.put(jar, stamp);
                    String key = jar + " " + stamp;
                    current.add(key);
                    // Only once the file stayed the same for a whole poll (it may still be being copied),
                    // and on every pass until installed: the bundle it duplicates may come first.
                    if (!stamp.equals(lastSeen.get(jar)) || filesReported.contains(key) || installedFrom(jar)) {
                        continue;
                    }
                    String problem = JarDiagnosis.whyNotInstalled(jar, installedIdentities(jar));
                    if (problem != null) {
                        filesReported.add(key);
                        LOG.warn(asUserSees(problem));
                    }
                }
            } catch (IOException e) {
                // A folder that is missing or unreadable holds nothing to report on.
            }
        }
        filesReported.retainAll(current);
        lastSeen.clear();
        lastSeen.putAll(seen);
    }

    private static String stamp(Path jar) {
        File file = jar.toFile();
        return file.length() + "@" + file.lastModified();
    }

    /** True when a bundle installed from {@code jar} is there. */
    private boolean installedFrom(Path jar) {
        for (Bundle bundle : context.getBundles()) {
            if (jar.equals(deployedJar(bundle))) {
                return true;
            }
        }
        return false;
    }

    /** "name version" of every installed bundle but the one from {@code jar}, to where it came from. */
    private Map<String, String> installedIdentities(Path jar) {
        Map<String, String> identities = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            Path from = deployedJar(bundle);
            if (!jar.equals(from)) {
                identities.put(bundle.getSymbolicName() + " " + bundle.getVersion(),
                        from != null ? from.toString() : bundle.getLocation());
            }
        }
        return identities;
    }

    // ---- bundles installed from the folders ---------------------------------------------------

    private void lookAtBundles() {
        Set<String> versions = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            Path jar = deployedJar(bundle);
            if (jar == null) {
                continue;
            }
            String version = version(bundle);
            versions.add(version);
            String missing = bundle.getState() == Bundle.INSTALLED ? missingRequirement(bundle) : null;
            if (missing != null) {
                report(version, missing, jar + " (" + describe(bundle) + ") does not resolve: nothing installed"
                        + " provides " + missing + "; install a bundle that provides it, or rebuild the jar without"
                        + " that requirement.");
            }
            for (String failure : failedComponents(bundle)) {
                report(version, failure, jar + " (" + describe(bundle) + "): " + failure
                        + "; its policy is not available. Fix the bundle or remove the jar.");
            }
        }
        // Forget the versions that are gone: a new version of the jar is reported on afresh.
        bundleProblems.removeIf(key -> !versions.contains(key.substring(0, key.indexOf(' '))));
        activatorFailures.removeIf(key -> !isCurrent(key));
    }

    /** True while the bundle {@code version} names is installed and was not updated since. */
    private boolean isCurrent(String version) {
        Bundle bundle = context.getBundle(Long.parseLong(version.substring(0, version.indexOf('@'))));
        return bundle != null && version(bundle).equals(version);
    }

    /** This installation of the bundle: its id and when it was last installed or updated. */
    private static String version(Bundle bundle) {
        return bundle.getBundleId() + "@" + bundle.getLastModified();
    }

    private void report(String version, String problem, String sentence) {
        if (bundleProblems.add(version + " " + problem)) {
            LOG.warn(asUserSees(sentence));
        }
    }

    /** The jar in a watched folder that {@code bundle} was installed from, or null. */
    private Path deployedJar(Bundle bundle) {
        String location = bundle.getLocation();
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            Path path = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return folders.contains(path.getParent()) ? path : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The first mandatory requirement of an unresolved bundle that nothing installed provides, or null. */
    private String missingRequirement(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        if (revision == null || wiring == null) {
            return null;
        }
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            Map<String, String> directives = requirement.getDirectives();
            boolean optional = Namespace.RESOLUTION_OPTIONAL.equals(
                    directives.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE));
            boolean atResolve = Namespace.EFFECTIVE_RESOLVE.equals(
                    directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE));
            if (optional || !atResolve) {
                continue;
            }
            if (wiring.findProviders(requirement).isEmpty()) {
                return JarDiagnosis.requirement(requirement.getNamespace(),
                        requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
            }
        }
        return null;
    }

    /** One phrase per component of {@code bundle} that failed to activate. */
    private List<String> failedComponents(Bundle bundle) {
        ServiceComponentRuntime runtime = components;
        List<String> failures = new ArrayList<>();
        if (runtime == null || bundle.getState() != Bundle.ACTIVE) {
            return failures;
        }
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    failures.add("the component " + description.name + " failed to start ("
                            + OneLine.first(configuration.failure, "no reason given") + ")");
                }
            }
        }
        return failures;
    }

    // ---- bundles whose activator throws ------------------------------------------------------

    private void bundleChanged(BundleEvent event) {
        bundleEvents.incrementAndGet();
        Bundle bundle = event.getBundle();
        switch (event.getType()) {
            case BundleEvent.STARTING -> starting.add(bundle.getBundleId());
            case BundleEvent.STARTED -> starting.remove(bundle.getBundleId());
            case BundleEvent.STOPPING -> {
                // STOPPING straight after STARTING: the activator's start threw.
                if (starting.remove(bundle.getBundleId())) {
                    Path jar = deployedJar(bundle);
                    if (jar != null && activatorFailures.add(version(bundle))) {
                        LOG.warn("{} ({}) did not start: its bundle activator threw an exception; fix the bundle or"
                                + " remove the jar.", asUserSees(jar.toString()), describe(bundle));
                    }
                }
            }
            default -> {
                // nothing to track
            }
        }
    }

    private static String describe(Bundle bundle) {
        return bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
