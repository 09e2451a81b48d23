/**
 * The scx_javaland API: everything a scheduling policy bundle is written against.
 *
 * <p>A policy implements {@link org.scxjavaland.api.Policy} and registers it as an OSGi service.
 * The connector feeds it {@link org.scxjavaland.api.QueuedTask}s and lets it send
 * {@link org.scxjavaland.api.DispatchedTask}s through its {@link org.scxjavaland.api.PolicyContext}.
 * The connector itself is reachable as the {@link org.scxjavaland.api.SchedulerBackend} service.
 */
@Export
@Version("1.6.0")
package org.scxjavaland.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
