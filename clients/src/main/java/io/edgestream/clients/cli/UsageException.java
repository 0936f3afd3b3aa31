package io.edgestream.clients.cli;

/**
 * A command line the tool cannot act on (unknown flag, missing or malformed value). The tools print
 * the message and a hint to {@code --help}, and exit with {@link ExitCodes#USAGE}.
 */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
