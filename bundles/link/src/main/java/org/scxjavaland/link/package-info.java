/**
 * The contract between the connector and a kernel side: the BPF link to a sched_ext kernel, or
 * the simulated machine. Not for policy authors: policies only see {@code org.scxjavaland.api}.
 * The BPF wire protocol (rings and record codecs) lives with the BPF side, in link-bpf.
 */
@Export
@Version("2.0.0")
package org.scxjavaland.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
