package org.scxjavaland.itests.osgi.deploy;

import java.util.function.Consumer;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.PolicyContext;
import org.scxjavaland.api.QueuedTask;

/**
 * A policy component whose activation throws: packed by {@link DeployJars} into a bundle of its
 * own (with a component description naming {@link #activate()}), never used in the test's bundle.
 */
public final class ThrowingPolicy implements Policy {

    static final String MESSAGE = "this policy refuses to start, as the test asked";

    /** The component's activate method. */
    public void activate() {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public String name() {
        return "throwing";
    }

    @Override
    public void activate(PolicyContext context) {
        // never reached: the component does not start
    }

    @Override
    public void enqueue(QueuedTask task) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean dispatch() {
        return true;
    }

    @Override
    public int heldTasks() {
        return 0;
    }

    @Override
    public void deactivate(Consumer<QueuedTask> handBack) {
        // holds nothing
    }
}
