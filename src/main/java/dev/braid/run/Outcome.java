package dev.braid.run;

import java.time.Duration;
import java.util.List;

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

  /**
   * The command succeeded, but its work would conflict with the integration branch in {@code
   * files}; nothing was merged and the work stays on the task's branch. {@code with}: the tasks
   * whose merges since the task started changed those files (empty when none of this session's
   * did). {@code stopRun}: the run stops starting tasks ({@code --on-conflict stop}).
   */
  record MergeConflict(List<String> files, List<String> with, boolean stopRun) implements Outcome {
    public MergeConflict {
      files = List.copyOf(files);
      with = List.copyOf(with);
    }
  }

  /**
   * The command succeeded but changed files it must not: {@code frozen_files} ({@code frozen}), or
   * files outside its {@code file_scope} under {@code --strict-scope}. Nothing was merged.
   */
  record ScopeViolation(List<String> files, boolean frozen) implements Outcome {
    public ScopeViolation {
      files = List.copyOf(files);
    }
  }

  /** The command succeeded but git could not commit or merge its work. */
  record IntegrationFailed(String message) implements Outcome {}
}
