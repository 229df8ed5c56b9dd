package dev.braid.run;

import java.time.Duration;
import java.util.Map;

/** How a run ended. */
public record RunSummary(
    String runId, Status status, Duration wall, Map<dev.braid.plan.TaskState, Integer> counts) {

  public enum Status {
    SUCCEEDED,
    FAILED,
    INTERRUPTED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
