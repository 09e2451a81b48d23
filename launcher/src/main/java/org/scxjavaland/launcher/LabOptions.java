package org.scxjavaland.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scxjavaland.sim.internal.SimulatorConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The options of the policy lab on a single run (a picocli mixin of {@link Options}): where the
 * run's results go when the simulation ends, and its timeline. Null fields were not given.
 */
public final class LabOptions {

    /** Default of {@code --trace-events}: the simulator's (a compile-time constant). */
    static final int DEFAULT_TRACE_EVENTS = SimulatorConfig.TRACE_EVENTS_DEFAULT;

    @Option(names = "--report", paramLabel = "DIR",
            description = "When the simulation ends, write its results into DIR: results.csv, results.json"
                    + " (the same files as a compare report's) and table.txt.")
    Path report;

    @Option(names = "--trace", paramLabel = "FILE",
            description = SimulatorConfig.TRACE_FILE_DESCRIPTION + ".")
    Path trace;

    @Option(names = "--trace-events", paramLabel = "N", converter = TraceCap.class,
            description = SimulatorConfig.TRACE_EVENTS_DESCRIPTION + " (default: " + DEFAULT_TRACE_EVENTS
                    + ").")
    Integer traceEvents;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public Path report() { return report; }
    public Path trace() { return trace; }

    /** The command line as given, to be repeated. */
    List<String> originalArgs() {
        return spec == null || spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
    }

    /** The simulator's configuration keys for the timeline ({@code trace_file}, {@code trace_events}), if asked. */
    Map<String, Object> simProperties() {
        Map<String, Object> sim = new LinkedHashMap<>();
        if (trace != null) {
            sim.put("trace_file", trace.toAbsolutePath().normalize().toString());
            sim.put("trace_events", traceEvents == null ? DEFAULT_TRACE_EVENTS : traceEvents);
        }
        return sim;
    }

    /** A number of trace events: 1 to 10 million. */
    static final class TraceCap implements ITypeConverter<Integer> {
        static final int MAX = SimulatorConfig.TRACE_EVENTS_MAX;

        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1 && n <= MAX) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new TypeConversionException("expected a number of events from 1 to " + MAX);
        }
    }
}
