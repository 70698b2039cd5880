package io.tributary.connect.runtime;

import io.tributary.connect.state.ConnectorState;
import io.tributary.connect.state.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Keeps one task running on its own thread: reports its status, and when it fails records the failure and
 * starts it again after a backoff that doubles with each consecutive failure (connect.task.restart.backoff.*).
 */
final class TaskSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(TaskSupervisor.class);

    private final TaskId id;
    private final RuntimeServices services;
    private final TaskEnvironment env;
    private final Function<TaskEnvironment, TaskLoop> loops;
    private final TaskControl control = new TaskControl();
    private volatile Future<?> thread;
    private volatile boolean failed;

    TaskSupervisor(TaskId id, RuntimeServices services, TaskEnvironmentFactory environments,
                   Function<TaskEnvironment, TaskLoop> loops) {
        this.id = id;
        this.services = services;
        this.env = environments.create(id, control);
        this.loops = loops;
    }

    /** Functional helper: the environment needs this supervisor's control. */
    interface TaskEnvironmentFactory {
        TaskEnvironment create(TaskId id, TaskControl control);
    }

    TaskId id() {
        return id;
    }

    boolean failed() {
        return failed;
    }

    void start(boolean paused) {
        control.pause(paused);
        thread = services.taskThreads().submit(this::supervise);
    }

    void pause(boolean pause) {
        control.pause(pause);
        report(pause ? ConnectorState.PAUSED : ConnectorState.RUNNING);
    }

    /** Reports the running task's state again (its stored status was overwritten); a failure is left as it is. */
    void reportAgain() {
        if (!failed) {
            report(control.paused() ? ConnectorState.PAUSED : ConnectorState.RUNNING);
        }
    }

    /** Asks the task to stop without waiting, so many tasks can stop at once. */
    void requestStop() {
        control.stop();
    }

    /** Asks the task to stop and waits up to {@code timeoutMs}; a task that does not stop is interrupted. */
    void stop(long timeoutMs) {
        control.stop();
        Future<?> running = thread;
        if (running == null) {
            return;
        }
        try {
            running.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Task {} did not stop within {} ms; interrupting it", id, timeoutMs);
            running.cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Task {} ended with {}", id, e.toString());
        }
    }

    private void supervise() {
        Thread.currentThread().setName("connect-task-" + id);
        int consecutiveFailures = 0;
        while (!control.stopping()) {
            long started = System.currentTimeMillis();
            try {
                failed = false;
                report(control.paused() ? ConnectorState.PAUSED : ConnectorState.RUNNING);
                loops.apply(env).run();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                if (control.stopping()) {
                    LOG.info("Task {} failed while stopping: {}", id, e.toString());
                    return;
                }
                failed = true;
                services.statuses().putTask(id.connector(), id.task(), Status.failed(e, services.workerId()));
                // A task that ran for a while before failing starts its backoff afresh.
                consecutiveFailures = System.currentTimeMillis() - started > services.settings().restartBackoffMaxMs()
                        ? 1 : consecutiveFailures + 1;
                long backoff = backoff(consecutiveFailures);
                LOG.warn("Task {} failed; restarting in {} ms", id, backoff, e);
                try {
                    control.backoff(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private long backoff(int failures) {
        long initial = services.settings().restartBackoffMs();
        long max = services.settings().restartBackoffMaxMs();
        int shift = Math.min(failures - 1, 30);
        return Math.min(max, initial << shift);
    }

    private void report(ConnectorState state) {
        services.statuses().putTask(id.connector(), id.task(), new Status(state, null, services.workerId()));
    }
}
