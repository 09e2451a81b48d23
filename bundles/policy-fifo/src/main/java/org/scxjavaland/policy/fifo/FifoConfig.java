package org.scxjavaland.policy.fifo;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The FIFO policy's option as ConfigAdmin and metatype tools see it; the policy reads the raw
 * property itself so it can report a bad value in one sentence. A double underscore in a method
 * name stands for an underscore in the key.
 */
@ObjectClassDefinition(
        name = "scx_javaland FIFO policy",
        description = "Runs tasks in the order they became runnable.")
@interface FifoConfig {

    @AttributeDefinition(name = "Time slice (us)",
            description = "Slice granted per dispatch; 0 lets the kernel side use its default slice.",
            min = "0")
    long slice__us() default 0;
}
