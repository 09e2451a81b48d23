package org.scxjavaland.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scxjavaland.recorder.internal.RecorderConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The recorder's options (a picocli mixin of {@link Options}): a trace of the kernel side's
 * scheduling, written while the host runs (docs/trace-format.md). Null fields were not given.
 */
public final class RecordOptions {

    // The recorder's options: their descriptions and defaults are RecorderConfig's (compile-time constants).
    @Option(names = "--record", paramLabel = "FILE",
            description = RecorderConfig.FILE_DESCRIPTION + ". As root, FILE's folder must be writable by root alone.")
    Path file;

    @Option(names = "--record-seconds", paramLabel = "SECS", converter = Converters.PositiveSeconds.class,
            description = RecorderConfig.SECONDS_DESCRIPTION + " (default: " + RecorderConfig.SECONDS_DEFAULT + ").")
    Double seconds;

    @Option(names = "--record-max-mb", paramLabel = "MB", converter = Megabytes.class,
            description = RecorderConfig.MAX_MB_DESCRIPTION + " (default: " + RecorderConfig.MAX_MB_DEFAULT + ").")
    Integer maxMb;

    public Path file() { return file; }

    /** What is wrong with the options taken together, in one sentence; null when nothing is. */
    String problem() {
        return file == null && (seconds != null || maxMb != null)
                ? "--record-seconds and --record-max-mb bound a recording: give --record FILE too." : null;
    }

    /** The recorder's configuration keys ({@code file}, {@code seconds}, {@code max_mb}), empty without {@code --record}. */
    Map<String, Object> recorderProperties() {
        Map<String, Object> recorder = new LinkedHashMap<>();
        if (file == null) {
            return recorder;
        }
        recorder.put("file", file.toAbsolutePath().normalize().toString());
        if (seconds != null) {
            recorder.put("seconds", seconds);
        }
        if (maxMb != null) {
            recorder.put("max_mb", maxMb);
        }
        return recorder;
    }

    /** A whole number of mebibytes, at least the recorder's smallest cap. */
    static final class Megabytes implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int mb = Integer.parseInt(value.trim());
                if (mb >= RecorderConfig.MAX_MB_MIN) {
                    return mb;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new TypeConversionException("expected a whole number of mebibytes, " + RecorderConfig.MAX_MB_MIN
                    + " or more");
        }
    }
}
