package dev.braid.cli;

/** A problem with what the user asked for, shown as one line without a stack trace. */
final class UserException extends RuntimeException {

  private final int exitCode;

  UserException(String message) {
    this(message, ExitCodes.INVALID_INPUT);
  }

  UserException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
