package org.scxjavaland.link.bpf.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.scxjavaland.api.ConfigurationKeys;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.bpf.BpfLink;
import org.scxjavaland.link.bpf.BpfLinkException;
import org.scxjavaland.link.LinkStatus;
import org.scxjavaland.link.bpf.BpfOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the BPF link as a {@link KernelLink} service ({@code scx.link.kind=bpf}) once the
 * PID {@value BpfOptions#PID} is configured. The BPF side is loaded here, so a machine that
 * cannot run it is told why at start; the scheduler itself is attached only when the connector's
 * scheduling thread starts taking tasks from the link.
 *
 * <p>A configuration that cannot be read is reported in one sentence and the running link, if
 * any, keeps its options. Whether the link runs, or why it could not start, is the
 * {@link LinkStatus} service this component provides. A failure when the component is first
 * configured is reported there only (the log has it at debug level); one after a change of
 * configuration is logged as an error too, since nobody may be watching then.
 */
@Component(configurationPid = BpfOptions.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = LinkStatus.class)
@Designate(ocd = BpfConfig.class)
public final class BpfLinkComponent implements LinkStatus {
    private static final Logger LOG = LoggerFactory.getLogger(BpfLinkComponent.class);

    /** Every key {@link BpfOptions#fromConfig} reads. */
    static final java.util.List<String> KEYS = ConfigurationKeys.of(BpfConfig.class);

    private BundleContext context;
    /** The last sentence about unknown keys (each said once). */
    private String unknownKeys;
    private BpfOptions options;
    private BpfLink link;
    private ServiceRegistration<KernelLink> registration;
    private volatile boolean ready;
    private volatile BpfLinkException failure;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        this.context = context;
        BpfOptions wanted = read(config, true);
        if (wanted != null) {
            start(wanted, true);
        }
    }

    @Modified
    void modified(Map<String, Object> config) {
        BpfOptions wanted = read(config, false);
        if (wanted == null || wanted.equals(options) && link != null) {
            return;
        }
        stop();
        start(wanted, false);
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public String failure() {
        BpfLinkException f = failure;
        return f == null ? null : f.getMessage();
    }

    @Override
    public String failureDetail() {
        BpfLinkException f = failure;
        return f == null ? "" : f.detail();
    }

    @Override
    public String failureLog() {
        BpfLinkException f = failure;
        return f == null ? "" : f.fullLog();
    }

    /**
     * @param atActivation whoever configured the link watches {@link LinkStatus} now and reports
     *     a failure itself: the log then only has it at debug level, so that it is not said twice
     */
    private BpfOptions read(Map<String, Object> properties, boolean atActivation) {
        String unknown = ConfigurationKeys.unknown(properties, BpfOptions.PID, KEYS);
        if (unknown != null && !unknown.equals(unknownKeys)) {
            LOG.warn(unknown);
        }
        unknownKeys = unknown;
        Map<String, Object> config = properties;
        try {
            return BpfOptions.fromConfig(config);
        } catch (IllegalArgumentException e) {
            String sentence = e.getMessage() + " The BPF link " + (link == null ? "stays off until it is fixed" : "keeps its current options") + ".";
            if (link == null) {
                failure = new BpfLinkException(sentence);
            }
            if (atActivation) {
                LOG.debug("{}", sentence);
            } else {
                LOG.error("{}", sentence);
            }
            return null;
        }
    }

    private void start(BpfOptions wanted, boolean atActivation) {
        options = wanted;
        failure = null;
        try {
            link = BpfLink.open(wanted);
        } catch (BpfLinkException e) {
            failure = e;
            if (atActivation) {
                LOG.debug("The BPF link could not start: {}", e.getMessage());
            } else {
                logFailure(e, wanted);
            }
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(KernelLink.KIND, "bpf");
        registration = context.registerService(KernelLink.class, link, properties);
        ready = true;
        LOG.info("The BPF link is ready ({} CPUs, loaded in {} ms); it attaches when scheduling starts.", link.nrCpus(),
                link.loadNanos() / 1_000_000);
    }

    private static void logFailure(BpfLinkException e, BpfOptions wanted) {
        LOG.error("{}", e.getMessage());
        if (!e.detail().isEmpty()) {
            LOG.error("{}", e.detail());
        }
        if (!e.fullLog().isEmpty() && (wanted.verbose() || LOG.isDebugEnabled())) {
            LOG.info("Full log:\n{}", e.fullLog());
        }
    }

    private void stop() {
        ready = false;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            registration = null;
        }
        if (link != null) {
            boolean wasAttached = link.attachNanos() > 0;
            link.close();
            if (wasAttached) {
                // The kernel's own words (e.g. "unregistered from user space"): the scheduler's last line.
                LOG.info("scx_javaland's BPF scheduler is detached: {}.", link.exitReason());
            }
            link = null;
        }
    }
}
