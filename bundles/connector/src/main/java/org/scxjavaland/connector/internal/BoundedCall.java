package org.scxjavaland.connector.internal;

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
 * Asks a policy something from a thread that must not hang with it (SCR's, as a policy service
 * registers): the question runs on a small pool of daemon threads and the asker waits a bounded
 * time. A policy that throws, runs out of heap or does not answer becomes a phrase for one log
 * line. A thread stuck in a policy stays stuck, but at most {@link #MAX_STUCK} of them: past that,
 * questions are refused at once.
 */
final class BoundedCall implements AutoCloseable {

    /** Threads that may be busy in policies at once. */
    static final int MAX_STUCK = 4;

    /** A policy's answer, or why there is none ({@code problem}: "did not answer within 2000 ms", ...). */
    record Answer<T>(T value, String problem) {
        boolean answered() {
            return problem == null;
        }
    }

    private final ThreadPoolExecutor pool;

    /** @param threadName the name of the pool's threads, as a thread dump shows them */
    BoundedCall(String threadName) {
        pool = new ThreadPoolExecutor(0, MAX_STUCK, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks {@code question}, waiting at most {@code timeoutMs}. */
    <T> Answer<T> ask(Callable<T> question, long timeoutMs) {
        Future<T> future;
        try {
            future = pool.submit(question);
        } catch (RejectedExecutionException e) {
            return new Answer<>(null, pool.isShutdown() ? "was not asked: the connector is stopping"
                    : "was not asked: " + MAX_STUCK + " earlier calls into policies have not returned");
        } catch (Error e) {
            return new Answer<>(null, "could not be asked (" + OneLine.of(e) + ")");
        }
        try {
            return new Answer<>(future.get(timeoutMs, TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Answer<>(null, "did not answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            return new Answer<>(null, "failed (" + OneLine.of(e.getCause()) + ")");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer<>(null, "was not answered: the asking thread was interrupted");
        }
    }

    /** Stops the idle threads; one stuck in a policy ends when its call returns. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
