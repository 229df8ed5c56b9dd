package dev.braid.observe;

import dev.braid.plan.TaskState;
import dev.braid.store.AttemptRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a task attempt's log that gave nothing means, for {@code braid logs} and the dashboard
 * alike. braid-spawn creates a log with a task's first output, so a silent task has none, and a log
 * that is gone reads the same: the output's size, recorded when the attempt ended, tells them
 * apart.
 *
 * @param message one line for people, naming the task and the attempt
 */
public record EmptyLog(Kind kind, String message) {

  /** Why the log gave nothing. */
  public enum Kind {
    /** The attempt runs and has printed nothing yet. */
    RUNNING,
    /** It ended having printed nothing. */
    SILENT,
    /** Its output was not counted (an older Braid, a spawner that could not tell): either. */
    UNCOUNTED,
    /** It printed something, and the log is missing or empty: lost. */
    LOST;

    /** The name in JSON: {@code running}, {@code silent}, {@code uncounted}, {@code lost}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Why {@code log}, the log of {@code chosen}, gave nothing. The attempt is read again: its end
   * (and the count of its output) may have been recorded since {@code chosen} was.
   */
  public static EmptyLog of(Store store, AttemptRecord chosen, Path log) {
    AttemptRecord a =
        store.attempts(chosen.runId(), chosen.taskId()).stream()
            .filter(x -> x.attempt() == chosen.attempt())
            .findFirst()
            .orElse(chosen);
    String task = a.taskId();
    String which = "attempt " + a.attempt();
    if (running(store, a)) {
      return new EmptyLog(
          Kind.RUNNING, task + " has printed nothing yet (" + which + " is running)");
    }
    Long printed = a.outputBytes();
    if (printed == null) {
      return new EmptyLog(
          Kind.UNCOUNTED,
          task
              + " "
              + which
              + " left nothing in "
              + log
              + " (its output was not counted: it printed nothing, or the log was lost)");
    }
    if (printed == 0) {
      return new EmptyLog(
          Kind.SILENT,
          task
              + " printed nothing ("
              + which
              + (a.reason() == null ? "" : ", " + a.reason())
              + ")");
    }
    return new EmptyLog(
        Kind.LOST,
        "log of "
            + task
            + " "
            + which
            + " is "
            + (Files.exists(log) ? "empty" : "missing")
            + ": "
            + log
            + " (it printed "
            + Numbers.count(printed, "byte")
            + ")");
  }

  /**
   * Whether attempt {@code a} still runs: recorded running, in a run that is. A run whose runner is
   * gone reads as crashed, and its attempts stay "running" in the record.
   */
  public static boolean running(Store store, AttemptRecord a) {
    // a runner killed outright may leave its run recorded as running: its process tells
    if (!store.run(a.runId()).map(RunRecord::live).orElse(false)) {
      return false;
    }
    return store.attempts(a.runId(), a.taskId()).stream()
        .anyMatch(x -> x.attempt() == a.attempt() && x.state() == TaskState.RUNNING);
  }
}
