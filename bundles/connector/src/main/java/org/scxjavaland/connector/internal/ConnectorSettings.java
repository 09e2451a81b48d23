package org.scxjavaland.connector.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.scxjavaland.api.ConfigurationKeys;

/**
 * The connector's configuration (PID {@value #PID}): which kind of link to schedule, which
 * policy to make active, and how many tasks per CPU to keep queued in the kernel. A bad value is
 * reported in one sentence and the previous one is kept.
 *
 * @param backend {@code sim}, {@code bpf}, or empty for whichever link is there ({@code auto} in etc/)
 * @param policy name of the policy to make active
 * @param queueDepth tasks per CPU the connector keeps dispatched and not yet running in the
 *        kernel's queues, the rest staying with the policy; 0 for no bound
 */
record ConnectorSettings(String backend, String policy, int queueDepth) {

    static final String PID = "org.scxjavaland.connector";
    static final String BACKEND = "backend";
    static final String POLICY = "policy";
    static final String QUEUE_DEPTH = "queue_depth";
    static final int MAX_QUEUE_DEPTH = ConnectorConfig.QUEUE_DEPTH_MAX;
    static final String DEFAULT_POLICY = ConnectorConfig.POLICY_DEFAULT;
    static final List<String> BACKENDS = List.of("sim", "bpf");
    /**
     * What etc/ may also say, as at start: there the launcher picks bpf or sim for it; while the host
     * runs it means whichever link runs (the one picked at start), as no value does.
     */
    static final String AUTO = ConnectorConfig.BACKEND_DEFAULT;
    /** Every key the connector reads. */
    static final List<String> KEYS = ConfigurationKeys.of(ConnectorConfig.class);

    /** No configuration: any link ({@link #AUTO}), the default policy, no bound. */
    static final ConnectorSettings DEFAULTS = new ConnectorSettings("", DEFAULT_POLICY,
            ConnectorConfig.QUEUE_DEPTH_DEFAULT);

    private static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Settings without a queue depth. */
    ConnectorSettings(String backend, String policy) {
        this(backend, policy, 0);
    }

    /** The settings and, for each value that could not be used, one sentence saying why. */
    record Parsed(ConnectorSettings settings, List<String> problems) {
    }

    /** True if links of {@code kind} may be scheduled. */
    boolean accepts(String kind) {
        return backend.isEmpty() || backend.equals(kind);
    }

    /** Reads {@code properties}; what is missing takes the default, what is wrong keeps {@code previous}'s value. */
    static Parsed parse(Map<String, ?> properties, ConnectorSettings previous) {
        return parse(properties, previous, null);
    }

    /**
     * As {@link #parse(Map, ConnectorSettings)}; {@code scheduledKind} (or null) is the kind of the
     * link being scheduled, which a refused backend says is kept.
     */
    static Parsed parse(Map<String, ?> properties, ConnectorSettings previous, String scheduledKind) {
        List<String> problems = new ArrayList<>();
        String backend = DEFAULTS.backend;
        Object b = properties.get(BACKEND);
        if (b != null) {
            String value = b.toString().trim();
            if (value.isEmpty() || value.equalsIgnoreCase(AUTO)) {
                backend = "";
            } else if (BACKENDS.contains(value.toLowerCase(java.util.Locale.ROOT))) {
                backend = value.toLowerCase(java.util.Locale.ROOT);
            } else {
                backend = previous.backend;
                // The same words as at start (and --backend's): the three values both accept.
                problems.add("The connector setting " + BACKEND + "='" + value + "' is not a backend; use "
                        + String.join(", ", BACKENDS) + " or " + AUTO + " (keeping "
                        + describe(previous.backend, scheduledKind) + ").");
            }
        }
        String policy = DEFAULTS.policy;
        Object p = properties.get(POLICY);
        if (p != null) {
            String value = p.toString().trim();
            if (POLICY_NAME.matcher(value).matches()) {
                policy = value;
            } else {
                policy = previous.policy;
                problems.add("The connector setting " + POLICY + "='" + value + "' is not a policy name; use the name"
                        + " of an installed policy such as deadline or fifo (keeping " + previous.policy + ").");
            }
        }
        int queueDepth = DEFAULTS.queueDepth;
        Object d = properties.get(QUEUE_DEPTH);
        if (d != null) {
            queueDepth = parseQueueDepth(d);
            if (queueDepth < 0) {
                queueDepth = previous.queueDepth;
                problems.add("The connector setting " + QUEUE_DEPTH + "='" + d + "' is not a queue depth; use a whole"
                        + " number of tasks per CPU from 1 to " + MAX_QUEUE_DEPTH + ", or 0 for no bound (keeping "
                        + (previous.queueDepth == 0 ? "no bound" : Integer.toString(previous.queueDepth)) + ").");
            }
        }
        return new Parsed(new ConnectorSettings(backend, policy, queueDepth), Collections.unmodifiableList(problems));
    }

    /** A queue depth from a number or a .cfg file's string; -1 when it is none. */
    private static int parseQueueDepth(Object value) {
        long depth;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            depth = ((Number) value).longValue();
        } else if (value instanceof String text) {
            try {
                depth = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        } else {
            return -1;
        }
        return depth >= 0 && depth <= MAX_QUEUE_DEPTH ? (int) depth : -1;
    }

    private static String describe(String backend, String scheduledKind) {
        if (!backend.isEmpty()) {
            return "backend " + backend + (backend.equals(scheduledKind) ? ", the " + backend + " link it schedules" : "");
        }
        return scheduledKind != null ? "no backend setting: it schedules the " + scheduledKind + " link it has"
                : "no backend setting: it schedules whichever link comes first";
    }
}
