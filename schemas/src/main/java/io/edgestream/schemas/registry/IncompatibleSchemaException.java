package io.edgestream.schemas.registry;

/** The registry refused a schema because it breaks the subject's compatibility rule (HTTP 409). */
public final class IncompatibleSchemaException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final String subject;

    public IncompatibleSchemaException(String message, String subject, int errorCode) {
        super(message, 409, errorCode, null);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
