package org.scxjavaland.policy.fifo;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.ConfigurationKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FIFO policy as an OSGi service, configured from ConfigAdmin. A change applies live; an
 * invalid value is logged in one sentence and the slice in force stays.
 */
@Component(
        service = Policy.class,
        configurationPid = FifoPolicyComponent.PID,
        property = {"scx.policy.name=" + FifoPolicy.NAME, Policy.CONFIG_PID + "=" + FifoPolicyComponent.PID})
@Designate(ocd = FifoConfig.class)
public class FifoPolicyComponent extends FifoPolicy {
    static final String PID = "org.scxjavaland.policy.fifo";

    private static final Logger LOG = LoggerFactory.getLogger(FifoPolicyComponent.class);

    /** The last sentence about unknown keys (each said once). */
    private String unknownKeys;

    @Activate
    void start(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void configure(Map<String, Object> properties) {
        String unknown = ConfigurationKeys.unknown(properties, PID, ConfigurationKeys.of(FifoConfig.class));
        if (unknown != null && !unknown.equals(unknownKeys)) {
            LOG.warn(unknown);
        }
        unknownKeys = unknown;
        long current = sliceUs();
        long proposed;
        try {
            proposed = sliceUsFrom(properties);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring {} because {}; the FIFO policy keeps {}={}.", ConfigurationKeys.source(properties, PID),
                    e.getMessage(), SLICE_US, current);
            return;
        }
        if (proposed != current) {
            sliceUs(proposed);
            LOG.info("FIFO policy options: {}={}.", SLICE_US, proposed);
        }
    }
}
