/**
 * The simulated machine of scx_javaland: virtual CPUs and virtual time that play both the kernel
 * and the BPF side of the scheduler, driven by a {@link org.scxjavaland.sim.Workload}, with the
 * measurements users feel ({@link org.scxjavaland.sim.SimReport}).
 *
 * <p>Plain Java: {@code new SimulatedMachine(Workload.load("server"), SimOptions.defaults())}
 * is a {@link org.scxjavaland.link.KernelLink}. In OSGi, a component configured by the PID
 * {@code org.scxjavaland.sim} registers one as a {@code KernelLink} (with
 * {@code scx.link.kind=sim}) and as a {@link org.scxjavaland.sim.Simulator}.
 */
@Export
@Version("2.0.0")
package org.scxjavaland.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
