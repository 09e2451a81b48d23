package org.scxjavaland.policy.deadline;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The deadline policy's options as ConfigAdmin and metatype tools see them. The policy reads the
 * raw properties itself ({@link DeadlineSettings#from}) so it can report a bad value in one
 * sentence and keep what it had. A double underscore in a method name stands for an underscore
 * in the key.
 */
@ObjectClassDefinition(
        name = "scx_javaland deadline policy",
        description = "Runs tasks in order of vruntime plus runtime since their last sleep.")
@interface DeadlineConfig {

    @AttributeDefinition(name = "Time slice (us)",
            description = "A sleeper's vruntime credit is at most one slice; runtime counts in a deadline for at most 100 slices. Positive.",
            min = "1")
    long slice__us() default 20_000;

    @AttributeDefinition(name = "Minimum time slice (us)",
            description = "Slice granted per dispatch, scaled by the task's weight. Positive, at most slice_us.",
            min = "1")
    long slice__us__min() default 1_000;

    @AttributeDefinition(name = "Per-CPU local",
            description = "Dispatch each task to the CPU it was queued from instead of looking for an idle CPU.")
    boolean percpu__local() default false;
}
