package org.scxjavaland.shell;

import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * What each option of a configuration PID means, as its bundle's configuration type says it
 * through the Metatype service: the descriptions {@code scx:config} prints under the values.
 */
final class OptionDescriptions {

    private OptionDescriptions() {
    }

    /**
     * Key -> description of the options {@code bundle} designates for {@code pid}; empty when the
     * Metatype service is not running (null) or the bundle describes no such PID.
     */
    static Map<String, String> of(MetaTypeService metatype, Bundle bundle, String pid) {
        Map<String, String> descriptions = new TreeMap<>();
        if (metatype == null || bundle == null) {
            return descriptions;
        }
        MetaTypeInformation information = metatype.getMetaTypeInformation(bundle);
        if (information == null || !java.util.List.of(information.getPids()).contains(pid)) {
            return descriptions;
        }
        ObjectClassDefinition ocd = information.getObjectClassDefinition(pid, null);
        AttributeDefinition[] attributes = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (attributes != null) {
            for (AttributeDefinition attribute : attributes) {
                if (attribute.getDescription() != null && !attribute.getDescription().isBlank()) {
                    descriptions.put(attribute.getID(), attribute.getDescription());
                }
            }
        }
        return descriptions;
    }
}
