package org.scxjavaland.connector.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.scxjavaland.api.ConfigurationKeys;
import org.scxjavaland.api.OneLine;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector as an OSGi component: tracks every {@link Policy} and {@link KernelLink} service,
 * reads its configuration (PID {@value ConnectorSettings#PID}: {@code backend}, {@code policy},
 * {@code queue_depth}), and schedules the first link of the configured kind. It is the
 * {@link Scheduler} with that wiring, so the object registered as the {@link SchedulerBackend} is
 * the scheduler itself. The component is there even without a link, so that policies can be
 * listed and swapped before scheduling starts.
 */
@Component(name = ConnectorSettings.PID, configurationPid = ConnectorSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true, service = SchedulerBackend.class)
@Designate(ocd = ConnectorConfig.class)
public final class ConnectorComponent extends Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorComponent.class);

    /** A link service and the kind it was registered with. */
    private record LinkService(KernelLink link, String kind) {
    }

    /** Guards the fields below: a lock of its own, as this object is also the service others hold. */
    private final Object wiring = new Object();
    // Guarded by wiring.
    private final List<LinkService> links = new ArrayList<>();
    private ConnectorSettings settings = ConnectorSettings.DEFAULTS;
    /** The last sentence about unknown keys (each said once). */
    private String unknownKeys;
    private KernelLink scheduled;
    private boolean active;
    private BundleContext context;

    public ConnectorComponent() {
        super(ConnectorSettings.DEFAULT_POLICY);
    }

    /** @param bundleContext the connector's (null in tests without a framework) */
    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        synchronized (wiring) {
            context = bundleContext;
            if (context != null) {
                context.addBundleListener(uninstalls);
            }
            apply(properties, true);
            active = true;
            scheduleSomeLink();
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        synchronized (wiring) {
            apply(properties, false);
            if (scheduled != null && !settings.accepts(kindOf(scheduled))) {
                detach();
                scheduled = null;
            }
            scheduleSomeLink();
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (wiring) {
            if (context != null) {
                try {
                    context.removeBundleListener(uninstalls);
                } catch (IllegalStateException stopping) {
                    // the framework is stopping: the listener goes with it
                }
                context = null;
            }
            active = false;
            scheduled = null;
            close();
        }
    }

    @Reference(name = "link", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindLink")
    void bindLink(KernelLink link, Map<String, Object> properties) {
        synchronized (wiring) {
            Object kind = properties.get(KernelLink.KIND);
            links.add(new LinkService(link, kind != null ? kind.toString() : link.kind()));
            scheduleSomeLink();
        }
    }

    void unbindLink(KernelLink link) {
        synchronized (wiring) {
            links.removeIf(s -> s.link() == link);
            if (link == scheduled) {
                detach();
                scheduled = null;
                scheduleSomeLink(false);
            }
        }
    }

    // Not under wiring: they wait for the scheduling thread.
    @Reference(name = "policy", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindPolicy")
    void bindPolicy(Policy policy, ServiceReference<Policy> reference) {
        Bundle bundle = reference == null ? null : reference.getBundle();
        addPolicy(policy, bundle == null ? PolicyRegistry.Origin.UNKNOWN
                : new PolicyRegistry.Origin(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString()));
    }

    void unbindPolicy(Policy policy, ServiceReference<Policy> reference) {
        removePolicy(policy, stoppingForNow(reference == null ? null : reference.getBundle()));
    }

    /**
     * True if {@code bundle} stops only for now: stopping, but still meant to run (a transient stop,
     * as fileinstall makes before an update, or the framework a refresh or an uninstall). A stop
     * asked for by a user (bundle.stop(), gogo's stop) first marks the bundle as not to be started.
     */
    static boolean stoppingForNow(Bundle bundle) {
        if (bundle == null || bundle.getState() != Bundle.STOPPING) {
            return false;
        }
        BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
        return level != null && level.isPersistentlyStarted();
    }

    /** A bundle uninstalled: the policies that left with it are gone (an update was said when they came back). */
    private final BundleListener uninstalls = event -> {
        if (event.getType() == BundleEvent.UNINSTALLED) {
            bundleUninstalled(event.getBundle().getBundleId());
        }
    };

    /**
     * @param atStart the configuration the component starts with: its policy is wanted even if not
     *        registered yet (policy bundles may start after the connector); a later change to a
     *        policy nobody registered keeps the active one until that policy appears
     */
    private void apply(Map<String, Object> properties, boolean atStart) {
        ConnectorSettings.Parsed parsed = ConnectorSettings.parse(properties, settings,
                scheduled == null ? null : kindOf(scheduled));
        String source = ConfigurationKeys.source(properties, ConnectorSettings.PID);
        parsed.problems().forEach(problem -> LOG.error("{}: {}", source, problem));
        String unknown = ConfigurationKeys.unknown(properties, ConnectorSettings.PID, ConnectorSettings.KEYS);
        if (unknown != null && !unknown.equals(unknownKeys)) {
            LOG.warn(unknown);
        }
        unknownKeys = unknown;
        settings = parsed.settings();
        setIdleKind(settings.backend());
        setQueueDepth(settings.queueDepth());
        if (atStart) {
            configurePolicy(settings.policy());
        } else {
            reconfigurePolicy(settings.policy());
        }
    }

    /** Starts scheduling the first link of the configured kind, if none is scheduled yet. */
    private void scheduleSomeLink() {
        scheduleSomeLink(true);
    }

    /**
     * @param sayWaiting log (at debug level) that no link is there yet (not when one just went away,
     *        as on every stop)
     */
    private void scheduleSomeLink(boolean sayWaiting) {
        if (!active || scheduled != null) {
            return;
        }
        for (LinkService candidate : links) {
            if (settings.accepts(candidate.kind())) {
                try {
                    attach(candidate.link());
                    scheduled = candidate.link();
                } catch (RuntimeException e) {
                    LOG.error("Could not start scheduling the {} link ({}); restart the connector bundle to retry.",
                            candidate.kind(), OneLine.of(e));
                }
                return;
            }
        }
        if (sayWaiting) {
            // Debug only: at every start the connector comes up before the link, which follows at once;
            // a link that does not come is the launcher's to report (with why, e.g. the BPF side's failure).
            LOG.debug("Waiting for a {} link to schedule.",
                    settings.backend().isEmpty() ? "kernel" : settings.backend());
        }
    }

    private String kindOf(KernelLink link) {
        for (LinkService s : links) {
            if (s.link() == link) {
                return s.kind();
            }
        }
        return link.kind();
    }
}
