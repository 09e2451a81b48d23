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

    /** One registered policy service. A re-registration is a new entry, with a clean record. */
    static final class Entry {
        final Policy policy;
        final String name;
        /** Set when the policy threw; it is not made active again until swapped to explicitly. */
        volatile boolean failed;

        Entry(Policy policy, String name) {
            this.policy = policy;
            this.name = name;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Adds {@code policy} under {@code name}; returns false if a policy of that name was there already. */
    synchronized boolean add(Policy policy, String name) {
        boolean first = find(name) == null;
        entries.add(new Entry(policy, name));
        return first;
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
