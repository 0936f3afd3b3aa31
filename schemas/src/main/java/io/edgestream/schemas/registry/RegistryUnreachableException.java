package io.edgestream.schemas.registry;

/**
 * The registry did not answer: refused connection, timeout, unknown host. Transient from the
 * record's point of view: a job should fail (and be restarted) rather than dead-letter the record.
 */
public final class RegistryUnreachableException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnreachableException(String message, Throwable cause) {
        super(message, 0, 0, cause);
    }
}
