package dev.braid.store;

import java.util.Map;

/**
 * What the plan predicted for a run when it started.
 *
 * @param makespanMinutes the predicted makespan at the run's agents
 * @param savingsPercent the predicted share of the serial time saved
 * @param estimates each task's estimated minutes, by task id
 */
public record Prediction(
    double makespanMinutes, double savingsPercent, Map<String, Double> estimates) {

  public Prediction {
    estimates = Map.copyOf(estimates);
  }
}
