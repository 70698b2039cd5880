package io.tributary.connect.state;

/** The states of connectors and tasks the REST API reports, as in Kafka Connect. */
public enum ConnectorState {
    UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED, RESTARTING
}
