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
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.bpf.BpfLink;
import org.scxjavaland.link.bpf.BpfLinkException;
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
 * any, keeps its options.
 */
@Component(configurationPid = BpfOptions.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
public final class BpfLinkComponent {
    private static final Logger LOG = LoggerFactory.getLogger(BpfLinkComponent.class);

    private BundleContext context;
    private BpfOptions options;
    private BpfLink link;
    private ServiceRegistration<KernelLink> registration;

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        this.context = context;
        BpfOptions wanted = read(config);
        if (wanted != null) {
            start(wanted);
        }
    }

    @Modified
    void modified(Map<String, Object> config) {
        BpfOptions wanted = read(config);
        if (wanted == null || wanted.equals(options) && link != null) {
            return;
        }
        stop();
        start(wanted);
    }

    @Deactivate
    void deactivate() {
        stop();
    }

    private BpfOptions read(Map<String, Object> config) {
        try {
            return BpfOptions.fromConfig(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{} The BPF link {}.", e.getMessage(), link == null ? "stays off until it is fixed" : "keeps its current options");
            return null;
        }
    }

    private void start(BpfOptions wanted) {
        options = wanted;
        try {
            link = BpfLink.open(wanted);
        } catch (BpfLinkException e) {
            LOG.error("{}", e.getMessage());
            if (!e.detail().isEmpty()) {
                LOG.error("{}", e.detail());
            }
            if (!e.fullLog().isEmpty() && (wanted.verbose() || LOG.isDebugEnabled())) {
                LOG.info("Full log:\n{}", e.fullLog());
            }
            return;
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(KernelLink.KIND, "bpf");
        registration = context.registerService(KernelLink.class, link, properties);
        LOG.info("The BPF link is ready ({} CPUs, loaded in {} ms); it attaches when scheduling starts.", link.nrCpus(),
                link.loadNanos() / 1_000_000);
    }

    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            registration = null;
        }
        if (link != null) {
            link.close();
            link = null;
        }
    }
}
