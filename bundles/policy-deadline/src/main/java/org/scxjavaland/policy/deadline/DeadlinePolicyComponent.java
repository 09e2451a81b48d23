package org.scxjavaland.policy.deadline;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.scxjavaland.api.ConfigurationKeys;
import org.scxjavaland.api.Policy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline policy as an OSGi service, configured from ConfigAdmin. A configuration change is
 * applied live (the service stays registered, so the connector does not swap policies); an
 * invalid one is logged in one sentence and the options in force stay.
 */
@Component(
        service = Policy.class,
        configurationPid = DeadlinePolicyComponent.PID,
        property = {"scx.policy.name=" + DeadlinePolicy.NAME, Policy.CONFIG_PID + "=" + DeadlinePolicyComponent.PID})
@Designate(ocd = DeadlineConfig.class)
public class DeadlinePolicyComponent extends DeadlinePolicy {
    static final String PID = "org.scxjavaland.policy.deadline";

    private static final Logger LOG = LoggerFactory.getLogger(DeadlinePolicyComponent.class);

    /** The last sentence about unknown keys (each said once). */
    private String unknownKeys;

    @Activate
    void start(Map<String, Object> properties) {
        configure(properties);
    }

    @Modified
    void configure(Map<String, Object> properties) {
        String unknown = ConfigurationKeys.unknown(properties, PID, DeadlineSettings.KEYS);
        if (unknown != null && !unknown.equals(unknownKeys)) {
            LOG.warn(unknown);
        }
        unknownKeys = unknown;
        DeadlineSettings current = settings();
        DeadlineSettings proposed;
        try {
            proposed = DeadlineSettings.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring {} because {}; the deadline policy keeps {}.", ConfigurationKeys.source(properties, PID),
                    e.getMessage(), current);
            return;
        }
        if (!proposed.equals(current)) {
            settings(proposed);
            LOG.info("Deadline policy options: {}.", proposed);
        }
    }
}
