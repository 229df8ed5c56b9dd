package dev.braid.store;

/** A failure of the state store; the message names the database file or the state directory. */
public class StoreException extends RuntimeException {

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
