package dev.braid.store;

import dev.braid.plan.TaskState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A task of a run as last recorded: its definition's hash and its latest attempt. Times are kept to
 * the millisecond.
 *
 * @param attempts how many attempts have started, 0 before the first
 * @param slot the agent slot of the latest attempt, or null
 * @param exitCode the latest attempt's exit code, or null
 * @param reason why the task is in its state (a failure, a block, an interruption), or null
 */
public record TaskRecord(
    String runId,
    String taskId,
    String definitionHash,
    TaskState state,
    int attempts,
    Integer slot,
    Instant startedAt,
    Instant endedAt,
    Integer exitCode,
    String reason,
    String logPath) {

  public TaskRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(definitionHash, "definitionHash");
    Objects.requireNonNull(state, "state");
    startedAt = startedAt == null ? null : startedAt.truncatedTo(ChronoUnit.MILLIS);
    endedAt = endedAt == null ? null : endedAt.truncatedTo(ChronoUnit.MILLIS);
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
    }
  }

  /** A task that has not run yet. */
  public static TaskRecord pending(String runId, String taskId, String definitionHash) {
    return new TaskRecord(
        runId, taskId, definitionHash, TaskState.PENDING, 0, null, null, null, null, null, null);
  }

  public TaskRecord withState(TaskState state, String reason) {
    return new TaskRecord(
        runId,
        taskId,
        definitionHash,
        state,
        attempts,
        slot,
        startedAt,
        endedAt,
        exitCode,
        reason,
        logPath);
  }
}
