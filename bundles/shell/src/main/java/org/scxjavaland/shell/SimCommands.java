package org.scxjavaland.shell;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.scxjavaland.sim.Simulator;
import org.scxjavaland.sim.WorkloadException;

/** The simulated machine's commands: what it runs, its clock and latency table, another workload. */
@Component(service = SimCommands.class, property = {
    "osgi.command.scope=scx",
    "osgi.command.function=sim",
    "osgi.command.function=workload"
})
public class SimCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Simulator simulator;

    @Descriptor("show the simulated workload, the virtual time, and the latency table per task group")
    public void sim() {
        Simulator s = requireSimulator();
        System.out.println("workload:     " + s.workloadName());
        System.out.printf("virtual time: %.3f s%n", s.virtualTimeNs() / 1e9);
        System.out.print(s.report().toTable());
    }

    @Descriptor("switch the simulated machine to another workload, without restarting")
    public void workload(@Descriptor("a built-in workload (desktop-under-build, server, idle) or a workload file")
            String nameOrPath) throws WorkloadException {
        requireSimulator().loadWorkload(nameOrPath);
        System.out.println("workload " + nameOrPath + " loaded; it starts at the next scheduling round");
    }

    private Simulator requireSimulator() {
        Simulator s = simulator;
        if (s == null) {
            throw new IllegalStateException("no simulated machine is running (the backend is not sim)");
        }
        return s;
    }
}
