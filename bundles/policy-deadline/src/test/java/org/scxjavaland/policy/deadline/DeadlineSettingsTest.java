package org.scxjavaland.policy.deadline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.Map;
import org.junit.Test;

public class DeadlineSettingsTest {

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String rejection(Map<String, Object> properties) {
        try {
            DeadlineSettings.from(properties);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        fail("accepted " + properties);
        return null;
    }

    @Test
    public void missingKeysTakeTheSeedsDefaults() {
        DeadlineSettings settings = DeadlineSettings.from(config("service.pid", "x"));
        assertEquals(20_000, settings.sliceUs());
        assertEquals(1_000, settings.sliceUsMin());
        assertEquals(false, settings.percpuLocal());
        assertEquals(20_000_000L, settings.sliceNs());
        assertEquals(1_000_000L, settings.sliceNsMin());
    }

    @Test
    public void numbersAndTheStringsOfACfgFileAreAccepted() {
        assertEquals(new DeadlineSettings(5_000, 500, true),
                DeadlineSettings.from(config("slice_us", 5_000, "slice_us_min", 500L, "percpu_local", true)));
        assertEquals(new DeadlineSettings(5_000, 500, true),
                DeadlineSettings.from(config("slice_us", " 5000", "slice_us_min", "500", "percpu_local", "TRUE")));
    }

    @Test
    public void aZeroOrNegativeSliceIsRejectedByName() {
        assertTrue(rejection(config("slice_us", 0)).startsWith("slice_us must be a whole number of microseconds between 1 and"));
        assertTrue(rejection(config("slice_us_min", -5L)).startsWith("slice_us_min must be"));
        assertTrue(rejection(config("slice_us", "-1")).endsWith("not -1"));
    }

    @Test
    public void aMinimumAboveTheSliceIsRejected() {
        assertEquals("slice_us_min (30000) must not be larger than slice_us (20000)",
                rejection(config("slice_us_min", 30_000)));
        assertEquals("slice_us_min (600) must not be larger than slice_us (500)",
                rejection(config("slice_us", 500, "slice_us_min", 600)));
    }

    @Test
    public void valuesOfTheWrongKindAreRejected() {
        assertEquals("slice_us must be a whole number of microseconds, not 'fast'", rejection(config("slice_us", "fast")));
        assertEquals("slice_us must be a whole number of microseconds, not '1.5'", rejection(config("slice_us", 1.5)));
        assertEquals("percpu_local must be true or false, not 'yes'", rejection(config("percpu_local", "yes")));
    }

    @Test
    public void thePolicyChecksProposedOptionsInOneSentence() {
        DeadlinePolicy policy = new DeadlinePolicy();
        assertNull(policy.checkConfiguration(config("slice_us", 10_000)));
        assertEquals("slice_us_min (30000) must not be larger than slice_us (20000).",
                policy.checkConfiguration(config("slice_us_min", 30_000)));
        assertEquals(DeadlineSettings.DEFAULTS, policy.settings());
    }

    @Test
    public void theOptionsInForceAreListedByKey() {
        assertEquals("{slice_us=20000, slice_us_min=1000, percpu_local=false}", new DeadlinePolicy().configuration().toString());
    }
}
