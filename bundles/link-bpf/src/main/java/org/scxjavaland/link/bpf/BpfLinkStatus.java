package org.scxjavaland.link.bpf;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What became of the BPF link that the configuration (PID {@value BpfOptions#PID}) asked for. The
 * link's component registers this service while it is configured, so that whoever started the
 * host (the launcher) can tell a link that is still loading from one that could not start, and
 * say why in the link's own words. A failure when the component is first configured is reported
 * here only (the log has it at debug level); one after a change of configuration is logged as an
 * error too, since nobody may be watching then.
 */
@ProviderType
public interface BpfLinkStatus {

    /** True once the BPF side is loaded and the link is registered as a {@code KernelLink}. */
    boolean ready();

    /**
     * Why the link could not be started, in one sentence saying what to do (the message of the
     * {@link BpfLinkException}); null while it is loading or running.
     */
    String failure();

    /** A few lines that explain {@link #failure()} (e.g. the verifier log's end); empty if none. */
    String failureDetail();

    /** Everything collected about {@link #failure()} (e.g. the whole verifier log); empty if none. */
    String failureLog();
}
