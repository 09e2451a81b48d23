package org.scxjavaland.policy.deadline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxjavaland.api.ConfigurationKeys;

/**
 * The deadline policy's options in force. Immutable: a new configuration is a new object, published
 * to the scheduling thread through one volatile write, so the policy never sees half of a change.
 * What each option means, and its default, is {@link DeadlineConfig}'s to say.
 *
 * @throws IllegalArgumentException when a slice is not positive or the minimum exceeds the slice
 */
public record DeadlineSettings(long sliceUs, long sliceUsMin, boolean percpuLocal) {
    /** Configuration key of {@link #sliceUs}. */
    public static final String SLICE_US = "slice_us";
    /** Configuration key of {@link #sliceUsMin}. */
    public static final String SLICE_US_MIN = "slice_us_min";
    /** Configuration key of {@link #percpuLocal}. */
    public static final String PERCPU_LOCAL = "percpu_local";
    /** Every key {@link #from} reads. */
    static final List<String> KEYS = ConfigurationKeys.of(DeadlineConfig.class);

    /** The seed's defaults. */
    public static final DeadlineSettings DEFAULTS = new DeadlineSettings(DeadlineConfig.SLICE_US_DEFAULT,
            DeadlineConfig.SLICE_US_MIN_DEFAULT, DeadlineConfig.PERCPU_LOCAL_DEFAULT);

    private static final long NSEC_PER_USEC = 1_000;
    /** Largest slice such that 100 slices in ns still fit in a long (the exec_runtime cap). */
    private static final long MAX_SLICE_US = Long.MAX_VALUE / NSEC_PER_USEC / 100;

    public DeadlineSettings {
        checkSlice(SLICE_US, sliceUs);
        checkSlice(SLICE_US_MIN, sliceUsMin);
        if (sliceUsMin > sliceUs) {
            throw new IllegalArgumentException(SLICE_US_MIN + " (" + sliceUsMin + ") must not be larger than "
                    + SLICE_US + " (" + sliceUs + ")");
        }
    }

    private static void checkSlice(String key, long us) {
        if (us <= 0 || us > MAX_SLICE_US) {
            throw new IllegalArgumentException(key + " must be a whole number of microseconds between 1 and "
                    + MAX_SLICE_US + ", not " + us);
        }
    }

    /**
     * Reads the options from configuration properties; a missing key takes its default (a
     * ConfigAdmin configuration replaces the previous one whole). Values may be numbers or the
     * strings a {@code .cfg} file gives.
     *
     * @throws IllegalArgumentException with the reason, when a value is invalid
     */
    public static DeadlineSettings from(Map<String, ?> properties) {
        return new DeadlineSettings(
                wholeNumber(properties, SLICE_US, DEFAULTS.sliceUs),
                wholeNumber(properties, SLICE_US_MIN, DEFAULTS.sliceUsMin),
                flag(properties, PERCPU_LOCAL, DEFAULTS.percpuLocal));
    }

    private static long wholeNumber(Map<String, ?> properties, String key, long fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(key + " must be a whole number of microseconds, not '" + value + "'");
    }

    private static boolean flag(Map<String, ?> properties, String key, boolean fallback) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
    }

    /** The time slice in ns: a sleeper's vruntime credit, and 100 of them cap the runtime counted in a deadline. */
    long sliceNs() {
        return sliceUs * NSEC_PER_USEC;
    }

    /** The minimum slice in ns, which scaled by weight is the slice each dispatch grants. */
    long sliceNsMin() {
        return sliceUsMin * NSEC_PER_USEC;
    }

    /** The options by configuration key, in a stable order. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(SLICE_US, sliceUs);
        map.put(SLICE_US_MIN, sliceUsMin);
        map.put(PERCPU_LOCAL, percpuLocal);
        return Collections.unmodifiableMap(map);
    }

    /** The options as the log says them, e.g. {@code slice_us=20000, slice_us_min=1000, percpu_local=false}. */
    @Override
    public String toString() {
        return SLICE_US + "=" + sliceUs + ", " + SLICE_US_MIN + "=" + sliceUsMin + ", " + PERCPU_LOCAL + "=" + percpuLocal;
    }
}
