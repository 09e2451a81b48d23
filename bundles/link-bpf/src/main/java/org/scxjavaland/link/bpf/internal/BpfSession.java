package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scxjavaland.link.LinkCounters;
import org.scxjavaland.link.bpf.BpfLinkException;
import org.scxjavaland.link.bpf.BpfOptions;
import org.scxjavaland.link.bpf.internal.Layout.Config;
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

    static final long SCX_OPS_ENQ_LAST = 1L << 1;
    static final long SCX_OPS_SWITCH_PARTIAL = 1L << 3;
    static final long SCX_OPS_BUILTIN_IDLE_PER_NODE = 1L << 6;
    /** Bit of the exit code by which the BPF side (or the kernel) asks user space to start again. */
    private static final long SCX_ECODE_ACT_RESTART = 1L << 48;

    private static final int VERIFIER_LOG_SIZE = 4 << 20;
    private static final int LOG_TAIL_LINES = 20;
    /** Verifier log lines that trace the program ("8: (79) r1 = ...", "; source @ file:16", "from 7 to 9: ...") rather than judge it. */
    private static final Pattern PROGRAM_TRACE = Pattern.compile("^(\\d+: |; |from \\d+ to \\d+:|mark_precise|\\s)");
    private static final Pattern FAILED_PROGRAM = Pattern.compile("prog '([^']+)': BPF program load failed: (.*)");

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
        List<String> mismatches = Layout.mismatches(btf);
        if (!mismatches.isEmpty()) {
            throw new BpfLinkException("The BPF object does not match this build of link-bpf (" + mismatches.get(0)
                    + "): rebuild bpf/ and link-bpf together.", String.join("\n", mismatches), "");
        }
        long opsMap = map(obj, "javaland_ops");
        Pointer cfg = setConfig(options, obj, btf, hostTgid);
        setOps(options, opsMap, cfg, schedExt);
        long dumpMap = map(obj, ".data.exit_dump");
        if (Libbpf.bpf_map__value_size(dumpMap) != options.effectiveExitDumpLen()) {
            int err = Libbpf.bpf_map__set_value_size(dumpMap, options.effectiveExitDumpLen());
            if (err != 0) {
                throw new BpfLinkException("Sizing the exit dump buffer to " + options.effectiveExitDumpLen() + " bytes failed ("
                        + LibC.strerror(-err) + "): choose another exit_dump_len.");
            }
        }

        Memory verifierLog = new Memory(VERIFIER_LOG_SIZE);
        verifierLog.setByte(0, (byte) 0);
        for (long prog = Libbpf.bpf_object__next_program(obj, 0); prog != 0; prog = Libbpf.bpf_object__next_program(obj, prog)) {
            Libbpf.bpf_program__set_log_buf(prog, Pointer.nativeValue(verifierLog), VERIFIER_LOG_SIZE);
        }
        LibbpfLog.startCapture();
        int err = Libbpf.bpf_object__load(obj);
        List<String> messages = LibbpfLog.stopCapture();
        if (err != 0) {
            throw loadFailure(err, messages, verifierLog.getString(0));
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

    /** Writes the options into the .rodata variable {@code cfg} and returns where it is. */
    private static Pointer setConfig(BpfOptions options, long obj, Btf btf, int hostTgid) throws BpfLinkException {
        long base = initialValue(map(obj, ".rodata"));
        if (base == 0) {
            throw new BpfLinkException("libbpf gave no access to the BPF object's options (.rodata): rebuild link-bpf.");
        }
        Pointer cfg = new Pointer(base + variableOffset(btf, ".rodata", "cfg"));
        cfg.setLong(Config.SLICE_NS, options.sliceUsMin() * 1000L);
        cfg.setInt(Config.HOST_TGID, hostTgid);
        cfg.setInt(Config.EXIT_DUMP_LEN, options.effectiveExitDumpLen());
        cfg.setByte(Config.BUILTIN_IDLE, (byte) (options.builtinIdle() ? 1 : 0));
        cfg.setByte(Config.NUMA_LOCAL, (byte) (options.numaLocal() ? 1 : 0));
        cfg.setByte(Config.PARTIAL, (byte) (options.partial() ? 1 : 0));
        cfg.setByte(Config.DEBUG, (byte) (options.verbose() ? 1 : 0));
        cfg.setInt(Config.USER_STALL_MS, options.userStallMs());
        return cfg;
    }

    /** Writes flags, exit dump length, watchdog timeout and hotplug sequence into the struct_ops map's data. */
    private static void setOps(BpfOptions options, long opsMap, Pointer cfg, Path schedExt) throws BpfLinkException {
        long data = initialValue(opsMap);
        if (data == 0) {
            throw new BpfLinkException("libbpf gave no access to the scheduler's struct_ops data: install libbpf 1.4 or later.");
        }
        Pointer ops = new Pointer(data);
        int flagsOff = cfg.getInt(Config.OPS_FLAGS_OFF);
        long flags = ops.getLong(flagsOff);
        if (options.partial()) {
            flags |= SCX_OPS_SWITCH_PARTIAL;
        }
        if (options.numaLocal()) {
            flags |= SCX_OPS_BUILTIN_IDLE_PER_NODE;
        }
        ops.setLong(flagsOff, flags);
        ops.setInt(cfg.getInt(Config.OPS_EXIT_DUMP_LEN_OFF), options.exitDumpLen());
        ops.setInt(cfg.getInt(Config.OPS_TIMEOUT_MS_OFF), options.timeoutMs());
        String seq = Preflight.read(schedExt.resolve("hotplug_seq"));
        if (!seq.isEmpty()) {
            // A hotplug between this read and the attach makes the kernel refuse us with a restart request.
            ops.setLong(cfg.getInt(Config.OPS_HOTPLUG_SEQ_OFF), Long.parseUnsignedLong(seq));
        }
    }

    static BpfLinkException loadFailure(int err, List<String> messages, String verifierLog) {
        String program = null;
        String reason = LibC.strerror(-err);
        for (String message : messages) {
            Matcher m = FAILED_PROGRAM.matcher(message);
            if (m.find()) {
                program = m.group(1);
                reason = m.group(2).trim();
            }
        }
        if (program != null) {
            String tail = verifierVerdict(verifierLog, LOG_TAIL_LINES);
            return new BpfLinkException("The kernel's verifier rejected scx_javaland's BPF program '" + program + "' (" + reason
                    + "): " + (System.getProperty(OBJECT_PROPERTY) == null
                            ? "this kernel's sched_ext differs from the one bpf/vmlinux.h was made from"
                            : "the object " + OBJECT_PROPERTY + " names does not pass this kernel's verifier")
                    + "; the verifier says:",
                    tail, verifierLog);
        }
        String last = messages.isEmpty() ? "libbpf said nothing more" : messages.get(messages.size() - 1);
        return new BpfLinkException("libbpf could not load scx_javaland's BPF object (" + reason + "): " + last + ".",
                String.join("\n", messages), String.join("\n", messages));
    }

    /**
     * At most {@code n} lines that say why the verifier refused a program. Newer kernels end the
     * log with a report ("Verification failed: ...", its reason, where, the path there, a
     * suggestion): then the error lines just before it, the report's opening and its location;
     * otherwise the log's last lines, where the error is.
     */
    static String verifierVerdict(String log, int n) {
        List<String> lines = Arrays.asList(log.split("\n"));
        int report = 0;
        while (report < lines.size() && !lines.get(report).startsWith("Verification failed:")) {
            report++;
        }
        if (report == lines.size()) {
            return tail(log, n);
        }
        // Back over the verifier's own words (and blank lines) to the trace of the program.
        int from = report;
        while (from > 0 && (lines.get(from - 1).isBlank() || !PROGRAM_TRACE.matcher(lines.get(from - 1)).find())) {
            from--;
        }
        int to = report;
        while (to < lines.size() && !lines.get(to).trim().equals("Instruction context:")) {
            to++;
        }
        List<String> verdict = new ArrayList<>(lines.subList(from, to));
        verdict.removeIf(String::isBlank);
        return String.join("\n", verdict.subList(0, Math.min(n, verdict.size())));
    }

    /** The last {@code n} non-empty lines of {@code text}. */
    static String tail(String text, int n) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n")));
        lines.removeIf(String::isBlank);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
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
        Preflight.checkNoneAttached(schedExt);
        long start = System.nanoTime();
        long attached = Libbpf.bpf_map__attach_struct_ops(opsMap);
        if (attached == 0) {
            int errno = Native.getLastError();
            String why = shared.exitKind() != 0 ? shared.exitReason() + ": " + shared.exitMessage() : LibC.strerror(errno);
            Preflight.checkNoneAttached(schedExt);
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
