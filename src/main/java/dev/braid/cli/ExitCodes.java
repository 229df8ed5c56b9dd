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

  /** A bug in Braid itself (printed with a request to report it). */
  static final int INTERNAL_ERROR = 70;

  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
