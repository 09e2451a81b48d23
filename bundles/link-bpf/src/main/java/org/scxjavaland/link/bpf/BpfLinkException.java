package org.scxjavaland.link.bpf;

/**
 * The BPF link could not start: not root, no sched_ext in this kernel, another scheduler
 * attached, libbpf missing or too old, or the kernel rejected the BPF program. The message is one
 * sentence saying what is wrong and what to do; {@link #detail()} adds what helps a developer
 * (the end of the verifier log), {@link #fullLog()} everything that was collected.
 */
public class BpfLinkException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String detail;
    private final String fullLog;

    public BpfLinkException(String sentence) {
        this(sentence, "", "");
    }

    public BpfLinkException(String sentence, String detail, String fullLog) {
        super(sentence);
        this.detail = detail;
        this.fullLog = fullLog;
    }

    /** A few lines that explain the failure (e.g. the verifier log's last lines); may be empty. */
    public String detail() {
        return detail;
    }

    /** The whole log collected (e.g. the full verifier log); may be empty. */
    public String fullLog() {
        return fullLog;
    }
}
