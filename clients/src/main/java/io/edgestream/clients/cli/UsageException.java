package io.edgestream.clients.cli;

/**
 * A setting the tool cannot act on that is found after parsing: a {@code --kafka} pair without '=',
 * an unreadable {@code --kafka-config}, a refused isolation level. The commands turn it into a
 * picocli {@code ParameterException} (message, hint to {@code --help}, exit {@link
 * ExitCodes#USAGE}); from Java it becomes a {@link ToolException} with that exit code.
 */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
