package org.scxjavaland.sim.internal;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.scxjavaland.api.ConfigurationKeys;
import org.scxjavaland.link.KernelLink;
import org.scxjavaland.sim.machine.SimulatedMachine;
import org.scxjavaland.sim.Simulator;
import org.scxjavaland.sim.WorkloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the simulated machine from the configuration {@code org.scxjavaland.sim} and registers
 * it as a {@link KernelLink} ({@code scx.link.kind=sim}) and a {@link Simulator}. Its properties
 * are those of {@code org.scxjavaland.sim} (etc/) with those of {@code org.scxjavaland.sim.override}
 * (the command line's, the shell's) over them: Declarative Services merges the two, the later PID
 * winning, so an edit of the .cfg file changes only what the command line did not set.
 *
 * <p>A changed workload alone is switched on the running machine; a changed cpus, seed, mode or
 * duration replaces the machine (the old one exits, its services go away, the new ones come). A
 * bad value is logged in one sentence and the previous machine keeps running (at first
 * activation, the defaults run instead).
 */
@Component(name = SimConfig.PID, configurationPid = {SimConfig.PID, SimConfig.OVERRIDE_PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = {})
public final class SimulatorComponent {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatorComponent.class);

    private BundleContext context;
    /** The last sentence about unknown keys (each said once). */
    private String unknownKeys;
    private SimConfig config;
    private SimulatedMachine machine;
    private ServiceRegistration<?> registration;

    @Activate
    synchronized void activate(BundleContext bundleContext, Map<String, Object> props) {
        this.context = bundleContext;
        warnUnknownKeys(props);
        SimConfig wanted;
        SimulatedMachine built;
        try {
            wanted = SimConfig.from(props);
            built = new SimulatedMachine(wanted.workload(), wanted.options());
        } catch (IllegalArgumentException | WorkloadException e) {
            LOG.error("{}; running the default simulated machine ({}) instead.", withoutPeriod(e.getMessage()),
                    SimulatorConfig.WORKLOAD_DEFAULT);
            try {
                wanted = SimConfig.from(Map.of());
                built = new SimulatedMachine(wanted.workload(), wanted.options());
            } catch (WorkloadException impossible) {
                throw new IllegalStateException(impossible.getMessage(), impossible);
            }
        }
        use(wanted, built);
    }

    @Modified
    synchronized void modified(Map<String, Object> props) {
        warnUnknownKeys(props);
        SimConfig wanted;
        try {
            wanted = SimConfig.from(props);
        } catch (IllegalArgumentException | WorkloadException e) {
            LOG.error("{}; the simulator keeps running {}.", withoutPeriod(e.getMessage()), machine.workloadName());
            return;
        }
        try {
            if (wanted.shape().equals(config.shape())) {
                if (!wanted.workload().name().equals(config.workload().name())
                        || !wanted.workload().source().equals(config.workload().source())) {
                    machine.loadWorkload(wanted.workload());
                    config = wanted;
                    registration.setProperties(properties(wanted));
                    LOG.info("Simulator switching to workload {}.", wanted.workload().name());
                }
                return;
            }
            SimulatedMachine built = new SimulatedMachine(wanted.workload(), wanted.options());
            retire("The simulator was reconfigured: a new simulated machine replaces this one.");
            use(wanted, built);
        } catch (WorkloadException e) {
            LOG.error("{}; the simulator keeps running {}.", withoutPeriod(e.getMessage()), machine.workloadName());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        retire("The simulator stopped.");
        context = null;
    }

    private void use(SimConfig wanted, SimulatedMachine built) {
        config = wanted;
        machine = built;
        registration = context.registerService(new String[] {KernelLink.class.getName(), Simulator.class.getName()},
                built, properties(wanted));
        LOG.info("Simulated machine ready: workload {}, {}.", wanted.workload().name(), wanted.options());
    }

    private void retire(String reason) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is stopping
            }
            registration = null;
        }
        if (machine != null) {
            machine.shutDown(reason);
            writeTrace();
            machine = null;
        }
    }

    /** Writes the stopped machine's timeline if one was asked for; a failure is one WARN line. */
    private void writeTrace() {
        if (config == null || config.traceFile() == null) {
            return;
        }
        java.nio.file.Path file = java.nio.file.Path.of(config.traceFile());
        try {
            int events = machine.writeTrace(file);
            LOG.info("Timeline of the simulated machine written to {} ({} events).", file, events);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Cannot write the timeline to {} ({}): check that its folder can be written.", file, e.toString());
        }
    }

    private void warnUnknownKeys(Map<String, Object> props) {
        String unknown = ConfigurationKeys.unknown(props, SimConfig.PID, SimConfig.KEYS);
        if (unknown != null && !unknown.equals(unknownKeys)) {
            LOG.warn(unknown);
        }
        unknownKeys = unknown;
    }

    /** Lets a one-sentence message go on with what the host does about it. */
    private static String withoutPeriod(String sentence) {
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }

    private static Hashtable<String, Object> properties(SimConfig c) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(KernelLink.KIND, "sim");
        props.put("sim.workload", c.workload().name());
        props.put("sim.cpus", c.options().cpus());
        return props;
    }
}
