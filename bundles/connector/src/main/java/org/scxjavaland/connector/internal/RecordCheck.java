package org.scxjavaland.connector.internal;

import org.scxjavaland.api.QueuedTask;

/**
 * What a queued record from the kernel side must look like before a policy sees it. A record with
 * no task's pid (0 or below) cannot be dispatched and is dropped. A record whose other values no
 * task has (a weight outside 1..10000, a CPU the machine lacks, an affinity of no CPU or of more
 * CPUs than there are) still names a runnable task, so it is repaired to the nearest sane value
 * and scheduled: a policy dividing by the weight or indexing by the CPU keeps working, and the
 * task keeps running. Each is reported to the caller, which counts and logs it. A good record
 * costs a few comparisons and no allocation.
 */
final class RecordCheck {

    static final long MIN_WEIGHT = 1;
    static final long MAX_WEIGHT = 10_000;

    /** Hears of each bad record, with what was wrong and what was done about it. */
    interface Report {
        void bad(QueuedTask task, String what, String done);
    }

    private RecordCheck() {
    }

    /**
     * Checks (and repairs) {@code task}.
     *
     * @return false when the record must be dropped
     */
    static boolean usable(QueuedTask task, int nrCpus, Report report) {
        if (task.pid() <= 0) {
            report.bad(task, "no task has that pid", "dropped");
            return false;
        }
        if (task.weight() < MIN_WEIGHT || task.weight() > MAX_WEIGHT) {
            report.bad(task, "weight " + task.weight() + " outside 1..10000", "scheduled with the nearest weight");
            task.weight(Math.max(MIN_WEIGHT, Math.min(MAX_WEIGHT, task.weight())));
        }
        if (task.cpu() < 0 || task.cpu() >= nrCpus) {
            report.bad(task, "cpu " + task.cpu() + " of " + nrCpus, "scheduled as last run on cpu 0");
            task.cpu(0);
        }
        if (task.nrCpusAllowed() < 1 || task.nrCpusAllowed() > nrCpus) {
            report.bad(task, "allowed on " + task.nrCpusAllowed() + " of " + nrCpus + " cpus",
                    "scheduled as allowed on every cpu");
            task.nrCpusAllowed(nrCpus);
        }
        return true;
    }
}
