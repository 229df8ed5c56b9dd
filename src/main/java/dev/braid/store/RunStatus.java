package dev.braid.store;

import java.util.Locale;

/** How a run stands; stored as {@link #label()}. */
public enum RunStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  /**
   * Stopped on purpose (Ctrl-C, a signal) after recording where it was, or a finished run that
   * {@code braid reset} put tasks of back to pending: unfinished, the next run resumes it.
   */
  INTERRUPTED,
  /** Found {@code running} by a later runner that holds the lock: its process died. */
  CRASHED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStatus fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
