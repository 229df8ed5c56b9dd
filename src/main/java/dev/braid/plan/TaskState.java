package dev.braid.plan;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The life of a task in a run; the allowed moves are one table, checked in one place. */
public enum TaskState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  BLOCKED,
  SKIPPED;

  // An EnumMap: simulations check a move per start and end, millions on large plans.
  private static final Map<TaskState, Set<TaskState>> ALLOWED =
      new EnumMap<>(
          Map.of(
              // SUCCEEDED and SKIPPED straight from PENDING: restored from an earlier run or source
              PENDING, EnumSet.of(RUNNING, BLOCKED, SKIPPED, SUCCEEDED),
              // PENDING again: a retry, or the runner was stopped while it ran
              RUNNING, EnumSet.of(SUCCEEDED, FAILED, PENDING),
              // the rest only go back to PENDING, by a reset or a changed definition; SUCCEEDED to
              // FAILED when a failing integration checkpoint reverts its work
              SUCCEEDED, EnumSet.of(PENDING, FAILED),
              FAILED, EnumSet.of(PENDING),
              BLOCKED, EnumSet.of(PENDING),
              SKIPPED, EnumSet.of(PENDING)));

  public boolean canMoveTo(TaskState to) {
    return ALLOWED.get(this).contains(to);
  }

  /** Returns {@code to}, or throws naming both states when the move is not allowed. */
  public TaskState moveTo(TaskState to) {
    if (!canMoveTo(to)) {
      throw new IllegalStateException("task cannot move from " + this + " to " + to);
    }
    return to;
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == BLOCKED || this == SKIPPED;
  }

  /** Satisfies the dependencies of the tasks that run after it. */
  public boolean isDone() {
    return this == SUCCEEDED || this == SKIPPED;
  }

  /** The lower-case name used in JSON and the store: {@code succeeded}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskState fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
