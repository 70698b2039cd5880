package io.tributary.connect.state;

/**
 * A restart asked for through the REST API of one member, passed to the others through the config topic so the
 * members running the connector's parts carry it out.
 *
 * @param task   the one task to restart, or null for the connector (and its tasks when {@code includeTasks})
 * @param origin the node id of the member that took the request (it has already done its own part)
 */
public record RestartRequest(String connector, Integer task, boolean includeTasks, boolean onlyFailed, int origin) {
}
