package org.scxjavaland.shell;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.apache.felix.service.command.Descriptor;

/**
 * {@code exit} at the console: the same as {@code scx:stop}. gogo looks its own scope up first, so
 * this comes before {@code System.exit}, which would end the JVM under the bundles still stopping
 * (and print the console thread's interruption).
 */
@Component(service = Stop.class, property = {
    "osgi.command.scope=gogo",
    "osgi.command.function=exit"
})
public class Stop {

    private final BundleContext context;

    @Activate
    public Stop(BundleContext context) {
        this.context = context;
    }

    @Descriptor("stop scx_javaland (as scx:stop): the scheduler hands its tasks back, the bundles stop, the process exits")
    public void exit(@Descriptor("exit code, ignored: scx_javaland exits with 0 after a clean stop") String... args) {
        System.out.println("stopping scx_javaland");
        framework(context);
    }

    /** Stops the framework from a thread of its own, so that the command returns first. */
    static void framework(BundleContext context) {
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                // already stopping
            }
        }, "scx-stop");
        stopper.setDaemon(true);
        stopper.start();
    }
}
