package dev.braid.plan;

import dev.braid.analysis.AgentAdvice;
import java.util.ArrayList;
import java.util.List;

/**
 * How many agents to run a plan with: the fewest whose makespan, simulated with the real scheduler
 * ({@link Simulator}), is within {@link #TOLERANCE} of the makespan with {@link #MAX_AGENTS} (or as
 * many agents as tasks, if fewer).
 *
 * <p>The search simulates as few agent counts as it can. The run with the most agents also gives
 * the peak parallelism {@code p}; with {@code p} agents or more the schedule is the same (the agent
 * limit never binds), so no count above {@code p} is tried. No schedule beats work / agents, so no
 * count below work / (the target makespan) is tried. Between the two it bisects, taking the
 * makespan as non-increasing in the number of agents; list scheduling has rare anomalies where one
 * more agent is slower, and there the bisection may settle on a count a little above the smallest
 * one that meets the target. At most 1 + log2(16) = 5 simulations, often 1 or 2.
 *
 * @param agents the recommended number of agents, 1 for an empty plan
 * @param makespanMinutes the simulated makespan with {@code agents}
 * @param bestMakespanMinutes the shortest simulated makespan among the trials
 * @param peakParallelism most tasks running at once with the most agents
 * @param trials every simulation run, in the order run
 */
public record Recommendation(
    int agents,
    double makespanMinutes,
    double bestMakespanMinutes,
    int peakParallelism,
    List<Trial> trials)
    implements AgentAdvice {

  /** Most agents ever recommended; past this, coordination dominates (seed 001: 2-5 typical). */
  public static final int MAX_AGENTS = 16;

  /** More agents must shorten the makespan by more than this share to be recommended. */
  public static final double TOLERANCE = 0.10;

  /** One simulation: the makespan with {@code agents} agents. */
  public record Trial(int agents, double makespanMinutes) {}

  public Recommendation {
    if (agents < 1) {
      throw new IllegalArgumentException("agents must be >= 1: " + agents);
    }
    trials = List.copyOf(trials);
  }

  /** Searches the agent count for {@code graph} (a valid plan). */
  public static Recommendation of(TaskGraph graph) {
    int n = graph.size();
    if (n == 0) {
      return new Recommendation(1, 0, 0, 0, List.of());
    }
    List<Trial> trials = new ArrayList<>();
    int most = Math.min(MAX_AGENTS, n);
    Simulator.Outcome top = Simulator.outcome(graph, most);
    trials.add(new Trial(most, top.makespanMinutes()));
    double target = top.makespanMinutes() * (1 + TOLERANCE);
    // With hi agents the makespan is top's (hi >= peak); find the fewest within the target.
    int hi = Math.clamp(top.peak(), 1, most);
    double hiMakespan = top.makespanMinutes();
    // work / agents is a lower bound on the makespan; the small margin absorbs rounding
    int lo = (int) Math.ceil(graph.totalMinutes() / target * (1 - 1e-9));
    lo = Math.clamp(lo, 1, hi);
    double best = top.makespanMinutes();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      double makespan = Simulator.outcome(graph, mid).makespanMinutes();
      trials.add(new Trial(mid, makespan));
      best = Math.min(best, makespan);
      if (makespan <= target + 1e-9) {
        hi = mid;
        hiMakespan = makespan;
      } else {
        lo = mid + 1;
      }
    }
    return new Recommendation(hi, hiMakespan, best, top.peak(), trials);
  }
}
