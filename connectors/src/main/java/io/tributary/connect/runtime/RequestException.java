package io.tributary.connect.runtime;

/** A management request the herder refuses; the status is the HTTP status the REST API answers with. */
public final class RequestException extends RuntimeException {

    private final int status;

    public RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static RequestException notFound(String connector) {
        return new RequestException(404, "Connector " + connector + " not found");
    }
}
