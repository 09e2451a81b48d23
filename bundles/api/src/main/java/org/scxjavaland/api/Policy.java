package org.scxjavaland.api;

import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A scheduling policy: it orders the runnable tasks and decides which runs next, where and for
 * how long. Register an implementation as an OSGi service; the connector tracks them all and
 * makes one active at a time.
 *
 * <p>The life-cycle and scheduling methods are called from the connector's scheduling thread,
 * one call at a time, so a policy needs no locks. {@link #enqueue} and {@link #dispatch} are the
 * scheduling path: once warm they should not allocate, block, log per task or call into the OS.
 * If a method throws, or a call does not return within a bound (2 s by default), the connector
 * deactivates the policy, logs why, and keeps every task it held; a call it gave up on may go on,
 * but its context refuses whatever it asks from then on, and scheduling continues on another
 * thread.
 *
 * <p>A policy with options reads them from ConfigAdmin; the service property
 * {@value #CONFIG_PID} names its configuration PID so that tools can find it.
 *
 * <p>Life cycle of one activation: {@code activate}, then any number of {@code enqueue} and
 * {@code dispatch} calls, then {@code deactivate}. On a swap the tasks the previous policy held
 * are given to the next one through {@code enqueue}, right after its {@code activate}.
 */
@ConsumerType
public interface Policy {

    /** Service property: the ConfigAdmin PID holding the policy's options, if it has any. */
    String CONFIG_PID = "scx.policy.config.pid";

    /** The name users select the policy by ({@code deadline}, {@code fifo}, ...): short, unique, lower case. */
    String name();

    /** Becomes the active policy; {@code context} stays valid until {@link #deactivate}. */
    void activate(PolicyContext context);

    /**
     * Takes a task that became runnable (or that the previous policy handed over). The object is
     * reused by the caller: copy what you keep.
     */
    void enqueue(QueuedTask task);

    /**
     * Dispatches the next task, if any, through {@link PolicyContext#dispatch}.
     *
     * @return false if a dispatch failed (the task stays held and the round ends), true otherwise
     */
    boolean dispatch();

    /** How many tasks the policy holds: enqueued and not yet dispatched. */
    int heldTasks();

    /**
     * The options in force now, by configuration key (for {@code scx:config}). Called from any
     * thread. The default: none.
     */
    default Map<String, Object> configuration() {
        return Map.of();
    }

    /**
     * Checks proposed options before they are applied, from any thread and without side effects.
     *
     * @return null when they are acceptable, else one sentence saying what is wrong
     */
    default String checkConfiguration(Map<String, ?> proposed) {
        return null;
    }

    /**
     * Stops being active: gives every held task back through {@code handBack}, each exactly as it
     * was passed to {@link #enqueue}, and forgets them. The consumer copies what it receives.
     */
    void deactivate(Consumer<QueuedTask> handBack);
}
