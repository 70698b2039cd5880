package io.tributary.connect.file;

/** The version the built-in file connectors report. */
final class Version {

    static final String VERSION = "1.0";

    private Version() {
    }
}
