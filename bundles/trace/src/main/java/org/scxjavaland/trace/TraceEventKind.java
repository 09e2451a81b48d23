package org.scxjavaland.trace;

/**
 * What happened to a task in one recorded event: the state changes the kernel's sched_ext
 * reports (ops.runnable, ops.running, ops.stopping).
 */
public enum TraceEventKind {
    /** It woke up (became runnable after a sleep). */
    WAKE,
    /** It became runnable without waking: a new task, or one whose properties changed while runnable. */
    RUNNABLE,
    /** It started running on a CPU. */
    RUNNING,
    /** It stopped running and stays runnable (preempted, its slice ended, it yielded). */
    PREEMPTED,
    /** It stopped running and is no longer runnable (it sleeps, waits, or exits). */
    SLEEP
}
