/**
 * Admits from deploy/ and etc/ only what the host's user alone can change. Nothing here is
 * exported; the launcher has the jar on its own class path too, to check its folders with the
 * same {@link org.scxjavaland.deploy.guard.FileSafety} rules before the framework starts.
 */
package org.scxjavaland.deploy.guard;
