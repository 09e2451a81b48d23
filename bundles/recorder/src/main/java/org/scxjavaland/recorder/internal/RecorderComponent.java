package org.scxjavaland.recorder.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.scxjavaland.api.SchedulerBackend;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.link.TaskEventSource;
import org.scxjavaland.trace.TraceHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the scheduling of the kernel side being scheduled ({@code --record FILE}) once the PID
 * {@value RecorderSettings#PID} is configured ({@link RecorderConfig}), and {@code link.target}, the
 * filter that picks the link (the launcher sets it to the backend it chose). One recording per activation; it ends at its bounds,
 * or when the link or the host goes away, with the file always closed whole.
 */
@Component(configurationPid = RecorderSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = RecorderConfig.class)
public final class RecorderComponent {
    private static final Logger LOG = LoggerFactory.getLogger(RecorderComponent.class);
    private static final long STOP_WAIT_MS = 5_000;
    /**
     * The files this host recorded into: the component comes back when its link is registered anew
     * (the simulator rebuilds its machine for another CPU count), and must not truncate a finished
     * recording then.
     */
    private static final java.util.Set<Path> RECORDED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final KernelLink link;
    private volatile SchedulerBackend backend;
    private Recording recording;
    private Thread thread;

    @Activate
    public RecorderComponent(@Reference(name = "link") KernelLink link, Map<String, Object> config) {
        this.link = link;
        RecorderSettings settings;
        try {
            settings = RecorderSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{} Nothing is recorded.", e.getMessage());
            return;
        }
        if (!RECORDED.add(settings.file().toAbsolutePath().normalize())) {
            LOG.warn("{} already holds this host's recording: nothing more is recorded (give --record another file"
                    + " to record again).", settings.file());
            return;
        }
        TaskEventSource source;
        try {
            source = link.recordTaskEvents();
        } catch (IllegalStateException e) {
            LOG.error("Cannot record into {}: {}", settings.file(), e.getMessage());
            return;
        }
        if (source == null) {
            LOG.error("The {} kernel side cannot record task events: nothing is recorded into {}.", link.kind(),
                    settings.file());
            return;
        }
        recording = new Recording(settings, source, this::header, System::nanoTime);
        thread = new Thread(recording, "scx-recorder");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Recording every task's scheduling into {} for at most {} s or {} MiB.", settings.file(),
                settings.seconds(), settings.maxBytes() >> 20);
    }

    @Reference(name = "backend", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetBackend")
    void setBackend(SchedulerBackend backend) {
        this.backend = backend;
    }

    void unsetBackend(SchedulerBackend gone) {
        if (backend == gone) {
            backend = null;
        }
    }

    /** The trace's header, made when the first events arrive. */
    private TraceHeader header() {
        SchedulerBackend b = backend;
        String policy = null;
        try {
            policy = b == null ? null : b.activePolicy();
        } catch (RuntimeException e) {
            // the connector is going away: the policy stays unknown
        }
        return new TraceHeader(link.nrCpus(), "sim".equals(link.kind()) ? "simulated" : kernelRelease(), link.kind(), policy,
                Instant.now());
    }

    private static String kernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.version", "unknown");
        }
    }

    @Deactivate
    void deactivate() {
        if (recording == null) {
            return;
        }
        // No interrupt: it would close the file's channel under the writer (FileChannel is interruptible).
        recording.stop();
        try {
            thread.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("The recorder did not finish its file within {} s.", STOP_WAIT_MS / 1000);
        }
    }
}
