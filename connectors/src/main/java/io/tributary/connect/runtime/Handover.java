package io.tributary.connect.runtime;

import io.tributary.connect.state.ConnectorState;
import io.tributary.connect.state.Status;
import io.tributary.connect.state.StatusStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Moving tasks between members without running them twice, judged from the task statuses every member follows:
 * a member gives a task up by stopping it and reporting it UNASSIGNED; the member it moves to starts it only
 * then, or once the old member is gone. Herder thread only.
 */
final class Handover {

    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);
    /** How long a task waits for its previous member, still alive, to report it stopped before starting anyway. */
    static final long TIMEOUT_MS = 20_000;

    private final StatusStore statuses;
    private final Supplier<String> workerId;
    /** Tasks waiting for their previous member to let go: unit -> since when. */
    private final Map<String, Long> waiting = new HashMap<>();

    Handover(StatusStore statuses, Supplier<String> workerId) {
        this.statuses = statuses;
        this.workerId = workerId;
    }

    /** States in which a member is running (or about to run) a task or connector. */
    static boolean active(ConnectorState state) {
        return state == ConnectorState.RUNNING || state == ConnectorState.PAUSED || state == ConnectorState.RESTARTING;
    }

    /**
     * Whether a task placed here may start now: no other live worker ({@code liveWorkerIds}) reports it running,
     * or failed (it may be about to restart after its backoff there). A member that does not let go within
     * {@link #TIMEOUT_MS} (it is stuck) is not waited for any longer.
     */
    boolean mayStart(String connector, int task, Set<String> liveWorkerIds) {
        Status status = statuses.tasks(connector).get(task);
        String unit = Placement.taskUnit(connector, task);
        boolean held = status != null && (active(status.state()) || status.state() == ConnectorState.FAILED);
        if (!held || status.workerId() == null || status.workerId().equals(workerId.get())
                || !liveWorkerIds.contains(status.workerId())) {
            waiting.remove(unit);
            return true;
        }
        long since = waiting.computeIfAbsent(unit, u -> System.currentTimeMillis());
        if (System.currentTimeMillis() - since < TIMEOUT_MS) {
            return false;
        }
        LOG.warn("Task {} still reported running on {} after {} ms; starting it here", unit, status.workerId(),
                TIMEOUT_MS);
        waiting.remove(unit);
        return true;
    }

    /**
     * Keeps the stored task statuses true to what runs here. Statuses naming this member for tasks it does not run
     * (left over from before a restart) become UNASSIGNED, so the members the tasks are placed on do not wait for
     * this one; a failure stays visible while the task is still placed here. A task running here whose status
     * names another member (a late write of a member it was taken from, e.g. after a network split healed)
     * reports again.
     */
    void correctStatuses(String connector, ConnectorRunner runner, IntPredicate ownsTask) {
        String self = workerId.get();
        statuses.tasks(connector).forEach((id, status) -> {
            boolean mine = self.equals(status.workerId());
            boolean held = active(status.state()) || status.state() == ConnectorState.FAILED && !ownsTask.test(id);
            if (mine && held && !runner.runsTask(id)) {
                statuses.putTask(connector, id, new Status(ConnectorState.UNASSIGNED, null, self));
            } else if (!mine && runner.runsTask(id)) {
                runner.reportTaskAgain(id);
            }
        });
    }

    /** Forgets the waits of connectors that are gone. */
    void retainConnectors(Set<String> connectors) {
        waiting.keySet().removeIf(unit -> connectors.stream().noneMatch(c -> unit.startsWith(c + "-")));
    }
}
