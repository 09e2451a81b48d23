package org.scxjavaland.connector.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.example.scx.fair.FairPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.Policy;
import org.scxjavaland.api.QueuedTask;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.scxjavaland.link.bpf.ring.RingReader;
import org.scxjavaland.policy.deadline.DeadlinePolicy;
import org.scxjavaland.policy.fifo.FifoPolicy;

/**
 * Fuzzes the whole scheduling round with bad records from the kernel side: damaged ring headers
 * (a wrong length word, a record left busy, a record the producer position cuts) and records
 * whose values no task has (pid 0 or below, weight, CPU or affinity out of range) or that are
 * merely odd (random timestamps, vtimes, flags, enqueue counters), mixed with good records, read
 * through the real ring reader and decoder by the real scheduling loop and one of the real
 * policies. No exception may escape the loop (it would stop the scheduling thread), no policy may
 * fail, every record that names a task must be dispatched exactly once, and every bad record must
 * be counted once, by the ring reader or by the connector.
 */
public class DamagedRecordsRoundFuzzTest {

    private static final int NR_CPUS = 4;
    private static final int RING_SIZE = 4096;
    private static final int SPAN = RingMemory.recordSpan(QueuedRecord.SIZE);
    private static final int BATCH = (RING_SIZE - 1) / SPAN;
    private static final AtomicLong RECORDS = new AtomicLong();
    private static final AtomicLong BAD = new AtomicLong();

    enum Damage {
        /** A good record. */
        NONE,
        /** Random values in every field but the pid: odd, but a task. */
        ODD_VALUES,
        /** pid 0 or below. */
        NO_PID,
        /** A value no task has: weight, CPU or affinity out of range (and random elsewhere). */
        OUT_OF_RANGE,
        /** The length word says another length. */
        LENGTH,
        /** Never committed. */
        STUCK_BUSY,
        /** The producer position cuts the record (only last in a batch). */
        TORN
    }

    record Op(Damage damage, long a, long b, long c, int which) {
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Damage> damage = Arbitraries.frequency(Tuple.of(10, Damage.NONE), Tuple.of(3, Damage.ODD_VALUES),
                Tuple.of(1, Damage.NO_PID), Tuple.of(3, Damage.OUT_OF_RANGE), Tuple.of(1, Damage.LENGTH),
                Tuple.of(1, Damage.STUCK_BUSY), Tuple.of(1, Damage.TORN));
        Arbitrary<Long> any = Arbitraries.longs();
        return Combinators.combine(damage, any, any, any, Arbitraries.integers().between(0, 2)).as(Op::new);
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of("deadline", "fifo", "fair");
    }

    @Property(tries = 150)
    void noBadRecordStopsTheLoopOrAPolicyLosesATaskOrGoesUncounted(
            @ForAll @Size(min = 1, max = 120) List<@From("ops") Op> ops, @ForAll("policies") String policy)
            throws Exception {
        DamagingLink link = new DamagingLink(ops);
        try (Scheduler scheduler = new Scheduler(policy)) {
            scheduler.addPolicy(newPolicy(policy));
            scheduler.attach(link);
            assertTrue("the scheduling thread ended", scheduler.awaitLoopEnd(60_000));

            assertEquals("the link ran to its end (the loop did not stop on an exception)", "done",
                    link.exitReason());
            assertNull("no policy failed", scheduler.lastFailure());
            assertEquals("bad values counted by the connector", link.badValues, scheduler.badRecords());
            assertEquals("damaged records counted by the ring reader", link.damaged, link.reader.badRecords());
            for (int pid = 1; pid <= ops.size(); pid++) {
                assertEquals("dispatches of pid " + pid + " (" + link.kinds[pid] + ")", link.tasks[pid] ? 1 : 0,
                        link.dispatches[pid]);
            }
            if (link.badValues > 0) {
                String line = scheduler.lastBadRecord();
                assertTrue(line, line.startsWith("The fuzz link queued a bad record (pid "));
            }
        }
        RECORDS.addAndGet(ops.size());
        BAD.addAndGet(link.badValues + link.damaged);
    }

    @AfterContainer
    static void report() {
        System.out.println("scheduling-round fuzzing: " + RECORDS.get() + " records through the loop, " + BAD.get()
                + " of them bad, each counted, no exception escaped, no task lost");
    }

    private static Policy newPolicy(String name) {
        Supplier<Policy> make = switch (name) {
            case "deadline" -> DeadlinePolicy::new;
            case "fifo" -> FifoPolicy::new;
            default -> FairPolicy::new;
        };
        return make.get();
    }

    /**
     * The kernel side as a ring of records in memory the test owns: each round it writes the next
     * batch of the test's records (once the reader has taken the last one), good or damaged; it
     * counts each pid's dispatches, and exits once every record was written and read and user
     * space holds nothing. The ring reader's clock moves one stuck-record limit a round, so a
     * record left busy is given up on the next round; the machine's clock, 10 us a round.
     */
    static final class DamagingLink implements KernelLink {
        private final List<Op> ops;
        private final ByteBuffer consumerPage = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        private final ByteBuffer producerPage = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        private final ByteBuffer data = ByteBuffer.allocateDirect(RING_SIZE).order(ByteOrder.nativeOrder());
        private final ByteBuffer payload = ByteBuffer.allocate(QueuedRecord.SIZE).order(ByteOrder.nativeOrder());
        private final RingMemory memory = RingMemory.of(consumerPage, producerPage, data, RING_SIZE);
        private long clock;
        final RingReader reader = new RingReader(memory, QueuedRecord.SIZE, () -> clock);
        private long position;
        private int next;
        private int rounds;
        /** Per pid (1..n): whether its record names a task, what was done to it, its dispatches. */
        final boolean[] tasks;
        final Damage[] kinds;
        final int[] dispatches;
        long badValues;
        long damaged;
        private volatile String exitReason;

