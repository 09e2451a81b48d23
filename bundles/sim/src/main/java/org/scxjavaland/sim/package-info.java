/**
 * The simulated machine as the rest of the host sees it: the {@link org.scxjavaland.sim.Simulator}
 * service, its report ({@link org.scxjavaland.sim.SimReport}), the options a machine is built with.
 * Nothing here refers to the machine's implementation ({@code org.scxjavaland.sim.machine} and
 * the bundle's internals): the launcher shares this package with the host through the system
 * bundle, so its classes are loaded once, by the launcher, and must stand alone.
 */
@Export
@Version("2.0.0")
package org.scxjavaland.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
