package io.edgestream.clients.cli;

/**
 * A failure that stops a tool as a whole (broker unreachable, topic missing, output directory not
 * writable), carrying the exit code the command-line wrapper returns. The message says what went
 * wrong, where, and what to do; library callers get it as an ordinary unchecked exception.
 */
public final class ToolException extends RuntimeException {
    private final int exitCode;

    public ToolException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public ToolException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code for this failure (see {@link ExitCodes}). */
    public int exitCode() {
        return exitCode;
    }
}
