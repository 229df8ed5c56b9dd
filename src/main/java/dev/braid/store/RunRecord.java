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

  /**
   * Whether the run is still going: recorded as running and its runner's process still exists. A
   * runner killed outright (kill -9, a power cut) leaves its run recorded as running until it is
   * resumed, so followers of a run look at the process too rather than wait forever: a process that
   * exited (even if not yet reaped) is not it. The run's start says nothing of its runner's: a
   * resumed run's runner started later. A pid reused by a later process is told apart by the lock
   * (a reading store sees such a run crashed).
   */
  public boolean live() {
    return status == RunStatus.RUNNING && RunnerProcess.alive(pid);
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
