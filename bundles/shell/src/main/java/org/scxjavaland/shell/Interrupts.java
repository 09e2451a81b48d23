package org.scxjavaland.shell;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.osgi.service.component.annotations.Component;

/**
 * Ctrl-C at the console: the launcher receives the signal (the terminal sends it to the whole
 * process) and asks this service to end the repeating commands, such as {@code scx:stats 1}, and
 * nothing else. The launcher shares no package with the shell, so the service is a JDK type: an
 * {@link IntSupplier} with the property {@value #SERVICE_PROPERTY}={@value #SERVICE_VALUE}.
 */
@Component(service = IntSupplier.class, immediate = true, property = Interrupts.SERVICE_PROPERTY + "="
        + Interrupts.SERVICE_VALUE)
public class Interrupts implements IntSupplier {

    /** The service property the launcher looks the service up by, and its value. */
    static final String SERVICE_PROPERTY = "scx.shell";
    static final String SERVICE_VALUE = "interrupt-repeating";

    private static final Set<Thread> REPEATING = ConcurrentHashMap.newKeySet();

    /** A command starts repeating on {@code thread} until interrupted. */
    static void repeating(Thread thread) {
        REPEATING.add(thread);
    }

    /** The repeating command on {@code thread} has ended. */
    static void done(Thread thread) {
        REPEATING.remove(thread);
    }

    /**
     * Ends every repeating command (each returns quietly to the prompt).
     *
     * @return how many there were; 0 tells the launcher that Ctrl-C found nothing to end
     */
    @Override
    public int getAsInt() {
        int n = 0;
        for (Thread t : REPEATING) {
            t.interrupt();
            n++;
        }
        return n;
    }
}
