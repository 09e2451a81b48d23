package org.scxjavaland.connector.internal;

/**
 * Numbers the scheduling thread publishes for other threads. Each field has that one writer, so
 * plain volatile updates are enough.
 */
final class SchedulerStats {
    /** Tasks held by the active policy (or the built-in FIFO), as of the last round. */
    volatile int heldTasks;
    /** Dispatches of records the ledger does not hold (superseded, or sent twice), dropped by the connector. */
    volatile long droppedDispatches;
    /** Tasks a policy did not hand back, taken from the ledger instead. */
    volatile long tasksRecovered;
    /** Records from the link with values no task has (dropped or repaired, see {@link RecordCheck}). */
    volatile long badRecords;
    /** Policy failures (a method threw). */
    volatile long policyFailures;
}
