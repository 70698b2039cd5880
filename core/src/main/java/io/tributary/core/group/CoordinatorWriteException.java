package io.tributary.core.group;

/** The offsets log refused a write; the operation that needed it fails with COORDINATOR_NOT_AVAILABLE. */
final class CoordinatorWriteException extends RuntimeException {

    CoordinatorWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
