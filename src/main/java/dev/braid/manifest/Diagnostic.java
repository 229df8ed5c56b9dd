package dev.braid.manifest;

import java.util.Objects;

/**
 * One problem found in a plan, printed like a compiler's: {@code file:line:col: error: field:
 * message}.
 */
public record Diagnostic(Severity severity, Location location, String field, String message) {

  public enum Severity {
    ERROR,
    WARNING
  }

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  public static Diagnostic error(Location at, String field, String message) {
    return new Diagnostic(Severity.ERROR, at, field, message);
  }

  public static Diagnostic warning(Location at, String field, String message) {
    return new Diagnostic(Severity.WARNING, at, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  public Diagnostic asError() {
    return new Diagnostic(Severity.ERROR, location, field, message);
  }

  @Override
  public String toString() {
    String kind = severity == Severity.ERROR ? "error" : "warning";
    String where = field == null || field.isEmpty() ? "" : field + ": ";
    return location + ": " + kind + ": " + where + message;
  }
}
