package dev.braid.analysis;

/**
 * How many agents a plan is worth and what they achieve, as found by simulating it. The simulation
 * belongs to {@code plan} (it drives the real scheduler, which {@code analysis} may not import), so
 * {@code plan.Recommendation} computes this and {@link PlanMetrics} scores the plan from it.
 */
public interface AgentAdvice {

  /** The recommended number of agents, at least 1. */
  int agents();

  /** The predicted makespan with {@link #agents()} agents. */
  double makespanMinutes();

  /** The shortest makespan seen with any number of agents tried. */
  double bestMakespanMinutes();

  /** The most tasks ever running at once when agents are plentiful. */
  int peakParallelism();
}
