package io.edgestream.clients.cli;

/**
 * Exit codes shared by every tool, so scripts can tell "nothing happened" from "partly done".
 *
 * <ul>
 *   <li>{@code 0} everything requested was done;
 *   <li>{@code 1} the tool failed as a whole (broker unreachable, topic missing, I/O error on the
 *       output, a send failed);
 *   <li>{@code 2} the run completed but some inputs were left out (unreadable or unsupported files,
 *       records over the size limit, maps left incomplete at the end), as counted in the summary;
 *   <li>{@code 64} the command line is wrong (as {@code EX_USAGE} of sysexits.h).
 * </ul>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int PARTIAL = 2;
    public static final int USAGE = 64;

    private ExitCodes() {}
}
