package org.scxjavaland.recorder.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The recorder's options, written once: their defaults, limits and descriptions. ConfigAdmin and
 * metatype tools see them through the Metatype service; {@link RecorderSettings} reads the raw
 * properties with these defaults; the launcher's {@code --record}, {@code --record-seconds} and
 * {@code --record-max-mb} take their help, defaults and limits from these constants (picocli's
 * annotations need compile-time constants). A double underscore in a method name stands for an
 * underscore in the key.
 */
@ObjectClassDefinition(
        name = "scx_javaland recorder",
        description = "Records the scheduling of the kernel side being scheduled into a trace file.")
public @interface RecorderConfig {

    String FILE_DESCRIPTION = "Record every task's scheduling (woke, ran, stopped, on which CPU) into this file, a"
            + " trace that the workload trace:FILE replays on the simulated machine (on the simulated machine too:"
            + " its virtual clock)";

    int SECONDS_DEFAULT = 60;
    String SECONDS_DESCRIPTION = "Stop recording after this many seconds";

    int MAX_MB_DEFAULT = 256;
    /** The smallest cap: a header and a few events. */
    int MAX_MB_MIN = 1;
    String MAX_MB_DESCRIPTION = "Stop recording before the file grows over this many mebibytes";

    @AttributeDefinition(name = "Trace file", description = FILE_DESCRIPTION)
    String file();

    @AttributeDefinition(name = "Seconds", description = SECONDS_DESCRIPTION)
    double seconds() default SECONDS_DEFAULT;

    @AttributeDefinition(name = "Largest size (MiB)", description = MAX_MB_DESCRIPTION, min = "" + MAX_MB_MIN)
    double max__mb() default MAX_MB_DEFAULT;
}
