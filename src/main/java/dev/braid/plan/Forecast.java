package dev.braid.plan;

import dev.braid.analysis.LowerBound;
import java.util.List;

/**
 * What running a plan with {@code agents} agents is predicted to take, both wave by wave (the
 * seeds' groups) and with the dynamic scheduler (the schedule the runner follows).
 *
 * @param serialMinutes one agent doing every task: the sum of estimates
 * @param lowerBound what no schedule can beat: critical path, work / agents, resource loads
 */
public record Forecast(
    int agents,
    List<Group> groups,
    double wavesMinutes,
    Schedule schedule,
    double serialMinutes,
    double criticalPathMinutes,
    LowerBound lowerBound) {

  public Forecast {
    groups = List.copyOf(groups);
  }

  /** Predicts the run of {@code graph} on {@code agents} agents. */
  public static Forecast of(TaskGraph graph, int agents) {
    Schedule schedule = Simulator.simulate(graph, agents);
    List<Group> groups = Waves.of(graph, agents);
    double serial = graph.totalMinutes();
    double critical = graph.criticalPathMinutes();
    return new Forecast(
        agents,
        groups,
        Waves.totalMinutes(groups),
        schedule,
        serial,
        critical,
        LowerBound.of(graph.manifest(), critical));
  }

  /** No schedule with {@link #agents} agents can be shorter: {@link LowerBound#minutes}. */
  public double lowerBoundMinutes() {
    return lowerBound.minutes(agents);
  }

  public double makespanMinutes() {
    return schedule.makespanMinutes();
  }

  /** Share of the serial time saved by the dynamic schedule, 0..100. */
  public double savingsPercent() {
    return serialMinutes == 0 ? 0 : 100.0 * (serialMinutes - makespanMinutes()) / serialMinutes;
  }

  /** Share of the serial time saved wave by wave, 0..100. */
  public double wavesSavingsPercent() {
    return serialMinutes == 0 ? 0 : 100.0 * (serialMinutes - wavesMinutes) / serialMinutes;
  }

  public double speedup() {
    return makespanMinutes() == 0 ? 1 : serialMinutes / makespanMinutes();
  }

  /** Makespan over the lower bound: 1.0 is optimal. */
  public double lowerBoundRatio() {
    double bound = lowerBoundMinutes();
    return bound == 0 ? 1 : makespanMinutes() / bound;
  }
}
