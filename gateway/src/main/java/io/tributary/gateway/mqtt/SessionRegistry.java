package io.tributary.gateway.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Every session by client id, connected or not. A CONNECT takes its session over from any connection still
 * holding it (on that connection's context), so at most one connection uses a session at a time.
 */
final class SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    /**
     * A session handed to a new connection; {@code present} when it existed before (CONNACK session present). The
     * connection calls {@link #started} once it runs on the session (or gave up), letting the next CONNECT with the
     * same client id proceed.
     */
    record Attachment(Session session, boolean present, Runnable started) {
    }

    private final Vertx vertx;
    private final SessionStore store;
    private final WillPublisher wills;
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Per client id, the end of the latest CONNECT's turn: CONNECTs with one client id take their turns in order. */
    private final ConcurrentHashMap<String, Future<Void>> turns = new ConcurrentHashMap<>();

    SessionRegistry(Vertx vertx, SessionStore store, WillPublisher wills) {
        this.vertx = vertx;
        this.store = store;
        this.wills = wills;
    }

    /** Restores the persistent sessions from __mqtt_sessions, dropping those that expired while the broker was down. */
    Future<Void> load() {
        return store.load().map(loaded -> {
            long now = System.currentTimeMillis();
            loaded.forEach((clientId, session) -> {
                if (expiredAt(session) <= now) {
                    store.delete(session);
                } else {
                    sessions.put(clientId, session);
                    scheduleExpiry(session);
                }
            });
            LOG.info("Restored {} persistent MQTT sessions", sessions.size());
            return null;
        });
    }

    /**
     * Called on the connecting client's context; completes there. CONNECTs with the same client id are served one at a
     * time, so a connection holding the session is closed, and its session saved, before the next one resumes it, and
     * that one is running before a third one takes over from it.
     */
    Future<Attachment> attach(MqttConnection connection, String clientId, boolean cleanStart, long expirySeconds) {
        Context caller = Vertx.currentContext();
        Promise<Void> turn = Promise.promise();
        Future<Void> previous = turns.put(clientId, turn.future());
        Runnable done = () -> {
            turns.remove(clientId, turn.future());
            turn.tryComplete();
        };
        Future<Void> ready = previous == null ? Future.succeededFuture() : previous;
        Promise<Attachment> result = Promise.promise();
        ready.onComplete(v -> takeOverAndAttach(connection, clientId, cleanStart, expirySeconds, done).onComplete(ar -> {
            if (ar.failed()) {
                done.run();
            }
            if (caller == null || caller == Vertx.currentContext()) {
                result.handle(ar);
            } else {
                caller.runOnContext(x -> result.handle(ar));
            }
        }));
        return result.future();
    }

    private Future<Attachment> takeOverAndAttach(MqttConnection connection, String clientId, boolean cleanStart,
                                                 long expirySeconds, Runnable started) {
        Session existing = sessions.get(clientId);
        MqttConnection holder = existing == null ? null : existing.connection();
        // Wait for the holder to close and its session to be saved; a holder that already ended may still be saving.
        Future<Void> released = holder != null ? holder.takeOver()
                : existing != null && existing.released() != null ? existing.released().recover(e -> Future.succeededFuture())
                : Future.succeededFuture();
        return released.map(v -> {
            Session current = sessions.get(clientId);
            if (current != null) {
                wills.cancel(current);
                if (current.expiryTimer() >= 0) {
                    vertx.cancelTimer(current.expiryTimer());
                    current.expiryTimer(-1);
                }
            }
            boolean present = current != null && !cleanStart;
            Session session;
            if (present) {
                session = current;
                session.expirySeconds(expirySeconds);
            } else {
                if (current != null) {
                    store.delete(current);
                }
                session = new Session(clientId, expirySeconds);
                sessions.put(clientId, session);
            }
            session.connection(connection);
            return new Attachment(session, present, started);
        });
    }

    /** The session's connection ended (on its context): drop a clean session, save a persistent one. */
    Future<Void> detached(Session session) {
        session.connection(null);
        session.disconnectedAt(System.currentTimeMillis());
        Future<Void> done;
        if (!session.persistent()) {
            sessions.remove(session.clientId(), session);
            done = store.delete(session);
        } else {
            scheduleExpiry(session);
            done = store.save(session);
        }
        session.released(done);
        return done;
    }

    Future<Void> save(Session session) {
        return store.save(session);
    }

    /** Messages buffered for a connected client; read across threads, so only an estimate. */
    int queuedFor(String clientId) {
        Session s = sessions.get(clientId);
        MqttConnection c = s == null ? null : s.connection();
        return c == null ? 0 : c.queued();
    }

    /** The most inbound publishes of a connected client that waited for acknowledgement at once; an estimate. */
    int peakInboundPendingFor(String clientId) {
        Session s = sessions.get(clientId);
        MqttConnection c = s == null ? null : s.connection();
        return c == null ? 0 : c.peakInboundPending();
    }

    /** Subscription keys by client id, copied without synchronisation: a best-effort view. */
    java.util.Map<String, java.util.Set<String>> subscriptionsView() {
        java.util.Map<String, java.util.Set<String>> view = new java.util.HashMap<>();
        sessions.forEach((id, s) -> {
            try {
                view.put(id, java.util.Set.copyOf(s.subscriptions.keySet()));
            } catch (java.util.ConcurrentModificationException e) {
                view.put(id, java.util.Set.of());
            }
        });
        return view;
    }

    /** The clients connected now, sorted by client id; read across threads without synchronisation. */
    java.util.List<MqttClientInfo> connectedClients() {
        java.util.List<MqttClientInfo> clients = new java.util.ArrayList<>();
        sessions.forEach((id, s) -> {
            MqttConnection c = s.connection();
            if (c != null) {
                int subscriptions;
                try {
                    subscriptions = s.subscriptions.size();
                } catch (RuntimeException e) {
                    subscriptions = 0;
                }
                clients.add(c.describe(id, subscriptions));
            }
        });
        clients.sort(java.util.Comparator.comparing(MqttClientInfo::clientId));
        return clients;
    }

    int size() {
        return sessions.size();
    }

    private long expiredAt(Session s) {
        return s.expirySeconds() < 0 ? Long.MAX_VALUE : s.disconnectedAt() + s.expirySeconds() * 1000;
    }

    private void scheduleExpiry(Session session) {
        if (session.expirySeconds() < 0) {
            return;
        }
        long delay = Math.max(1, expiredAt(session) - System.currentTimeMillis());
        session.expiryTimer(vertx.setTimer(delay, id -> {
            session.expiryTimer(-1);
            if (session.connection() == null && sessions.remove(session.clientId(), session)) {
                store.delete(session);
            }
        }));
    }
}
