package org.scxjavaland.connector.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work another thread asks of the scheduling thread (a swap, a CPU query), done between two
 * rounds; or, when no scheduling thread runs, done on the asking thread.
 */
final class Request<T> {

    private final Function<SchedulingLoop, T> onLoop;
    private final Supplier<T> offline;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    /**
     * @param onLoop what the scheduling thread does
     * @param offline what to do instead when no scheduling thread runs
     */
    Request(Function<SchedulingLoop, T> onLoop, Supplier<T> offline) {
        this.onLoop = onLoop;
        this.offline = offline;
    }

    /** On the scheduling thread. */
    void serve(SchedulingLoop loop) {
        try {
            result.complete(onLoop.apply(loop));
        } catch (CallState.Abandoned e) {
            throw e;        // the thread was abandoned in a policy call: the loop's new thread answers
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    /** When no scheduling thread will serve it. */
    void serveOffline() {
        try {
            result.complete(offline.get());
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    /** Waits for the result; rethrows what the work threw. */
    T await(long timeoutMs) throws TimeoutException, InterruptedException {
        try {
            return result.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }
}
