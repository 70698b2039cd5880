package io.tributary.core;

/** A listener as actually bound: the port is the real one even when port 0 was configured. */
public record BoundListener(String name, String host, int port) {

    @Override
    public String toString() {
        return name + "://" + host + ":" + port;
    }
}
