package dev.braid.observe.dashboard;

/** The dashboard cannot start: a refused address, a port in use. The message is for the user. */
public final class DashboardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DashboardException(String message) {
    super(message);
  }

  public DashboardException(String message, Throwable cause) {
    super(message, cause);
  }
}
