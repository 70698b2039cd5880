package io.tributary.connect.runtime;

/** The body of a task's thread: starts the task, moves records until told to stop, then stops the task. */
public interface TaskLoop {

    /** Returns when the task was told to stop; throws when the task failed. */
    void run() throws Exception;
}
