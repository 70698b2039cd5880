package io.tributary.storage;

import java.io.IOException;

/**
 * Named points in multi-step file operations where tests simulate a crash: a test installs a hook that throws,
 * then reopens the log as a restarted broker would. Production code never sets the hook.
 */
final class CrashPoints {
    @FunctionalInterface
    interface Hook {
        void reached(String point) throws IOException;
    }

    private static volatile Hook hook;

    private CrashPoints() {
    }

    static void install(Hook h) {
        hook = h;
    }

    static void reached(String point) throws IOException {
        Hook h = hook;
        if (h != null) h.reached(point);
    }
}
