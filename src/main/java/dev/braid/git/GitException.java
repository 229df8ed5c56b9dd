package dev.braid.git;

/** A {@code git} command failed, or git cannot be used here; the message says which and why. */
public final class GitException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public GitException(String message) {
    super(message);
  }

  GitException(String message, Throwable cause) {
    super(message, cause);
  }
}
