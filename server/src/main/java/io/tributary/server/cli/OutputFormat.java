package io.tributary.server.cli;

/** How a command prints its result: aligned columns for people, JSON for scripts. */
public enum OutputFormat {
    TABLE, JSON
}
