package dev.braid.manifest;

import java.time.Duration;

/** Values a task takes when it does not say otherwise. Null fields mean "no default". */
public record Defaults(
    String agent, Duration timeout, Integer retries, Integer priority, Estimate est) {

  public static final Defaults NONE = new Defaults(null, null, null, null, Estimate.NONE);

  public Defaults {
    est = est == null ? Estimate.NONE : est;
  }
}
