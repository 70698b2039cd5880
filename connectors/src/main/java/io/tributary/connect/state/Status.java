package io.tributary.connect.state;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The last reported state of a connector or task.
 *
 * @param trace the failure's stack trace when FAILED, else null
 */
public record Status(ConnectorState state, String trace, String workerId) {

    public static Status failed(Throwable error, String workerId) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return new Status(ConnectorState.FAILED, trace.toString(), workerId);
    }
}
