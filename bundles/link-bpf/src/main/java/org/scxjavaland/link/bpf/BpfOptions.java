package org.scxjavaland.link.bpf;

import java.util.Map;
import org.scxjavaland.link.bpf.internal.BpfConfig;

/**
 * What the BPF side is told before it is loaded. The configuration keys (PID
 * {@code org.scxjavaland.bpf}) are the field names in snake case; what each means, and its
 * default, is said once, by the bundle's configuration type (its metatype).
 *
 * @param sliceUsMin time slice, in microseconds, of the tasks the BPF side dispatches itself
 * @param partial schedule only the tasks whose policy is SCHED_EXT
 * @param numaLocal keep idle-CPU picks in the task's NUMA node
 * @param exitDumpLen bytes of the kernel's debug dump kept when the scheduler exits; 0: the kernel's default
 * @param verbose log libbpf's messages at info and trace BPF events to tracefs
 * @param builtinIdle let the kernel's idle-CPU selection run tasks directly on idle CPUs
 * @param lockMemory lock the process's memory ({@code mlockall})
 * @param timeoutMs the kernel's watchdog timeout
 * @param userStallMs how long the BPF side waits for a stopped user space before it runs new tasks itself; 0: never
 */
public record BpfOptions(long sliceUsMin, boolean partial, boolean numaLocal, int exitDumpLen, boolean verbose,
        boolean builtinIdle, boolean lockMemory, int timeoutMs, int userStallMs) {

    /** The configuration PID the link's component reads. */
    public static final String PID = "org.scxjavaland.bpf";

    /** The defaults (the seed's). */
    public static final BpfOptions DEFAULTS = new BpfOptions(BpfConfig.SLICE_US_MIN_DEFAULT, BpfConfig.PARTIAL_DEFAULT,
            BpfConfig.NUMA_LOCAL_DEFAULT, BpfConfig.EXIT_DUMP_LEN_DEFAULT, BpfConfig.VERBOSE_DEFAULT,
            BpfConfig.BUILTIN_IDLE_DEFAULT, BpfConfig.LOCK_MEMORY_DEFAULT, BpfConfig.TIMEOUT_MS_DEFAULT,
            BpfConfig.USER_STALL_MS_DEFAULT);

    /** The largest exit dump kept: 16 MiB. */
    public static final int MAX_EXIT_DUMP_LEN = 16 << 20;

    /** The kernel's limit for its watchdog timeout, in ms. */
    public static final int MAX_TIMEOUT_MS = 30_000;

    public BpfOptions {
        if (timeoutMs < 100 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("timeout_ms must be between 100 and " + MAX_TIMEOUT_MS
                    + " milliseconds (the kernel's limit), not " + timeoutMs + ".");
        }
        if (userStallMs < 0 || userStallMs > timeoutMs / 5) {
            throw new IllegalArgumentException("user_stall_ms must be between 0 (off) and a fifth of timeout_ms ("
                    + timeoutMs / 5 + " ms), so that tasks run before the kernel's watchdog fires, not " + userStallMs + ".");
        }
        if (sliceUsMin < 1 || sliceUsMin > 1_000_000) {
            throw new IllegalArgumentException("slice_us_min must be between 1 and 1000000 microseconds, not " + sliceUsMin + ".");
        }
        if (exitDumpLen < 0 || exitDumpLen > MAX_EXIT_DUMP_LEN) {
            throw new IllegalArgumentException("exit_dump_len must be between 0 (the kernel's default) and " + MAX_EXIT_DUMP_LEN
                    + " bytes, not " + exitDumpLen + ".");
        }
    }

    /** The exit dump length the kernel will use. */
    public int effectiveExitDumpLen() {
        return exitDumpLen == 0 ? 32768 : exitDumpLen;
    }

    /**
     * Reads the options from a configuration (missing keys keep their defaults).
     *
     * @throws IllegalArgumentException with one sentence naming the bad key and value
     */
    public static BpfOptions fromConfig(Map<String, ?> config) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, number(config, "timeout_ms", DEFAULTS.timeoutMs));
        // Unless given, the stall guard fits whatever watchdog timeout was chosen.
        int userStallMs = (int) Math.min(Integer.MAX_VALUE,
                number(config, "user_stall_ms", Math.min(DEFAULTS.userStallMs, Math.max(0, timeoutMs / 5))));
        return new BpfOptions(
                number(config, "slice_us_min", DEFAULTS.sliceUsMin),
                flag(config, "partial", DEFAULTS.partial),
                flag(config, "numa_local", DEFAULTS.numaLocal),
                (int) Math.min(Integer.MAX_VALUE, number(config, "exit_dump_len", DEFAULTS.exitDumpLen)),
                flag(config, "verbose", DEFAULTS.verbose),
                flag(config, "builtin_idle", DEFAULTS.builtinIdle),
                flag(config, "lock_memory", DEFAULTS.lockMemory),
                timeoutMs, userStallMs);
    }

    private static long number(Map<String, ?> config, String key, long fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == n.longValue()) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'.");
        }
    }

    private static boolean flag(Map<String, ?> config, String key, boolean fallback) {
        Object value = config.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'.");
    }
}
