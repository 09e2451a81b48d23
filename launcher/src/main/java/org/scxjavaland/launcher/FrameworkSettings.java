package org.scxjavaland.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.Constants;
import org.scxjavaland.deploy.guard.DeployGuard;

/** The framework properties of the host, and the logging set-up shared by its bundles. */
final class FrameworkSettings {

    private FrameworkSettings() {
    }

    /**
     * Felix's configuration: the cache in data/ (emptied at every start), fileinstall on deploy/ and
     * etc/, gogo with or without its console.
     *
     * @param interactive start gogo's interactive console on this process's standard input
     */
    static Map<String, Object> of(Layout layout, boolean interactive, boolean verbose) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, layout.felixCache().toString());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("felix.log.logger", new FelixLog(System.err, verbose));
        properties.put("felix.log.level", verbose ? "3" : "2");
        properties.put(Layout.HOME_PROPERTY, layout.home().toString());
        // The launcher uses the host's services through the same classes as the bundles.
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SharedPackages.systemPackagesExtra());

        // The deploy guard admits from deploy/ and etc/ only what root (the host's user) alone can
        // change, into private copies; one fileinstall watches those: bundles, and configurations
        // (*.cfg). The guard's first look and fileinstall's first scan run while they start, so etc/
        // is applied before the project's bundles start. Changes made through ConfigAdmin are not
        // written back.
        Path deployCopy = layout.guarded().resolve("deploy");
        Path etcCopy = layout.guarded().resolve("etc");
        properties.put(DeployGuard.FOLDERS, layout.deploy() + "=" + deployCopy + "," + layout.etc() + "=" + etcCopy);
        properties.put("felix.fileinstall.dir", deployCopy + "," + etcCopy);
        // fileinstall's scratch folder in data/, not in java.io.tmpdir: where that is not writable
        // (a /tmp of mode 755, a hardened unit) fileinstall would look for a free name for ever.
        properties.put("felix.fileinstall.tmpdir", layout.data().resolve("fileinstall").toString());
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("felix.fileinstall.bundles.new.start", "true");
        properties.put("felix.fileinstall.log.default", "jul");
        // Errors only: a jar that installs but does not resolve or start is fileinstall's warning,
        // and DeployWatch already says in one line why (-v shows fileinstall's own words too).
        properties.put("felix.fileinstall.log.level", verbose ? "4" : "1");

        // -v is about scx_javaland (and libbpf), not SCR's internals: SCR says only what goes wrong.
        properties.put("ds.loglevel", "warn");

        // gogo: "exit" (or end of input) in the interactive shell stops the host; without a
        // console the shell only provides the command processor and must not stop the host.
        properties.put("gosh.home", layout.home().toString());
        properties.put("gosh.args", interactive ? "" : "--nointeractive --noshutdown");
        return properties;
    }

    /**
     * Sets up slf4j-simple (the bundles' logging) and java.util.logging (fileinstall's): short
     * lines on standard error, debug with {@code -v}. A system property set with -D wins.
     */
    static void configureLogging(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "false");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showLogName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "false");
        setIfAbsent("java.util.logging.SimpleFormatter.format", "%4$s %3$s - %5$s%6$s%n");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
