/**
 * The wire protocol between the BPF side and user space: the ring buffers' memory, their reader
 * and writer, and the codecs of the records they carry ({@code bpf/intf.h}'s structs). Used by
 * the BPF link, and by the tests and benchmarks that stand in for the kernel.
 */
@Export
@Version("1.0.0")
package org.scxjavaland.link.bpf.ring;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
