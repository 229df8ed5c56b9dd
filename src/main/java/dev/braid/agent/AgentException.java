package dev.braid.agent;

/**
 * A problem with the agents a plan needs that no file position explains: an executable that is not
 * installed, a prompt too long for a command line. Its message is one line for people.
 */
public final class AgentException extends RuntimeException {

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
