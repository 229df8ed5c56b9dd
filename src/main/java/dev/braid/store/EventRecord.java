package dev.braid.store;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One entry of the append-only audit trail.
 *
 * @param seq increases with every event of the store, across runs; readers resume after it
 * @param taskId the task it is about, or null for run-level events
 * @param dataJson a JSON document, or null
 */
public record EventRecord(
    long seq, String runId, Instant at, String type, String taskId, String dataJson) {

  public EventRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(type, "type");
    at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
  }
}
