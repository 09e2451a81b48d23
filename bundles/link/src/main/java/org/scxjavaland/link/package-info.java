/**
 * The contract between the connector and a kernel side: the BPF link to a sched_ext kernel, or
 * the simulated machine. Not for policy authors: policies only see {@code org.scxjavaland.api}.
 */
@Export
@Version("1.3.0")
package org.scxjavaland.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
