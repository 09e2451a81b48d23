package org.scxjavaland.link.bpf.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.scxjavaland.link.bpf.BpfOptions;

/**
 * The BPF link's options, written once: their defaults and descriptions. ConfigAdmin and metatype
 * tools see them through the Metatype service; {@link BpfOptions#DEFAULTS} is built from the
 * defaults; the launcher's {@code -n}, {@code -p} and {@code --exit-dump-len} take their help
 * from these constants (picocli's annotations need compile-time constants); a test of the launcher
 * holds the shipped {@code etc/} file to the generated metatype. A double underscore in a method
 * name stands for an underscore in the key.
 */
@ObjectClassDefinition(
        name = "scx_javaland BPF link",
        description = "How scx_javaland's BPF scheduler is loaded into a sched_ext kernel.")
public @interface BpfConfig {

    /** As the seed's -S. */
    long SLICE_US_MIN_DEFAULT = 1000;
    String SLICE_US_MIN_DESCRIPTION = "Time slice, in microseconds, of the tasks the BPF side runs itself (kernel"
            + " threads, the host's own threads, a task alone on its CPU) and of a dispatch without a slice";

    boolean PARTIAL_DEFAULT = false;
    String PARTIAL_DESCRIPTION = "Schedule only the tasks moved to SCHED_EXT with sched_setscheduler(2), not every"
            + " task";

    boolean NUMA_LOCAL_DEFAULT = false;
    String NUMA_LOCAL_DESCRIPTION = "Keep idle-CPU picks in the task's NUMA node";

    int EXIT_DUMP_LEN_DEFAULT = 0;
    String EXIT_DUMP_LEN_DESCRIPTION = "Size in bytes of the debug dump the kernel hands back when the scheduler"
            + " exits; 0 keeps the kernel's default";

    boolean VERBOSE_DEFAULT = false;
    String VERBOSE_DESCRIPTION = "Log libbpf's messages and trace BPF events to /sys/kernel/tracing/trace_pipe";

    /** As the seed. */
    boolean BUILTIN_IDLE_DEFAULT = true;
    String BUILTIN_IDLE_DESCRIPTION = "Let a waking task that finds an idle CPU run there at once, without user space";

    boolean LOCK_MEMORY_DEFAULT = true;
    String LOCK_MEMORY_DESCRIPTION = "Lock the process's memory, so that the scheduling thread never waits for a page"
            + " fault";

    int TIMEOUT_MS_DEFAULT = 5000;
    String TIMEOUT_MS_DESCRIPTION = "The kernel's watchdog: a task left runnable this long (ms, at most "
            + BpfOptions.MAX_TIMEOUT_MS + ") ejects the scheduler and every task returns to the fair class";

    int USER_STALL_MS_DEFAULT = 500;
    String USER_STALL_MS_DESCRIPTION = "When the whole JVM stops (a long GC pause, SIGSTOP, a debugger) the BPF side"
            + " notices that nobody reads the tasks queued to user space: after this long (ms; 0: never; at most a"
            + " fifth of timeout_ms) it runs new tasks by itself until user space reads again";

    @AttributeDefinition(name = "Minimum time slice (us)", description = SLICE_US_MIN_DESCRIPTION, min = "1",
            max = "1000000")
    long slice__us__min() default SLICE_US_MIN_DEFAULT;

    @AttributeDefinition(name = "Partial", description = PARTIAL_DESCRIPTION)
    boolean partial() default PARTIAL_DEFAULT;

    @AttributeDefinition(name = "NUMA local", description = NUMA_LOCAL_DESCRIPTION)
    boolean numa__local() default NUMA_LOCAL_DEFAULT;

    @AttributeDefinition(name = "Exit dump length (bytes)", description = EXIT_DUMP_LEN_DESCRIPTION, min = "0",
            max = "" + BpfOptions.MAX_EXIT_DUMP_LEN)
    int exit__dump__len() default EXIT_DUMP_LEN_DEFAULT;

    @AttributeDefinition(name = "Verbose", description = VERBOSE_DESCRIPTION)
    boolean verbose() default VERBOSE_DEFAULT;

    @AttributeDefinition(name = "Built-in idle selection", description = BUILTIN_IDLE_DESCRIPTION)
    boolean builtin__idle() default BUILTIN_IDLE_DEFAULT;

    @AttributeDefinition(name = "Lock memory", description = LOCK_MEMORY_DESCRIPTION)
    boolean lock__memory() default LOCK_MEMORY_DEFAULT;

    @AttributeDefinition(name = "Watchdog timeout (ms)", description = TIMEOUT_MS_DESCRIPTION, min = "100",
            max = "" + BpfOptions.MAX_TIMEOUT_MS)
    int timeout__ms() default TIMEOUT_MS_DEFAULT;

    @AttributeDefinition(name = "User-space stall (ms)", description = USER_STALL_MS_DESCRIPTION, min = "0")
    int user__stall__ms() default USER_STALL_MS_DEFAULT;
}
