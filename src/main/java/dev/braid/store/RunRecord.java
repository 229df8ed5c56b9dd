package dev.braid.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One run of a manifest. Times are kept to the millisecond, so a record reads back equal.
 *
 * @param optionsJson the run's options as a JSON document, or null
 * @param endedAt null while the run is running
 */
public record RunRecord(
    String runId,
    String manifestPath,
    String manifestHash,
    RunStatus status,
    int agents,
    Instant startedAt,
    Instant endedAt,
    String optionsJson,
    long pid) {

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(manifestPath, "manifestPath");
    Objects.requireNonNull(manifestHash, "manifestHash");
    Objects.requireNonNull(status, "status");
    startedAt = Objects.requireNonNull(startedAt, "startedAt").truncatedTo(ChronoUnit.MILLIS);
    endedAt = endedAt == null ? null : endedAt.truncatedTo(ChronoUnit.MILLIS);
    if (runId.isBlank()) {
      throw new IllegalArgumentException("runId is blank");
    }
    if (agents < 1) {
      throw new IllegalArgumentException("agents must be at least 1, was " + agents);
    }
  }

  /** A run that starts now in this process. */
  public static RunRecord starting(
      String runId,
      String manifestPath,
      String manifestHash,
      int agents,
      Instant startedAt,
      String optionsJson) {
    return new RunRecord(
        runId,
        manifestPath,
        manifestHash,
        RunStatus.RUNNING,
        agents,
        startedAt,
        null,
        optionsJson,
        ProcessHandle.current().pid());
  }
}
