package org.scxjavaland.shell;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * Ctrl-C at the console: the launcher receives the signal (the terminal sends it to the whole
 * process) and asks this service to end the repeating commands, such as {@code scx:stats 1}, and
 * nothing else. The service is registered under this class's name, which the launcher looks up.
 */
@Component(service = Interrupts.class, immediate = true)
public class Interrupts {

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
    public int interruptRepeating() {
        int n = 0;
        for (Thread t : REPEATING) {
            t.interrupt();
            n++;
        }
        return n;
    }
}
