package org.scxjavaland.link;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What became of a kernel side that the configuration asked for and that can fail to start (the
 * BPF link: not root, no sched_ext, the verifier). The link's component registers this service
 * while it is configured, so that whoever started the host (the launcher) can tell a link that is
 * still loading from one that could not start, and say why in the link's own words.
 */
@ProviderType
public interface LinkStatus {

    /** True once the kernel side is loaded and the link is registered as a {@link KernelLink}. */
    boolean ready();

    /** Why the link could not be started, in one sentence saying what to do; null while it is loading or running. */
    String failure();

    /** A few lines that explain {@link #failure()} (e.g. the verifier log's end); empty if none. */
    String failureDetail();

    /** Everything collected about {@link #failure()} (e.g. the whole verifier log); empty if none. */
    String failureLog();
}
