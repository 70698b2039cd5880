package io.tributary.server;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Loads, on a second thread, classes that a broker's start needs only later, while the main thread parses the
 * command line and sets up logging and metrics. A start is mostly class loading on one thread; this puts the
 * other core to work on the largest self-contained part of it: Kafka's protocol schemas (every request and
 * response of every API, some 700 classes), which the request metrics and the first request need.
 *
 * <p>Only classes whose static initialisers need nothing from what the main thread initialises are touched
 * here, so the two threads never wait on each other's class initialisation in a cycle. (Loading more of the
 * broker's own classes here as well was measured, and gained nothing: by then both cores are busy.)
 */
final class StartupWarmup {

    private StartupWarmup() {
    }

    static void begin() {
        Thread thread = new Thread(StartupWarmup::run, "tributary-startup-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        // Each API key's message type holds the schemas of every version: initialising them loads the classes.
        for (ApiKeys key : ApiKeys.values()) {
            key.messageType.requestSchemas();
        }
    }
}
