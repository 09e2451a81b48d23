package org.scxjavaland.policy.deadline;

import java.util.ArrayList;
import java.util.List;
import org.scxjavaland.api.DispatchedTask;
import org.scxjavaland.api.PolicyContext;

/** A machine for tests: a clock the test drives, a scripted idle-CPU answer, and a log of dispatches. */
final class RecordingContext implements PolicyContext {
    final List<DispatchedTask> dispatched = new ArrayList<>();
    long clock = 1_000;
    long tick = 1;
    int idleCpu = -1;
    int selectCpuCalls;
    String lastSelectCpuCall;
    boolean refuseDispatches;

    @Override
    public int nrCpus() {
        return 4;
    }

    @Override
    public long now() {
        long now = clock;
        clock += tick;
        return now;
    }

    @Override
    public int selectCpu(int pid, int prevCpu, long flags) {
        selectCpuCalls++;
        lastSelectCpuCall = pid + "/" + prevCpu + "/" + flags;
        return idleCpu;
    }

    @Override
    public boolean dispatch(DispatchedTask task) {
        if (refuseDispatches) {
            return false;
        }
        dispatched.add(new DispatchedTask().copyFrom(task));
        return true;
    }

    DispatchedTask last() {
        return dispatched.get(dispatched.size() - 1);
    }
}
