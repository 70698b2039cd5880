package io.tributary.gateway.mqtt;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a client's will when its connection ends without a normal DISCONNECT, after the MQTT 5 will delay
 * (never later than the session's end). A client that resumes its session before the delay cancels it.
 */
final class WillPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(WillPublisher.class);

    private final Vertx vertx;
    private LogPublisher publisher;

    WillPublisher(Vertx vertx) {
        this.vertx = vertx;
    }

    void publisher(LogPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * @param will          the will, without expiry
     * @param delaySeconds  MQTT 5 Will Delay Interval, 0 for MQTT 3
     * @param expirySeconds MQTT 5 Message Expiry Interval of the will, -1 for none; it counts from the publication
     */
    void connectionLost(Session session, Publication will, long delaySeconds, long expirySeconds) {
        long delay = delaySeconds;
        if (session.expirySeconds() >= 0) {
            delay = Math.min(delay, session.expirySeconds());
        }
        if (delay <= 0) {
            publish(session, will, expirySeconds);
        } else {
            session.willTimer(vertx.setTimer(delay * 1000, id -> {
                session.willTimer(-1);
                publish(session, will, expirySeconds);
            }));
        }
    }

    /** The client came back: a will still waiting for its delay is not sent. */
    void cancel(Session session) {
        if (session.willTimer() >= 0) {
            vertx.cancelTimer(session.willTimer());
            session.willTimer(-1);
        }
    }

    private void publish(Session session, Publication will, long expirySeconds) {
        Publication p = expirySeconds < 0 ? will : will.withExpiresAt(System.currentTimeMillis() + expirySeconds * 1000);
        publisher.publish(p).onFailure(e -> LOG.warn("Will of client {} to {} was not published: {}",
                session.clientId(), will.topic(), e.getMessage()));
    }
}
