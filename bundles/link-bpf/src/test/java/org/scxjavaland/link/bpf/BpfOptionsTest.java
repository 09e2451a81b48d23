package org.scxjavaland.link.bpf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class BpfOptionsTest {

    @Test
    public void anEmptyConfigurationGivesTheSeedsDefaults() {
        BpfOptions o = BpfOptions.fromConfig(Map.of());
        assertEquals(BpfOptions.DEFAULTS, o);
        assertEquals(1000, o.sliceUsMin());
        assertEquals(32768, o.effectiveExitDumpLen());
    }

    @Test
    public void valuesMayComeAsTextOrAsTypes() {
        BpfOptions o = BpfOptions.fromConfig(Map.of("slice_us_min", "250", "partial", "true", "numa_local", Boolean.TRUE,
                "exit_dump_len", 65536L, "verbose", "FALSE", "builtin_idle", "false", "lock_memory", false));
        assertEquals(new BpfOptions(250, true, true, 65536, false, false, false, 5000, 500), o);
        assertEquals(65536, o.effectiveExitDumpLen());
    }

    @Test
    public void aBadValueIsNamedInOneSentence() {
        assertMessage(Map.of("slice_us_min", "fast"), "slice_us_min must be a whole number, not 'fast'.");
        assertMessage(Map.of("partial", "yes"), "partial must be true or false, not 'yes'.");
        assertMessage(Map.of("slice_us_min", 0), "slice_us_min must be between 1 and 1000000 microseconds, not 0.");
        assertMessage(Map.of("timeout_ms", 60_000),
                "timeout_ms must be between 100 and 30000 milliseconds (the kernel's limit), not 60000.");
        assertMessage(Map.of("user_stall_ms", 2000), "user_stall_ms must be between 0 (off) and a fifth of timeout_ms"
                + " (1000 ms), so that tasks run before the kernel's watchdog fires, not 2000.");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BpfOptions.fromConfig(Map.of("exit_dump_len", -1)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("exit_dump_len must be between 0"));
    }

    @Test
    public void theStallGuardFitsAShortWatchdogUnlessItIsGiven() {
        assertEquals(20, BpfOptions.fromConfig(Map.of("timeout_ms", 100)).userStallMs());
        assertEquals(500, BpfOptions.fromConfig(Map.of("timeout_ms", 20_000)).userStallMs());
        assertEquals(0, BpfOptions.fromConfig(Map.of("user_stall_ms", 0)).userStallMs());
    }

    private static void assertMessage(Map<String, ?> config, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> BpfOptions.fromConfig(config)).getMessage());
    }
}
