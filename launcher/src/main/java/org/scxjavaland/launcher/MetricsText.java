package org.scxjavaland.launcher;

import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import org.scxjavaland.api.Metrics;

/**
 * The counters as one line of text, the way the host hands them to {@code --monitor}:
 * {@code nr_running=3 nr_cpus=4 ...}, the eleven counters in the order of {@link Metrics}, under
 * the names scx_rustland users know.
 */
final class MetricsText {

    private static final RecordComponent[] COUNTERS = Metrics.class.getRecordComponents();

    private MetricsText() {
    }

    static String format(Metrics metrics) {
        StringBuilder line = new StringBuilder();
        try {
            for (RecordComponent counter : COUNTERS) {
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(snakeCase(counter.getName())).append('=').append(counter.getAccessor().invoke(metrics));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return line.toString();
    }

    /**
     * Reads a line written by {@link #format}.
     *
     * @throws IllegalArgumentException when a counter is missing or not a number
     */
    static Metrics parse(String line) {
        Map<String, String> values = new HashMap<>();
        for (String pair : line.trim().split(" +")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        Object[] counters = new Object[COUNTERS.length];
        Class<?>[] types = new Class<?>[COUNTERS.length];
        for (int i = 0; i < COUNTERS.length; i++) {
            String name = snakeCase(COUNTERS[i].getName());
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no " + name + " in '" + line + "'");
            }
            try {
                counters[i] = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a number in '" + line + "'");
            }
            types[i] = COUNTERS[i].getType();
        }
        try {
            return Metrics.class.getDeclaredConstructor(types).newInstance(counters);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code nrUserDispatches} -> {@code nr_user_dispatches}. */
    static String snakeCase(String camelCase) {
        StringBuilder snake = new StringBuilder();
        for (char c : camelCase.toCharArray()) {
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString();
    }
}
