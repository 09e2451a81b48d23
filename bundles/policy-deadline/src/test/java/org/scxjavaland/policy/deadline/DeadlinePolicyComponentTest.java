package org.scxjavaland.policy.deadline;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import org.junit.Test;

public class DeadlinePolicyComponentTest {

    @Test
    public void aValidConfigurationAppliesLiveAndAnInvalidOneKeepsThePreviousOptions() {
        DeadlinePolicyComponent component = new DeadlinePolicyComponent();
        component.start(Map.of("slice_us", 8_000L, "slice_us_min", 400L));
        assertEquals(new DeadlineSettings(8_000, 400, false), component.settings());

        component.configure(Map.of("slice_us", 8_000L, "slice_us_min", 9_000L));
        assertEquals(new DeadlineSettings(8_000, 400, false), component.settings());

        component.configure(Map.of("slice_us", 0L));
        assertEquals(new DeadlineSettings(8_000, 400, false), component.settings());

        component.configure(Map.of("percpu_local", true));
        assertEquals(new DeadlineSettings(20_000, 1_000, true), component.settings());
    }

    @Test
    public void anInvalidFirstConfigurationLeavesTheDefaults() {
        DeadlinePolicyComponent component = new DeadlinePolicyComponent();
        component.start(Map.of("slice_us", "twenty"));
        assertEquals(DeadlineSettings.DEFAULTS, component.settings());
    }
}
