package org.scxjavaland.policy.deadline;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The deadline policy's options, written once: their defaults and descriptions. ConfigAdmin and
 * metatype tools see them through the Metatype service; {@link DeadlineSettings#DEFAULTS} is built
 * from the defaults; the launcher's {@code -s}, {@code -S} and {@code -l} take their defaults and
 * help from these constants (picocli's annotations need compile-time constants); a test of the
 * launcher holds the shipped {@code etc/} file to the generated metatype. The policy reads the raw
 * properties itself ({@link DeadlineSettings#from}) so it can report a bad value in one sentence
 * and keep what it had. A double underscore in a method name stands for an underscore in the key.
 */
@ObjectClassDefinition(
        name = "scx_javaland deadline policy",
        description = "Runs tasks in order of vruntime plus runtime since their last sleep.")
public @interface DeadlineConfig {

    long SLICE_US_DEFAULT = 20_000;
    String SLICE_US_DESCRIPTION = "Time slice in microseconds: a task that slept gains at most one slice over the"
            + " others, and at most 100 slices of its runtime count in its deadline";

    long SLICE_US_MIN_DEFAULT = 1_000;
    String SLICE_US_MIN_DESCRIPTION = "Base time slice in microseconds, scaled by the task's weight at each dispatch;"
            + " no larger than the time slice";

    boolean PERCPU_LOCAL_DEFAULT = false;
    String PERCPU_LOCAL_DESCRIPTION = "Dispatch each task to the CPU it was queued from instead of looking for an"
            + " idle CPU";

    @AttributeDefinition(name = "Time slice (us)", description = SLICE_US_DESCRIPTION, min = "1")
    long slice__us() default SLICE_US_DEFAULT;

    @AttributeDefinition(name = "Minimum time slice (us)", description = SLICE_US_MIN_DESCRIPTION, min = "1")
    long slice__us__min() default SLICE_US_MIN_DEFAULT;

    @AttributeDefinition(name = "Per-CPU local", description = PERCPU_LOCAL_DESCRIPTION)
    boolean percpu__local() default PERCPU_LOCAL_DEFAULT;
}
