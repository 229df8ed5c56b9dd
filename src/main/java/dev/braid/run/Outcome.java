package dev.braid.run;

import java.time.Duration;

/** How a task's process ended. */
public sealed interface Outcome {

  /** The command exited by itself (or was killed by a signal nobody in Braid sent). */
  record Exited(int code) implements Outcome {}

  /** Terminated because it ran longer than its timeout. */
  record TimedOut(Duration after) implements Outcome {}

  /** Terminated because it wrote no output for this long. */
  record IdleTimedOut(Duration after) implements Outcome {}

  /** Terminated on request, e.g. Ctrl-C or the launcher closing. */
  record Killed(String reason) implements Outcome {}

  /** Never ran, e.g. the program was not found or the log file could not be opened. */
  record FailedToStart(String message) implements Outcome {}
}
