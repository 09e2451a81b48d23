package org.scxjavaland.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scxjavaland.link.RingMemory;
import org.scxjavaland.policy.deadline.DeadlinePolicy;

/**
 * The user-space scheduling path, per task: take an 88-byte queued record (and its ring header)
 * from a RINGBUF laid out as the kernel lays it, decode it, let the deadline policy update its
 * vruntime and deadline and insert it in order, pop the earliest task, and encode a 40-byte
 * dispatched record into a USER_RINGBUF. The policy holds 256 tasks; each operation is a batch of
 * 64 tasks queued and 64 dispatched, and scores are per task ({@link OperationsPerInvocation}).
 *
 * <p>{@code userSpacePath} leaves the simulated kernel's half (draining the dispatched ring and
 * queueing the batch again) out of the measurement; {@code wholeLoop} includes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class SchedulingPathBenchmark {
    static final int HELD = 256;
    static final int BATCH = 64;
    private static final int QUEUED_RING_BYTES = 512 * 1024;
    private static final int DISPATCHED_RING_BYTES = 256 * 1024;

    /** A kernel half and a user-space half joined by two rings, with HELD tasks held and BATCH running. */
    static final class Loop {
        final SimulatedKernel kernel;
        final UserSpacePath user;

        Loop() {
            RingMemory queued = RingMemory.allocate(QUEUED_RING_BYTES);
            RingMemory dispatched = RingMemory.allocate(DISPATCHED_RING_BYTES);
            kernel = new SimulatedKernel(queued, dispatched, HELD + BATCH);
            user = new UserSpacePath(queued, dispatched, new DeadlinePolicy());
            for (int pid = 1; pid <= HELD + BATCH; pid++) {
                kernel.queueNew(pid);
            }
            user.drainQueued();
            user.dispatch(BATCH);
        }

        int userRound() {
            user.drainQueued();
            return user.dispatch(BATCH);
        }

        void checkSteadyState() {
            if (user.heldTasks() != HELD) {
                throw new IllegalStateException("the policy holds " + user.heldTasks() + " tasks, not " + HELD);
            }
        }
    }

    @State(Scope.Thread)
    public static class KernelInSetup {
        Loop loop;

        @Setup(Level.Trial)
        public void start() {
            loop = new Loop();
        }

        @Setup(Level.Invocation)
        public void kernelQueuesTheBatch() {
            loop.kernel.runDispatched();
        }

        @TearDown(Level.Trial)
        public void check() {
            loop.checkSteadyState();
        }
    }

    @State(Scope.Thread)
    public static class KernelInLoop {
        Loop loop;

        @Setup(Level.Trial)
        public void start() {
            loop = new Loop();
        }

        @TearDown(Level.Trial)
        public void check() {
            loop.checkSteadyState();
        }
    }

    /** Decode, policy enqueue and dispatch, encode: the simulated kernel runs in the (unmeasured) setup. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int userSpacePath(KernelInSetup state) {
        return state.loop.userRound();
    }

    /** The same, plus the simulated kernel's half: drain the dispatched ring and queue the batch again. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int wholeLoop(KernelInLoop state) {
        state.loop.kernel.runDispatched();
        return state.loop.userRound();
    }
}
