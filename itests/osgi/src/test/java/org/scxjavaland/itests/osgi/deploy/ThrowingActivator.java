package org.scxjavaland.itests.osgi.deploy;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** A bundle activator that throws as its bundle starts: packed by {@link DeployJars} into a bundle of its own. */
public final class ThrowingActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException("this activator refuses to start, as the test asked");
    }

    @Override
    public void stop(BundleContext context) {
        // never started
    }
}
