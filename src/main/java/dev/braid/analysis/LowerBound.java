package dev.braid.analysis;

import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What no schedule of a plan can beat, whatever the scheduler: the longest dependency chain, the
 * work shared out evenly among the agents, and for each resource pool the work that needs it shared
 * out among its units. This is the one definition {@code braid plan}, {@code braid analyze} and the
 * benchmarks print.
 *
 * @param criticalPathMinutes the longest chain of estimates
 * @param workMinutes the sum of all estimates
 * @param resourceMinutes per declared resource, sum of estimate x units over its capacity: the
 *     resource can serve no faster even with unlimited agents
 */
public record LowerBound(
    double criticalPathMinutes, double workMinutes, Map<String, Double> resourceMinutes) {

  public LowerBound {
    resourceMinutes = Map.copyOf(resourceMinutes);
  }

  /** The bound of {@code manifest} (a valid plan) whose critical path is already known. */
  public static LowerBound of(Manifest manifest, double criticalPathMinutes) {
    double work = 0;
    Map<String, Double> load = new TreeMap<>();
    manifest.resources().forEach((r, capacity) -> load.put(r, 0.0));
    for (Task t : manifest.tasks()) {
      work += t.estimatedMinutes();
      for (Map.Entry<String, Integer> use : t.resources().entrySet()) {
        Integer capacity = manifest.resources().get(use.getKey());
        if (capacity != null && capacity > 0 && use.getValue() > 0) {
          // a task holds at most the whole pool (validation rejects more)
          double units = Math.min(use.getValue(), capacity);
          load.merge(use.getKey(), t.estimatedMinutes() * units / capacity, Double::sum);
        }
      }
    }
    return new LowerBound(criticalPathMinutes, work, load);
  }

  /** The most loaded resource (the first by name on a tie), if the plan declares any. */
  public Optional<String> busiestResource() {
    String best = null;
    for (String r : new TreeMap<>(resourceMinutes).keySet()) {
      if (best == null || resourceMinutes.get(r) > resourceMinutes.get(best)) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /** max(critical path, work / agents, each resource's minutes). */
  public double minutes(int agents) {
    double bound = Math.max(criticalPathMinutes, workMinutes / Math.max(1, agents));
    for (double r : resourceMinutes.values()) {
      bound = Math.max(bound, r);
    }
    return bound;
  }
}