        DamagingLink(List<Op> ops) {
            this.ops = ops;
            tasks = new boolean[ops.size() + 1];
            kinds = new Damage[ops.size() + 1];
            dispatches = new int[ops.size() + 1];
        }

        @Override
        public boolean dequeue(QueuedTask into) {
            return QueuedRecord.read(reader, into);
        }

        @Override
        public boolean dispatch(DispatchedTask task) {
            int pid = task.pid();
            if (pid > 0 && pid < dispatches.length) {
                dispatches[pid]++;
            }
            return true;
        }

        @Override
        public void notifyComplete(long nrPending) {
            rounds++;
            clock += RingReader.STUCK_BUSY_NS;
            boolean ringEmpty = memory.consumerPosition() == memory.producerPosition();
            if (ringEmpty && next < ops.size()) {
                writeBatch();
            } else if (ringEmpty && nrPending == 0) {
                exitReason = "done";
            } else if (rounds > 100_000) {
                exitReason = "stuck: " + nrPending + " tasks held, " + memory.pendingBytes() + " bytes queued";
            }
        }

        private void writeBatch() {
            int inBatch = 0;
            while (next < ops.size() && inBatch++ < BATCH) {
                Op op = ops.get(next++);
                int pid = next;     // 1..n, one record each
                kinds[pid] = op.damage;
                QueuedTask t = new QueuedTask().pid(pid).cpu(pid % NR_CPUS).nrCpusAllowed(NR_CPUS).flags(0)
                        .startTs(1_000L * pid).stopTs(1_000L * pid + 500).execRuntime(500)
                        .weight(QueuedTask.DEFAULT_WEIGHT).vtime(0).enqCnt(1).comm("fuzz-" + pid);
                int lengthWord = QueuedRecord.SIZE;
                int cut = 0;
                switch (op.damage) {
                    case NONE -> tasks[pid] = true;
                    case ODD_VALUES -> {
                        t.flags(op.a).startTs(op.b).stopTs(op.c).execRuntime(op.a ^ op.b).vtime(op.c ^ op.a)
                                .enqCnt(op.b ^ op.c);
                        for (int i = 0; i < QueuedTask.COMM_LEN; i++) {
                            t.commByte(i, (byte) (op.a >>> (i * 4)));
                        }
                        tasks[pid] = true;
                    }
                    case NO_PID -> {
                        t.pid((int) -Math.abs(op.a % 1_000_000));
                        badValues++;
                    }
                    case OUT_OF_RANGE -> {
                        t.vtime(op.b).startTs(op.c).stopTs(op.a).enqCnt(op.a);
                        switch (op.which) {
                            case 0 -> t.weight(op.a >= 1 && op.a <= 10_000 ? 0 : op.a);
                            case 1 -> t.cpu((int) (op.b >= 0 && op.b < NR_CPUS ? -1 : op.b));
                            default -> t.nrCpusAllowed(op.c >= 1 && op.c <= NR_CPUS ? 0 : op.c);
                        }
                        tasks[pid] = true;
                        badValues++;
                    }
                    case LENGTH -> {
                        lengthWord = (int) (op.a & 0x3fff_ffff);
                        lengthWord = lengthWord == QueuedRecord.SIZE ? QueuedRecord.SIZE + 8 : lengthWord;
                        damaged++;
                    }
                    case STUCK_BUSY -> {
                        lengthWord |= RingMemory.BUSY_BIT;
                        damaged++;
                    }
                    case TORN -> {
                        cut = 8 * (1 + Math.floorMod(op.a, SPAN / 8 - 1));
                        lengthWord = (int) op.b;
                        damaged++;
                        inBatch = BATCH;
                    }
                }
                place(t, lengthWord);
                position += cut == 0 ? SPAN : cut;
            }
            producerPage.putLong(0, position);
        }

        private void place(QueuedTask t, int lengthWord) {
            QueuedRecord.encode(t, payload, 0);
            int header = (int) (position & (RING_SIZE - 1));
            data.putInt(header, lengthWord);
            data.putInt(header + 4, 0);
            for (int i = 0; i < QueuedRecord.SIZE; i++) {
                data.put((header + RingMemory.HEADER_SIZE + i) & (RING_SIZE - 1), payload.get(i));
            }
        }

        @Override public String kind() { return "fuzz"; }
        @Override public int nrCpus() { return NR_CPUS; }
        @Override public long now() { return rounds * 10_000L; }
        @Override public int selectCpu(int pid, int prevCpu, long flags) { return pid % 2 == 0 ? prevCpu : -1; }
        @Override public void wakeup() { }
        @Override public boolean exited() { return exitReason != null; }
        @Override public String exitReason() { return exitReason; }
        @Override public LinkCounters counters() { return LinkCounters.ZERO; }
        @Override public void setBypass(boolean bypass) { }
    }
}
