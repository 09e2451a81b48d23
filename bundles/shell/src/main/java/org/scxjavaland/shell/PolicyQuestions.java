package org.scxjavaland.shell;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.scxjavaland.api.OneLine;

/**
 * Asks a policy something for a command (its name, its options, whether proposed options are
 * acceptable) on a small pool of daemon threads, and waits a bounded time: a policy that throws,
 * runs out of heap or does not answer costs the command one line, never the shell's thread. The
 * bound is the connector's for a policy call, {@code scx.connector.hang.ms} (2 s by default). At
 * most {@link #MAX_STUCK} threads may be stuck in policies; past that, questions are refused at once.
 * (The connector asks a registering policy its name the same way, in a class of its own bundle.)
 */
final class PolicyQuestions implements AutoCloseable {

    static final long TIMEOUT_MS = Long.getLong("scx.connector.hang.ms", 2_000);
    static final int MAX_STUCK = 4;

    /** A policy's answer, or why there is none ({@code problem}: "did not answer within 2000 ms", ...). */
    record Answer<T>(T value, String problem) {
        boolean answered() {
            return problem == null;
        }
    }

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, MAX_STUCK, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "scx-shell-policy-question");
                t.setDaemon(true);
                return t;
            });

    /** Asks {@code question}, waiting at most {@link #TIMEOUT_MS}. */
    <T> Answer<T> ask(Callable<T> question) {
        Future<T> future;
        try {
            future = pool.submit(question);
        } catch (RejectedExecutionException e) {
            return new Answer<>(null, "was not asked: " + MAX_STUCK + " earlier calls into policies have not returned");
        } catch (Error e) {
            return new Answer<>(null, "could not be asked (" + OneLine.of(e) + ")");
        }
        try {
            return new Answer<>(future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Answer<>(null, "did not answer within " + TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            return new Answer<>(null, "failed (" + OneLine.of(e.getCause()) + ")");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer<>(null, "was not answered: the command was interrupted");
        }
    }

    /**
     * The answer to {@code question}, or a refusal naming {@code asked} (e.g. "policy deadline's
     * configuration()") and what went wrong.
     */
    <T> T require(String asked, Callable<T> question) {
        Answer<T> answer = ask(question);
        if (!answer.answered()) {
            throw new IllegalStateException(asked + " " + answer.problem());
        }
        return answer.value();
    }

    /** The exception's class and message, on one line. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
