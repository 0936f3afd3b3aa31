package io.edgestream.schemas.registry;

/**
 * The registry refused the credentials (HTTP 401) or the operation for them (HTTP 403). The message
 * says which kind of credentials was sent, never their value.
 */
public final class RegistryAuthException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryAuthException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
    }
}
