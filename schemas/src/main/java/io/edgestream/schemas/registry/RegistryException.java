package io.edgestream.schemas.registry;

/**
 * A schema registry call failed. Subclasses say what the caller can do: {@link
 * RegistryUnreachableException} (retry later, or fix the URL), {@link UnknownSchemaIdException}
 * (dead-letter the record), {@link IncompatibleSchemaException} (fix the schema or the subject's
 * rule), {@link RegistryAuthException} (fix the credentials); this class itself is any other
 * refusal (e.g. an invalid schema, a server error), with the HTTP status and the registry's error
 * code. Messages name the registry URL and the request, never the credentials.
 */
public class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    public RegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the refusal, or 0 if there was no answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40403), or 0 if it gave none. */
    public int errorCode() {
        return errorCode;
    }
}
