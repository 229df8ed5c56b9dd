package dev.braid.cli;

/** Braid's exit codes, the one table. */
final class ExitCodes {
  static final int OK = 0;

  /** A task failed or was blocked. */
  static final int TASK_FAILED = 1;

  /** Bad flags, a bad plan, an unknown id: the user's input, not the tasks. */
  static final int INVALID_INPUT = 2;

  /** A bug in Braid itself (printed with a request to report it). */
  static final int INTERNAL_ERROR = 70;

  /** Stopped by Ctrl-C or SIGTERM (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
