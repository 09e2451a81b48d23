package org.scxjavaland.trace;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads trace files (docs/trace-format.md) into the per-task bursts and sleeps a replay plays. A
 * file cut short (a recorder that was killed, a copy that stopped) reads up to its last whole
 * record: a partial record at the end is left out. Anything else that is wrong is a
 * {@link TraceException} saying which file and what.
 */
public final class TraceFiles {

    private TraceFiles() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws TraceException when it cannot be read, is not a trace, has a format version this
     *     build does not read, or is damaged
     */
    public static Trace read(Path file) throws TraceException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return new Parser(file, in).parse();
        } catch (NoSuchFileException e) {
            throw new TraceException("The trace file " + file + " does not exist.", e);
        } catch (IOException e) {
            throw new TraceException("The trace file " + file + " cannot be read (" + e + ").", e);
        }
    }

    /** One pass over a file. */
    private static final class Parser {
        private final Path file;
        private final InputStream in;
        private long offset;

        Parser(Path file, InputStream in) {
            this.file = file;
            this.in = in;
        }

        Trace parse() throws IOException, TraceException {
            Map<String, String> header = header();
            int cpus = cpus(header.get("cpus"));
            Map<Integer, TaskHistory> tasks = new LinkedHashMap<>();
            Map<Integer, TaskHistory> described = new HashMap<>();
            long ts = 0;
            long origin = -1;
            long end = -1;
            try {
                while (true) {
                    long recordStart = offset;
                    int tag = in.read();
                    if (tag < 0) {
                        break;
                    }
                    offset++;
                    if (tag == TraceFormat.TAG_TASK) {
                        int pid = (int) unsigned();
                        TaskHistory task = described.computeIfAbsent(pid, TaskHistory::new);
                        int tgid = (int) unsigned();
                        long weight = unsigned();
                        int nrCpusAllowed = (int) unsigned();
                        String comm = comm(recordStart);
                        task.tgid = tgid;
                        task.weight = weight;
                        task.nrCpusAllowed = nrCpusAllowed;
                        task.comm = comm;
                    } else if (TraceFormat.kind(tag) != null) {
                        ts += VarInts.unzigzag(unsigned());
                        int pid = (int) unsigned();
                        int cpu = (int) unsigned();
                        TaskHistory task = described.get(pid);
                        if (task == null) {
                            throw damaged("an event of task " + pid + " at byte " + recordStart
                                    + " comes before the task's table entry");
                        }
                        if (origin < 0) {
                            origin = ts;
                        }
                        tasks.putIfAbsent(pid, task);
                        task.on(TraceFormat.kind(tag), ts - origin, cpu);
                    } else if (tag == TraceFormat.TAG_DROPPED) {
                        unsigned();
                    } else if (tag == TraceFormat.TAG_END) {
                        ts += VarInts.unzigzag(unsigned());
                        unsigned();
                        end = ts;
                        break;
                    } else {
                        throw damaged("byte " + recordStart + " holds an unknown record type " + tag);
                    }
                }
            } catch (EOFException e) {
                // Cut short inside the last record: what came before it stands.
            }
            long durationNs = origin < 0 ? 0 : Math.max(0, (end >= 0 ? end : ts) - origin);
            List<TracedTask> traced = new ArrayList<>(tasks.size());
            for (TaskHistory task : tasks.values()) {
                TracedTask one = task.toTracedTask(durationNs);
                if (one != null) {
                    traced.add(one);
                }
            }
            return new Trace(TraceFormat.VERSION, cpus, source(header), durationNs, traced);
        }

        private Map<String, String> header() throws IOException, TraceException {
            String first = line();
            if (first == null || !first.startsWith(TraceFormat.MAGIC)) {
                throw new TraceException("The file " + file + " is not a scx_javaland trace (it does not begin with '"
                        + TraceFormat.MAGIC + "N').");
            }
            String version = first.substring(TraceFormat.MAGIC.length());
            if (!version.equals(Integer.toString(TraceFormat.VERSION))) {
                throw new TraceException("The trace file " + file + " has format version " + version
                        + ", and this build reads version " + TraceFormat.VERSION + " only.");
            }
            Map<String, String> header = new HashMap<>();
            while (true) {
                String line = line();
                if (line == null) {
                    throw new TraceException("The trace file " + file + " ends inside its header.");
                }
                if (line.isEmpty()) {
                    return header;
                }
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    header.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
        }

        private int cpus(String value) throws TraceException {
            try {
                int cpus = Integer.parseInt(value == null ? "" : value.trim());
                if (cpus >= 1) {
                    return cpus;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new TraceException("The trace file " + file + " gives no valid number of CPUs in its header ('cpus: "
                    + value + "').");
        }

        private static String source(Map<String, String> header) {
            return "kernel " + header.getOrDefault("kernel", "unknown") + ", link " + header.getOrDefault("link", "unknown")
                    + ", policy " + header.getOrDefault("policy", "unknown") + ", started "
                    + header.getOrDefault("started", "unknown");
        }

        /** One header line without its newline; null at the end of the file. */
        private String line() throws IOException, TraceException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                offset++;
                if (b == '\n') {
                    return bytes.toString(StandardCharsets.UTF_8);
                }
                if (bytes.size() >= TraceFormat.MAX_HEADER_LINE) {
                    throw new TraceException("The file " + file + " is not a scx_javaland trace (its header has a line of"
                            + " over " + TraceFormat.MAX_HEADER_LINE + " bytes).");
                }
                bytes.write(b);
            }
        }

        private long unsigned() throws IOException, TraceException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException();
                }
                offset++;
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw damaged("a number near byte " + offset + " runs over 10 bytes");
        }

        private String comm(long recordStart) throws IOException, TraceException {
            int length = in.read();
            if (length < 0) {
                throw new EOFException();
            }
            offset++;
            if (length > TraceFormat.COMM_MAX) {
                throw damaged("the task name at byte " + recordStart + " claims " + length + " bytes, more than "
                        + TraceFormat.COMM_MAX);
            }
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new EOFException();
            }
            offset += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private TraceException damaged(String what) {
            return new TraceException("The trace file " + file + " is damaged: " + what + ".");
        }
    }
}
