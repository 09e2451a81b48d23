package org.scxjavaland.launcher;

import java.io.File;
import java.util.Locale;
import java.util.regex.Pattern;
import org.scxjavaland.connector.internal.ConnectorConfig;
import org.scxjavaland.deploy.guard.FileSafety;
import org.scxjavaland.sim.SimOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for the option values. Each rejects a bad value with the end of a sentence
 * ("expected ...") that {@link Cli} completes with the option's name and the value given.
 */
final class Converters {

    private Converters() {
    }

    /** A whole number of microseconds greater than 0 (a slice). */
    static final class PositiveMicros implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return atLeast(value, 1, "a whole number of microseconds greater than 0");
        }
    }

    /** A whole number of bytes, 0 or more. */
    static final class NonNegativeBytes implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return atLeast(value, 0, "a whole number of bytes, 0 or more");
        }
    }

    /** A whole number of milliseconds, 0 or more. */
    static final class NonNegativeMillis implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return atLeast(value, 0, "a whole number of milliseconds, 0 or more");
        }
    }

    /** A queue depth: tasks per CPU, 0 (no bound) up to the connector's limit. */
    static final class QueueDepth implements ITypeConverter<Integer> {
        /** The connector's limit (a compile-time constant: the launcher loads no connector class for it). */
        static final int MAX_DEPTH = ConnectorConfig.QUEUE_DEPTH_MAX;

        @Override
        public Integer convert(String value) {
            long depth = atLeast(value, 0, "a number of tasks per CPU from 0 (no bound) to " + MAX_DEPTH);
            if (depth > MAX_DEPTH) {
                throw new TypeConversionException("expected a number of tasks per CPU from 0 (no bound) to " + MAX_DEPTH);
            }
            return (int) depth;
        }
    }

    /** A seed: any whole number. */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return atLeast(value, Long.MIN_VALUE, "a whole number");
        }
    }

    /** A number of CPUs for the simulated machine: 1 to as many as it models. */
    static final class CpuCount implements ITypeConverter<Integer> {
        /** The simulator's own limit; a compile-time constant, so the launcher loads no sim class for it. */
        static final int MAX_CPUS = SimOptions.MAX_CPUS;

        @Override
        public Integer convert(String value) {
            long cpus = atLeast(value, 1, "a number of CPUs from 1 to " + MAX_CPUS);
            if (cpus > MAX_CPUS) {
                throw new TypeConversionException("expected a number of CPUs from 1 to " + MAX_CPUS);
            }
            return (int) cpus;
        }
    }

    /** A cost of the simulated scheduling thread: 0 to the simulator's limit of virtual ns. */
    static final class SchedCost implements ITypeConverter<Long> {
        // Compile-time constants: the launcher loads no sim class for them.
        static final long MAX_NS = SimOptions.MAX_SCHED_COST_NS;
        static final long DEFAULT_ROUND_NS = SimOptions.DEFAULT_SCHED_ROUND_NS;
        static final long DEFAULT_TASK_NS = SimOptions.DEFAULT_SCHED_TASK_NS;

        @Override
        public Long convert(String value) {
            long ns = atLeast(value, 0, "a number of virtual ns from 0 to " + MAX_NS);
            if (ns > MAX_NS) {
                throw new TypeConversionException("expected a number of virtual ns from 0 to " + MAX_NS);
            }
            return ns;
        }
    }

    /** An interval in seconds greater than 0, fractions allowed ({@code 0.5}). */
    static final class PositiveSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double seconds;
            try {
                seconds = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number of seconds greater than 0");
            }
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new TypeConversionException("expected a number of seconds greater than 0");
            }
            return seconds;
        }
    }

    /** sim, bpf or auto. */
    static final class BackendChoice implements ITypeConverter<Options.Backend> {
        @Override
        public Options.Backend convert(String value) {
            return choice(Options.Backend.class, value, "sim, bpf or auto");
        }
    }

    /** fast or paced. */
    static final class IdlePickChoice implements ITypeConverter<Options.IdlePick> {
        @Override
        public Options.IdlePick convert(String value) {
            return choice(Options.IdlePick.class, value, "topology or flat");
        }
    }

    static final class SimModeChoice implements ITypeConverter<Options.SimMode> {
        @Override
        public Options.SimMode convert(String value) {
            return choice(Options.SimMode.class, value, "fast or paced");
        }
    }

    /**
     * A policy name as policies spell theirs: lower case letters, digits and dashes. Whether such a
     * policy exists is only known once the host runs.
     */
    static final class PolicyName implements ITypeConverter<String> {
        private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

        @Override
        public String convert(String value) {
            String name = value.trim();
            if (!NAME.matcher(name).matches()) {
                throw new TypeConversionException("expected a policy name such as deadline or fifo");
            }
            return name;
        }
    }

    /**
     * A built-in workload's name, the path of a workload file, or {@code trace:FILE}. A value that
     * names an existing file becomes its absolute path; one that looks like a path (a slash or a
     * dot in it) must name a readable file. As root, a file (or a folder it is in) that another
     * user could change is refused, as the deploy guard refuses such a jar or .cfg. Whether a name
     * is a built-in workload, and whether a file is well formed, is for the simulator to say.
     */
    static final class Workload implements ITypeConverter<String> {
        /** The simulator's {@code trace:FILE}. */
        static final String TRACE_PREFIX = org.scxjavaland.sim.machine.Workload.TRACE_PREFIX;

        @Override
        public String convert(String value) {
            String workload = value.trim();
            if (workload.isEmpty()) {
                throw new TypeConversionException("expected the name of a built-in workload or a workload file");
            }
            if (workload.startsWith(TRACE_PREFIX)) {
                return TRACE_PREFIX + traceFile(workload.substring(TRACE_PREFIX.length()).trim());
            }
            File file = new File(workload);
            if (file.isFile()) {
                if (!file.canRead()) {
                    throw new TypeConversionException("the workload file cannot be read (check its permissions)");
                }
                refuseIfOthersCanChange(file);
                return file.getAbsolutePath();
            }
            if (looksLikePath(workload)) {
                throw new TypeConversionException(file.isDirectory()
                        ? "expected a workload file, not a folder"
                        : "no such workload file (give an existing file or a built-in workload's name)");
            }
            return workload;
        }

        /** The absolute path of the trace file {@code name}, which must exist and be readable. */
        private static String traceFile(String name) {
            File file = new File(name);
            if (name.isEmpty() || !file.isFile()) {
                throw new TypeConversionException(name.isEmpty() ? "expected trace:FILE with the path of a trace file"
                        : file.isDirectory() ? "expected a trace file, not a folder"
                        : "no such trace file (give trace:FILE with the path of a file that --record wrote)");
            }
            if (!file.canRead()) {
                throw new TypeConversionException("the trace file cannot be read (check its permissions)");
            }
            refuseIfOthersCanChange(file);
            return file.getAbsolutePath();
        }

        /** As root, what another user can change must not steer the host. */
        private static void refuseIfOthersCanChange(File file) {
            if (!Layout.runningAsRoot()) {
                return;
            }
            String problem = FileSafety.readOnceFileProblem(file.toPath(), 0);
            if (problem != null) {
                throw new TypeConversionException(problem + "; as root, scx_javaland only reads workload and trace"
                        + " files that root alone can change");
            }
        }

        static boolean looksLikePath(String workload) {
            return workload.indexOf('/') >= 0 || workload.indexOf(File.separatorChar) >= 0 || workload.indexOf('.') >= 0;
        }
    }

    private static long atLeast(String value, long min, String expected) {
        long number;
        try {
            number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            if (value.trim().matches("\\+?\\d+")) {
                throw new TypeConversionException("expected " + expected + "; this number is too large");
            }
            throw new TypeConversionException("expected " + expected);
        }
        if (number < min) {
            throw new TypeConversionException("expected " + expected);
        }
        return number;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value, String expected) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected " + expected);
        }
    }
}
