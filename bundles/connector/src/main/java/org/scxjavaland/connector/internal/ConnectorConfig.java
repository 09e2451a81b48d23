package org.scxjavaland.connector.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The connector's options, written once: their defaults, limits and descriptions. ConfigAdmin and
 * metatype tools see them through the Metatype service; {@link ConnectorSettings} reads the raw
 * properties with these defaults; the launcher's {@code --backend}, {@code --policy} and
 * {@code --queue-depth} take their defaults and help from these constants (picocli's annotations
 * need compile-time constants); a test of the launcher holds the shipped {@code etc/} file to the
 * generated metatype. A double underscore in a method name stands for an underscore in the key.
 */
@ObjectClassDefinition(
        name = "scx_javaland connector",
        description = "Which kernel side is scheduled, which policy starts, and how many tasks wait in the kernel.")
public @interface ConnectorConfig {

    String BACKEND_DEFAULT = "auto";
    String BACKEND_DESCRIPTION = "What gets scheduled: sim (the simulated machine), bpf (this machine's sched_ext"
            + " kernel), or auto, which picks what is available at start and, after an edit while the host runs,"
            + " keeps the link that runs";

    String POLICY_DEFAULT = "deadline";
    String POLICY_DESCRIPTION = "The policy to start with: deadline, fifo, or any policy bundle installed";

    int QUEUE_DEPTH_DEFAULT = 0;
    /** Far more than a CPU's queue holds in practice. */
    int QUEUE_DEPTH_MAX = 65536;
    String QUEUE_DEPTH_DESCRIPTION = "How many tasks per CPU are kept dispatched and not yet running in the kernel's"
            + " queues; the rest stay with the policy, which picks the next one when a CPU frees up, at the cost of a"
            + " round trip through user space. 0: no bound, every task goes to the kernel at once and the policy"
            + " orders them only through the vtime it gives";

    @AttributeDefinition(name = "Backend", description = BACKEND_DESCRIPTION, options = {
        @Option(label = "the simulated machine", value = "sim"),
        @Option(label = "this machine's sched_ext kernel", value = "bpf"),
        @Option(label = "whichever is available at start", value = BACKEND_DEFAULT)})
    String backend() default BACKEND_DEFAULT;

    @AttributeDefinition(name = "Policy", description = POLICY_DESCRIPTION)
    String policy() default POLICY_DEFAULT;

    @AttributeDefinition(name = "Queue depth", description = QUEUE_DEPTH_DESCRIPTION, min = "0",
            max = "" + QUEUE_DEPTH_MAX)
    int queue__depth() default QUEUE_DEPTH_DEFAULT;
}
