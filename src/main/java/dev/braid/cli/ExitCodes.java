package dev.braid.cli;

/** Braid's exit codes, the one table. */
final class ExitCodes {
  static final int OK = 0;

  /** A task failed or was blocked. */
  static final int TASK_FAILED = 1;

  /** Bad flags, a bad plan, an unknown id: the user's input, not the tasks. */
  static final int INVALID_INPUT = 2;

  /**
   * Every task succeeded but {@code --land} could not land the work (it would conflict, overwrite
   * files in the user's checkout, or the run started on a detached HEAD): what the user asked for
   * was not done, so a script's {@code braid run --land && git push} must stop; the work waits on
   * the integration branch.
   */
  static final int NOT_LANDED = 3;

  /** A bug in Braid itself (printed with a request to report it); sysexits.h's EX_SOFTWARE. */
  static final int INTERNAL_ERROR = 70;

  /**
   * Standard output could not be written (a full disk, say) and the output is lost: sysexits.h's
   * EX_IOERR, beside {@link #INTERNAL_ERROR}'s EX_SOFTWARE.
   */
  static final int OUTPUT_FAILED = 74;

  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  /**
   * Standard output's reader went away ({@code braid analyze | head -1}): 128 + SIGPIPE, what a
   * shell reports for git, coreutils and any C tool that SIGPIPE ends, so {@code set -o pipefail}
   * sees Braid as it sees them. (ripgrep exits 0 instead; the signal's code matches {@link
   * #INTERRUPTED}'s 128 + SIGINT.)
   */
  static final int OUTPUT_CLOSED = 141;

  private ExitCodes() {}
}
