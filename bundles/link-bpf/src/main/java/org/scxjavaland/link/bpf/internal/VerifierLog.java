package org.scxjavaland.link.bpf.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scxjavaland.link.bpf.BpfLinkException;

/**
 * The kernel verifier's log of one load of the BPF object (the buffer libbpf has the kernel write
 * it into), and what of it to show when a program is refused: the log is megabytes long, the
 * reason a few lines.
 */
final class VerifierLog {

    private static final int SIZE = 4 << 20;
    private static final int VERDICT_LINES = 20;
    /** Verifier log lines that trace the program ("8: (79) r1 = ...", "; source @ file:16", "from 7 to 9: ...") rather than judge it. */
    private static final Pattern PROGRAM_TRACE = Pattern.compile("^(\\d+: |; |from \\d+ to \\d+:|mark_precise|\\s)");
    private static final Pattern FAILED_PROGRAM = Pattern.compile("prog '([^']+)': BPF program load failed: (.*)");

    private final Memory buffer = new Memory(SIZE);

    private VerifierLog() {
        buffer.setByte(0, (byte) 0);
    }

    /** A log for every program of the opened object {@code obj}, written as the object loads. */
    static VerifierLog of(long obj) {
        VerifierLog log = new VerifierLog();
        for (long prog = Libbpf.bpf_object__next_program(obj, 0); prog != 0; prog = Libbpf.bpf_object__next_program(obj, prog)) {
            Libbpf.bpf_program__set_log_buf(prog, Pointer.nativeValue(log.buffer), SIZE);
        }
        return log;
    }

    /** What the verifier wrote (empty when it wrote nothing). */
    String text() {
        return buffer.getString(0);
    }

    /**
     * What to tell the user when libbpf could not load the object: the program the verifier
     * refused and its verdict, or else libbpf's last message ({@code messages}: libbpf's, captured
     * during the load).
     */
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
            String tail = verdict(verifierLog, VERDICT_LINES);
            return new BpfLinkException("The kernel's verifier rejected scx_javaland's BPF program '" + program + "' (" + reason
                    + "): " + (System.getProperty(BpfSession.OBJECT_PROPERTY) == null
                            ? "this kernel's sched_ext differs from the one bpf/vmlinux.h was made from"
                            : "the object " + BpfSession.OBJECT_PROPERTY + " names does not pass this kernel's verifier")
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
    static String verdict(String log, int n) {
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
}
