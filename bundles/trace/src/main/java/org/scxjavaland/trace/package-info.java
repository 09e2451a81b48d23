/**
 * Scheduling traces: a recording of each task's runs and sleeps on a kernel (or on the simulated
 * machine), and the per-task sequences a replay on the simulated machine plays back. The file
 * format is described in {@code docs/trace-format.md}.
 */
@Export
@Version("1.0.0")
package org.scxjavaland.trace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
