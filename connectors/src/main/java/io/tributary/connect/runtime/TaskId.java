package io.tributary.connect.runtime;

/** A task of a connector, numbered from 0. */
public record TaskId(String connector, int task) {

    @Override
    public String toString() {
        return connector + "-" + task;
    }
}
