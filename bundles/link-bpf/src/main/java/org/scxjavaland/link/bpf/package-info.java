/**
 * The BPF link: scx_javaland's scheduler on a real sched_ext kernel. {@link
 * org.scxjavaland.link.bpf.BpfLink} loads the BPF side through libbpf and is a {@link
 * org.scxjavaland.link.KernelLink}; in the OSGi host a component registers one when the PID
 * {@code org.scxjavaland.bpf} is configured.
 */
@Export
@Version("1.0.0")
package org.scxjavaland.link.bpf;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
