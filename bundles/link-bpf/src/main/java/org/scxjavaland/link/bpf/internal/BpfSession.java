package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.bpf.BpfLinkException;
import org.scxjavaland.link.bpf.BpfOptions;
import org.scxjavaland.link.bpf.ring.QueuedRecord;
import org.scxjavaland.link.bpf.ring.RingMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded instance of scx_javaland's BPF object: opened and configured through libbpf, loaded
 * into the kernel, its shared variables and rings mapped into this process; then attached as the
 * machine's sched_ext scheduler, and detached. A restart (CPU hotplug) makes a new session.
 *
 * <p>Not thread-safe: the link serializes the calls that change its state.
 */
public final class BpfSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfSession.class);

    /** The object inside this bundle. */
    static final String OBJECT_RESOURCE = "javaland.bpf.o";
    /** A system property naming an object file to load instead (for development). */
    public static final String OBJECT_PROPERTY = "scx.bpf.object";

    /** Bit of the exit code by which the BPF side (or the kernel) asks user space to start again. */
    private static final long SCX_ECODE_ACT_RESTART = 1L << 48;

    private final Memory objectImage;
    private final long obj;
    private final long opsMap;
    private final MappedArray bss;
    private final SharedArea shared;
    private final MappedArray exitDump;
    private final MappedRing queued;
    private final MappedRing dispatched;
    private final MappedRing taskEvents;
    private final int queuedFd;
    private final int pickCpuFd;
    private final int wakeupFd;
    private final int nrCpus;
    private final long loadNanos;
    private final IdleCpuPicker picker;
    private final IdleCpuPicker wakeupRunner;
    private final PartialWait partialWait;
    private long link;
    private long attachNanos;
    private boolean closed;

    private BpfSession(Memory objectImage, long obj, long opsMap, MappedArray bss, SharedArea shared, MappedArray exitDump,
            MappedRing queued, MappedRing dispatched, MappedRing taskEvents, int queuedFd, int pickCpuFd, int wakeupFd,
            long loadNanos, boolean partial) {
        this.objectImage = objectImage;
        this.obj = obj;
        this.opsMap = opsMap;
        this.bss = bss;
        this.shared = shared;
        this.exitDump = exitDump;
        this.queued = queued;
        this.dispatched = dispatched;
        this.taskEvents = taskEvents;
        this.queuedFd = queuedFd;
        this.pickCpuFd = pickCpuFd;
        this.wakeupFd = wakeupFd;
        this.nrCpus = Math.max(1, Libbpf.libbpf_num_possible_cpus());
        this.loadNanos = loadNanos;
        this.picker = new IdleCpuPicker(pickCpuFd);
        this.wakeupRunner = new IdleCpuPicker(wakeupFd);
        this.partialWait = partial ? new PartialWait(queuedFd) : null;
    }

    /** The BPF object this bundle carries (or the file named by {@value #OBJECT_PROPERTY}). */
    public static byte[] bundledObject() throws BpfLinkException {
        String override = System.getProperty(OBJECT_PROPERTY);
        try {
            if (override != null && !override.isBlank()) {
                return Files.readAllBytes(Path.of(override));
            }
            try (InputStream in = BpfSession.class.getResourceAsStream(OBJECT_RESOURCE)) {
                if (in == null) {
                    throw new BpfLinkException("The BPF object " + OBJECT_RESOURCE
                            + " is missing from the link-bpf bundle: rebuild it with clang-19 installed (see bpf/README.md).");
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new BpfLinkException("Reading the BPF object failed (" + e.getMessage() + "): check " + OBJECT_PROPERTY + ".");
        }
    }

    /**
     * Opens the object, sets the options, loads it into the kernel and maps what user space uses.
     * Nothing is attached yet.
     *
     * @param hostTgid the process whose threads the BPF side always dispatches itself
     */
    public static BpfSession load(BpfOptions options, byte[] object, int hostTgid, Path schedExt) throws BpfLinkException {
        LibbpfLog.install(options.verbose());
        long start = System.nanoTime();
        Memory image = image(object);
        long obj = open(image);
        boolean done = false;
        try {
            BpfSession session = configureAndLoad(options, image, obj, hostTgid, schedExt, start);
            done = true;
            return session;
        } finally {
            if (!done) {
                Libbpf.bpf_object__close(obj);
            }
        }
    }

    /** The object's bytes in native memory, which must stay reachable while libbpf opens it. */
    static Memory image(byte[] object) {
        Memory image = new Memory(object.length);
        image.write(0, object, 0, object.length);
        return image;
    }

    /** Opens (parses, does not load) the object: needs libbpf, not root. */
    static long open(Memory image) throws BpfLinkException {
        Memory name = new Memory(16);
        name.setString(0, "javaland");
        Memory openOpts = new Memory(16);
        openOpts.setLong(0, 16);
        openOpts.setPointer(8, name);
        long obj = Libbpf.bpf_object__open_mem(Pointer.nativeValue(image), image.size(), Pointer.nativeValue(openOpts));
        if (obj == 0) {
            throw new BpfLinkException("libbpf could not open scx_javaland's BPF object (" + LibC.strerror(Native.getLastError())
                    + "): the bundle's javaland.bpf.o is damaged; rebuild link-bpf.");
        }
        return obj;
    }

    private static BpfSession configureAndLoad(BpfOptions options, Memory image, long obj, int hostTgid, Path schedExt,
            long start) throws BpfLinkException {
        Btf btf = Btf.of(obj);
        List<String> mismatches = BpfLayout.mismatches(btf);
        if (!mismatches.isEmpty()) {
            throw new BpfLinkException("The BPF object does not match this build of link-bpf (" + mismatches.get(0)
                    + "): rebuild bpf/ and link-bpf together.", String.join("\n", mismatches), "");
        }
        long opsMap = map(obj, "javaland_ops");
        Pointer cfg = config(obj, btf);
        ObjectOptions.writeConfig(options, cfg, hostTgid);
        ObjectOptions.writeOps(options, ops(opsMap), cfg, SystemChecks.read(schedExt.resolve("hotplug_seq")));
        long dumpMap = map(obj, ".data.exit_dump");
        if (Libbpf.bpf_map__value_size(dumpMap) != options.effectiveExitDumpLen()) {
            int err = Libbpf.bpf_map__set_value_size(dumpMap, options.effectiveExitDumpLen());
            if (err != 0) {
                throw new BpfLinkException("Sizing the exit dump buffer to " + options.effectiveExitDumpLen() + " bytes failed ("
                        + LibC.strerror(-err) + "): choose another exit_dump_len.");
            }
        }

        VerifierLog verifierLog = VerifierLog.of(obj);
        LibbpfLog.startCapture();
        int err = Libbpf.bpf_object__load(obj);
        List<String> messages = LibbpfLog.stopCapture();
        if (err != 0) {
            throw VerifierLog.loadFailure(err, messages, verifierLog.text());
        }
        long loadNanos = System.nanoTime() - start;

        MappedArray bss = mapArray(map(obj, ".bss"));
        SharedArea shared = new SharedArea(bss.buffer(), variableOffset(btf, ".bss", "shared"));
        MappedArray exitDump = mapArray(dumpMap);
        long queuedMap = map(obj, "queued");
        long dispatchedMap = map(obj, "dispatched");
        int queuedFd = Libbpf.bpf_map__fd(queuedMap);
        MappedRing queued = MappedRing.kernelToUser(queuedFd, Libbpf.bpf_map__max_entries(queuedMap));
        long taskEventsMap = map(obj, "task_events");
        MappedRing dispatched;
        MappedRing taskEvents;
        try {
            dispatched = MappedRing.userToKernel(Libbpf.bpf_map__fd(dispatchedMap), Libbpf.bpf_map__max_entries(dispatchedMap));
        } catch (IllegalStateException e) {
            queued.close();
            throw new BpfLinkException("Mapping the dispatched ring failed (" + e.getMessage() + "): check the kernel log.");
        }
        try {
            taskEvents = MappedRing.kernelToUser(Libbpf.bpf_map__fd(taskEventsMap), Libbpf.bpf_map__max_entries(taskEventsMap));
        } catch (IllegalStateException e) {
            queued.close();
            dispatched.close();
            throw new BpfLinkException("Mapping the task_events ring failed (" + e.getMessage() + "): check the kernel log.");
        }
        return new BpfSession(image, obj, opsMap, bss, shared, exitDump, queued, dispatched, taskEvents, queuedFd,
                programFd(obj, "jl_pick_idle_cpu"), programFd(obj, "jl_wakeup"), loadNanos, options.partial());
    }

    /** Where the .rodata variable {@code cfg} (the options the BPF side reads) is, before the load. */
    private static Pointer config(long obj, Btf btf) throws BpfLinkException {
        long base = initialValue(map(obj, ".rodata"));
        if (base == 0) {
            throw new BpfLinkException("libbpf gave no access to the BPF object's options (.rodata): rebuild link-bpf.");
        }
        return new Pointer(base + variableOffset(btf, ".rodata", "cfg"));
    }

    /** Where the scheduler's struct_ops data is, before the load. */
    private static Pointer ops(long opsMap) throws BpfLinkException {
        long data = initialValue(opsMap);
        if (data == 0) {
            throw new BpfLinkException("libbpf gave no access to the scheduler's struct_ops data: install libbpf 1.4 or later.");
        }
        return new Pointer(data);
    }

    private static long map(long obj, String name) throws BpfLinkException {
        long map = Libbpf.bpf_object__find_map_by_name(obj, name);
        if (map == 0) {
            throw new BpfLinkException("The BPF object has no map '" + name + "': rebuild bpf/ and link-bpf together.");
        }
        return map;
    }

    private static int variableOffset(Btf btf, String section, String variable) throws BpfLinkException {
        int offset = btf.variableOffset(section, variable);
        if (offset < 0) {
            throw new BpfLinkException("The BPF object has no variable '" + variable + "' in " + section
                    + ": rebuild bpf/ and link-bpf together.");
        }
        return offset;
    }

    /** bpf_map__initial_value: libbpf writes the size through the pointer, which must not be NULL. */
    private static long initialValue(long map) {
        Memory size = new Memory(8);
        return Libbpf.bpf_map__initial_value(map, Pointer.nativeValue(size));
    }

    private static MappedArray mapArray(long map) throws BpfLinkException {
        try {
            return MappedArray.of(Libbpf.bpf_map__fd(map), Libbpf.bpf_map__value_size(map));
        } catch (IllegalStateException e) {
            throw new BpfLinkException("Mapping the BPF side's shared variables failed (" + e.getMessage()
                    + "): the kernel must allow mmap of BPF array maps (Linux 5.5 or later).");
        }
    }

    private static int programFd(long obj, String name) throws BpfLinkException {
        long prog = Libbpf.bpf_object__find_program_by_name(obj, name);
        if (prog == 0) {
            throw new BpfLinkException("The BPF object has no program '" + name + "': rebuild bpf/ and link-bpf together.");
        }
        return Libbpf.bpf_program__fd(prog);
    }

    /**
     * Attaches the scheduler: from now on the kernel runs every task (or the SCHED_EXT ones, when
     * partial) through it.
     */
    public void attach(Path schedExt) throws BpfLinkException {
        if (link != 0) {
            return;
        }
        SystemChecks.checkNoneAttached(schedExt);
        long start = System.nanoTime();
        long attached = Libbpf.bpf_map__attach_struct_ops(opsMap);
        if (attached == 0) {
            int errno = Native.getLastError();
            String why = shared.exitKind() != 0 ? shared.exitReason() + ": " + shared.exitMessage() : LibC.strerror(errno);
            SystemChecks.checkNoneAttached(schedExt);
            throw new BpfLinkException("The kernel refused to attach scx_javaland's scheduler (" + why
                    + "): look at the kernel log (dmesg) for sched_ext's explanation.");
        }
        link = attached;
        attachNanos = System.nanoTime() - start;
        LOG.info("scx_javaland's BPF scheduler is attached (load {} ms, attach {} ms).", loadNanos / 1_000_000,
                attachNanos / 1_000_000);
    }

    /** Detaches the scheduler (every task returns to the fair class); the session stays readable. */
    public void detach() {
        if (link != 0) {
            Libbpf.bpf_link__destroy(link);
            link = 0;
        }
    }

    public boolean attached() {
        return link != 0;
    }

    public SharedArea shared() {
        return shared;
    }

    /** Whether the scheduler's exit (if it exited) asks user space to start it again (CPU hotplug). */
    public boolean restartRequested() {
        return (shared.exitCode() & SCX_ECODE_ACT_RESTART) != 0;
    }

    /** The BPF side's counters, and the tasks waiting in the queued ring (counted from its positions). */
    public LinkCounters counters() {
        return shared.counters(queued.memory().pendingBytes() / RingMemory.recordSpan(QueuedRecord.SIZE));
    }

    public RingMemory queuedMemory() {
        return queued.memory();
    }

    public RingMemory dispatchedMemory() {
        return dispatched.memory();
    }

    /** The ring of task events the BPF side writes while recording (see SharedArea#setRecordEvents). */
    public RingMemory taskEventsMemory() {
        return taskEvents.memory();
    }

    /** An idle CPU for the task, or a negative number (scheduling thread only: reuses its buffers). */
    public int pickIdleCpu(int pid, int prevCpu, long flags) {
        return picker.run(pid, prevCpu, flags);
    }

    /** {@link #pickIdleCpu} for any other thread (allocates its buffers). */
    public int pickIdleCpuFromAnyThread(int pid, int prevCpu, long flags) {
        return new IdleCpuPicker(pickCpuFd).run(pid, prevCpu, flags);
    }

    /** Makes a parked scheduling thread run soon (call under the link's lock). */
    public void wakeup() {
        wakeupRunner.run(0, 0, 0);
        if (partialWait != null) {
            partialWait.wakeup();
        }
    }

    /**
     * Where the scheduling thread rests between rounds. It yields; the BPF side holds it back
     * until there is work, or a second at most. In partial mode the thread is not scheduled by
     * us: it sleeps on the queued ring's fd instead (or just yields while it holds tasks).
     */
    public void rest(long nrPending) {
        if (partialWait == null) {
            shared.announceYield();
            LibC.sched_yield();
        } else if (nrPending > 0) {
            LibC.sched_yield();
        } else {
            partialWait.await();
        }
    }

    /** Why the scheduler stopped, in one line: the kernel's reason, its message and the exit kind. */
    public String exitLine() {
        String reason = shared.exitReason();
        String message = shared.exitMessage();
        long code = shared.exitCode();
        return (reason.isEmpty() ? "stopped" : reason) + (message.isEmpty() ? "" : ": " + message)
                + " (exit kind " + shared.exitKind() + (code == 0 ? "" : ", code 0x" + Long.toHexString(code)) + ")";
    }

    public int nrCpus() {
        return nrCpus;
    }

    public long loadNanos() {
        return loadNanos;
    }

    public long attachNanos() {
        return attachNanos;
    }

    /** The kernel's debug dump at exit (empty while attached, or when there was none). */
    public String exitDump() {
        return SharedArea.cString(exitDump.buffer(), 0, exitDump.buffer().capacity());
    }

    /** Detaches, unmaps and frees everything; nothing of this session may be used afterwards. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        detach();
        queued.close();
        dispatched.close();
        taskEvents.close();
        bss.close();
        exitDump.close();
        if (partialWait != null) {
            partialWait.close();
        }
        Libbpf.bpf_object__close(obj);
        // Keeps the object image reachable until libbpf is done with it.
        objectImage.clear();
    }
}
