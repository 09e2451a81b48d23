package org.scxjavaland.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.scxjavaland.api.Policy;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;

/**
 * The user-space scheduling path, per task: take an 88-byte queued record (and its ring header)
 * from a RINGBUF laid out as the kernel lays it, decode it, let the deadline policy update its
 * vruntime and deadline and insert it in order, pop the earliest task, and encode a 40-byte
 * dispatched record into a USER_RINGBUF. The policy holds {@code held} tasks between rounds; each
 * operation is one round of {@code batch} tasks queued and {@code batch} dispatched, so JMH's own
 * score is per round: {@link PerTaskTable} runs each case with {@code batch} operations per
 * invocation and prints the figures per task.
 *
 * <p>{@code userSpacePath} leaves the simulated kernel's half (draining the dispatched ring and
 * queueing the batch again) out of the measurement; {@code wholeLoop} includes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class SchedulingPathBenchmark {
    private static final int QUEUED_RING_BYTES = 512 * 1024;
    private static final int DISPATCHED_RING_BYTES = 256 * 1024;

    /** A kernel half and a user-space half joined by two rings, with {@code held} tasks held and {@code batch} running. */
    static final class Loop {
        final SimulatedKernel kernel;
        final UserSpacePath user;
        final int held;
        final int batch;

        Loop(int held, int batch) {
            this(held, batch, new DeadlinePolicy());
        }

        Loop(int held, int batch, Policy policy) {
            this.held = held;
            this.batch = batch;
            RingMemory queued = RingMemory.allocate(QUEUED_RING_BYTES);
            RingMemory dispatched = RingMemory.allocate(DISPATCHED_RING_BYTES);
            kernel = new SimulatedKernel(queued, dispatched, held + batch);
            user = new UserSpacePath(queued, dispatched, policy);
            for (int pid = 1; pid <= held + batch; pid++) {
                kernel.queueNew(pid);
            }
            user.drainQueued();
            user.dispatch(batch);
        }

        int userRound() {
            user.drainQueued();
            return user.dispatch(batch);
        }

        void checkSteadyState() {
            if (user.heldTasks() != held) {
                throw new IllegalStateException("the policy holds " + user.heldTasks() + " tasks, not " + held);
            }
        }
    }

    /** Tasks the policy holds between rounds. */
    @Param({"16", "256", "4096"})
    public int held;

    /**
     * The policy: {@code deadline} (the seed's), or {@code fifo}, whose queue is a ring of records in
     * arrival order: what the path costs when ordering the tasks costs next to nothing.
     */
    @Param({"deadline"})
    public String policy;

    /** Tasks queued and dispatched per round (per invocation). */
    @Param({"1", "8", "64"})
    public int batch;

    Policy newPolicy() {
        switch (policy) {
            case "deadline":
                return new DeadlinePolicy();
            case "fifo":
                return new FifoPolicy();
            default:
                throw new IllegalArgumentException("policy is deadline or fifo, not " + policy);
        }
    }

    @State(Scope.Thread)
    public static class KernelInSetup {
        Loop loop;

        @Setup(Level.Trial)
        public void start(SchedulingPathBenchmark shape) {
            loop = new Loop(shape.held, shape.batch, shape.newPolicy());
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
        public void start(SchedulingPathBenchmark shape) {
            loop = new Loop(shape.held, shape.batch, shape.newPolicy());
        }

        @TearDown(Level.Trial)
        public void check() {
            loop.checkSteadyState();
        }
    }

    /** Decode, policy enqueue and dispatch, encode: the simulated kernel runs in the (unmeasured) setup. */
    @Benchmark
    public int userSpacePath(KernelInSetup state) {
        return state.loop.userRound();
    }

    /** The same, plus the simulated kernel's half: drain the dispatched ring and queue the batch again. */
    @Benchmark
    public int wholeLoop(KernelInLoop state) {
        state.loop.kernel.runDispatched();
        return state.loop.userRound();
    }
}
