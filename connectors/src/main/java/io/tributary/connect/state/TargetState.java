package io.tributary.connect.state;

/** What the user asked a connector to be doing, as in Kafka Connect. */
public enum TargetState {
    /** Connector and tasks running. */
    STARTED,
    /** Connector running, tasks idle (they keep their assignment). */
    PAUSED,
    /** Connector and tasks shut down, config kept. */
    STOPPED
}
