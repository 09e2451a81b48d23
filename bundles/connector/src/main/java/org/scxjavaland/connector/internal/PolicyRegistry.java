package org.scxjavaland.connector.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.SchedulerBackend;

/**
 * The policies registered now (the whiteboard), keyed by name. When two share a name the one
 * registered first is used; the other takes over if the first goes away. Thread-safe.
 */
final class PolicyRegistry {

    /** Where a policy service comes from: its bundle's id, symbolic name and version. */
    record Origin(long bundleId, String bundle, String version) {
        static final Origin UNKNOWN = new Origin(-1, "?", "?");

        @Override
        public String toString() {
            return bundle + " " + version;
        }
    }

    /** One registered policy service. A re-registration is a new entry, with a clean record. */
    static final class Entry {
        final Policy policy;
        final String name;
        final Origin origin;
        /**
         * Why the policy is kept out, in one line: set when it threw; it is not made active again
         * until swapped to explicitly or registered anew (its bundle updated or restarted). Null
         * while it has not failed.
         */
        volatile String failure;

        Entry(Policy policy, String name, Origin origin) {
            this.policy = policy;
            this.name = name;
            this.origin = origin;
        }

        boolean failed() {
            return failure != null;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds {@code policy} under {@code name}; returns false if a policy of that name was there already. */
    synchronized boolean add(Policy policy, String name, Origin origin) {
        boolean first = find(name) == null;
        entries.add(new Entry(policy, name, origin));
        return first;
    }

    /** The entry of this very policy object, or null when it is not registered. */
    synchronized Entry entryOf(Policy policy) {
        for (Entry e : entries) {
            if (e.policy == policy) {
                return e;
            }
        }
        return null;
    }

    /** Removes the entry of this very policy object; returns it, or null when it was not registered. */
    synchronized Entry remove(Policy policy) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).policy == policy) {
                return entries.remove(i);
            }
        }
        return null;
    }

    /** The entry in use for {@code name}, or null. */
    synchronized Entry find(String name) {
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The names a swap accepts, sorted: the registered policies and the built-in FIFO. */
    synchronized List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        names.add(SchedulerBackend.BUILTIN_FIFO);
        for (Entry e : entries) {
            names.add(e.name);
        }
        return List.copyOf(names);
    }
}
