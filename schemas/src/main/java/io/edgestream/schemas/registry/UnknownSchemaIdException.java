package io.edgestream.schemas.registry;

/**
 * The registry has no schema with this id (HTTP 404, error code 40403): the record was written
 * against another registry, or its bytes are not registry-framed. A record carrying it is
 * dead-lettered.
 */
public final class UnknownSchemaIdException extends RegistryException {
    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaIdException(String message, int schemaId, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode, null);
        this.schemaId = schemaId;
    }

    public int schemaId() {
        return schemaId;
    }
}
