package dev.braid.store;

import dev.braid.plan.TaskState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One attempt at a task. {@code state} is {@code RUNNING} until it ends, then the outcome the
 * runner recorded ({@code SUCCEEDED} or {@code FAILED}); an attempt cut short by a crash is {@code
 * PENDING} with no end time and the reason {@value Store#INTERRUPTED}.
 *
 * @param outputBytes how many bytes of output it printed to its log, once it ended; null while it
 *     runs, or when that was not counted (an older Braid, a spawner that could not tell)
 */
public record AttemptRecord(
    String runId,
    String taskId,
    int attempt,
    int slot,
    Instant startedAt,
    Instant endedAt,
    Integer exitCode,
    TaskState state,
    String reason,
    String logPath,
    Long outputBytes) {

  public AttemptRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(state, "state");
    startedAt = Objects.requireNonNull(startedAt, "startedAt").truncatedTo(ChronoUnit.MILLIS);
    endedAt = endedAt == null ? null : endedAt.truncatedTo(ChronoUnit.MILLIS);
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt numbers start at 1, was " + attempt);
    }
  }
}
