package org.scxjavaland.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;

/**
 * A gogo session whose output the test reads: commands run as the shell runs them (parsed by
 * gogo, arguments converted, System.out sent to the session), without a console.
 */
final class Gogo implements AutoCloseable {

    private final Output out = new Output();
    private final Output err = new Output();
    private final CommandSession session;

    Gogo(CommandProcessor processor) {
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
    }

    /** Runs {@code commandLine} and returns what it printed (an exception it throws is thrown here). */
    String run(String commandLine) throws Exception {
        out.reset();
        err.reset();
        session.execute(commandLine);
        return out.text();
    }

    /** Runs {@code commandLine} and returns its result (for commands such as help that return their text). */
    Object result(String commandLine) throws Exception {
        return session.execute(commandLine);
    }

    /**
     * Runs {@code commandLine}, which must be refused as the scx commands refuse: one line on the
     * session's error stream, nothing on its output, and no exception for the console to print
     * with its class name. Returns that line.
     */
    String refused(String commandLine) throws Exception {
        String printed = run(commandLine);
        String refusal = err.text();
        assertEquals("'" + commandLine + "' printed besides its refusal", "", printed);
        if (refusal.isEmpty()) {
            throw new AssertionError("'" + commandLine + "' was not refused");
        }
        assertEquals("'" + commandLine + "' refused in more than one line: " + refusal, 1, refusal.lines().count());
        assertTrue(refusal, refusal.endsWith("\n"));
        return refusal.strip();
    }

    /**
     * Runs a command that goes on until interrupted, waits until it printed {@code lines} lines,
     * interrupts it as Ctrl-C would, and returns what it printed.
     */
    List<String> runUntilLines(String commandLine, int lines, long patienceMs) throws InterruptedException {
        out.reset();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                session.execute(commandLine);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "gogo-test");
        runner.start();
        long deadline = System.nanoTime() + patienceMs * 1_000_000;
        while (out.text().lines().count() < lines) {
            if (System.nanoTime() > deadline || !runner.isAlive()) {
                runner.interrupt();
                fail("'" + commandLine + "' printed " + out.text().lines().count() + " lines, not " + lines
                        + (failure.get() == null ? "" : "; it failed: " + failure.get()));
            }
            Thread.sleep(10);
        }
        Job job = session.foregroundJob();
        assertNotNull("no foreground job for " + commandLine, job);
        job.interrupt();
        runner.join(patienceMs);
        assertEquals("'" + commandLine + "' still runs after the interrupt", false, runner.isAlive());
        // gogo ends an interrupted job with an InterruptedException (the console just prints a new prompt).
        if (failure.get() != null && !(failure.get() instanceof InterruptedException)) {
            throw new AssertionError("'" + commandLine + "' ended with an exception", failure.get());
        }
        return out.text().lines().toList();
    }

    /**
     * Runs a command that goes on until interrupted, waits until it printed {@code lines} lines,
     * then calls {@code ctrlC} (what the launcher does on SIGINT) and returns what it printed. The
     * command must end by itself, quietly: no exception for the console to print.
     */
    List<String> runUntilLinesThen(String commandLine, int lines, long patienceMs, Runnable ctrlC)
            throws InterruptedException {
        out.reset();
        err.reset();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                session.execute(commandLine);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "gogo-test");
        runner.start();
        long deadline = System.nanoTime() + patienceMs * 1_000_000;
        while (out.text().lines().count() < lines) {
            if (System.nanoTime() > deadline || !runner.isAlive()) {
                runner.interrupt();
                fail("'" + commandLine + "' printed " + out.text().lines().count() + " lines, not " + lines
                        + (failure.get() == null ? "" : "; it failed: " + failure.get()));
            }
            Thread.sleep(10);
        }
        ctrlC.run();
        runner.join(patienceMs);
        assertEquals("'" + commandLine + "' still runs after Ctrl-C", false, runner.isAlive());
        if (failure.get() != null) {
            throw new AssertionError("'" + commandLine + "' ended with an exception for the console to print",
                    failure.get());
        }
        assertEquals("printed on the error stream", "", err.text());
        return out.text().lines().toList();
    }

    /** What the last command has printed so far. */
    String printed() {
        return out.text();
    }

    @Override
    public void close() {
        session.close();
    }

    /** What the session printed, readable while a command still writes. */
    private static final class Output extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        synchronized void reset() {
            bytes.reset();
        }
    }
}
