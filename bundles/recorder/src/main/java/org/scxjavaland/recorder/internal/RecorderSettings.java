package org.scxjavaland.recorder.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the PID {@value #PID} asks for: where to write the trace and its bounds.
 *
 * @param file the trace file
 * @param seconds how long to record at most
 * @param maxBytes how large the file may grow at most
 */
record RecorderSettings(Path file, double seconds, long maxBytes) {
    static final String PID = "org.scxjavaland.recorder";
    static final double DEFAULT_SECONDS = RecorderConfig.SECONDS_DEFAULT;
    static final long DEFAULT_MAX_MB = RecorderConfig.MAX_MB_DEFAULT;
    static final long MIN_MAX_MB = RecorderConfig.MAX_MB_MIN;

    /**
     * Reads {@code file}, {@code seconds} and {@code max_mb}.
     *
     * @throws IllegalArgumentException with one sentence saying which value is wrong
     */
    static RecorderSettings from(Map<String, ?> config) {
        Object file = config.get("file");
        if (file == null || file.toString().isBlank()) {
            throw new IllegalArgumentException("The recorder has no file to write (set file in " + PID + ").");
        }
        Path path = Path.of(file.toString().trim());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("The recorder's file '" + file + "' is not an absolute path.");
        }
        double seconds = number(config, "seconds", DEFAULT_SECONDS);
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("The recorder's seconds must be a positive number, not " + config.get("seconds")
                    + ".");
        }
        double maxMb = number(config, "max_mb", DEFAULT_MAX_MB);
        if (!(maxMb >= MIN_MAX_MB) || maxMb > Long.MAX_VALUE >> 20) {
            throw new IllegalArgumentException("The recorder's max_mb must be at least " + MIN_MAX_MB + ", not "
                    + config.get("max_mb") + ".");
        }
        return new RecorderSettings(path, seconds, (long) (maxMb * (1 << 20)));
    }

    private static double number(Map<String, ?> config, String key, double fallback) {
        Object value = config.get(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        try {
            return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The recorder's " + key + " '" + value + "' is not a number.");
        }
    }
}
