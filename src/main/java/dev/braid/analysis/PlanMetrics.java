package dev.braid.analysis;

import dev.braid.manifest.Counts;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Risk;
import dev.braid.manifest.SourceMap;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a plan's shape says about running it in parallel.
 *
 * <p>The score starts from the time the best simulated schedule ({@link AgentAdvice}, computed by
 * {@code plan.Recommendation} with the real scheduler) saves over running serially, scaled so that
 * {@link #FULL_SAVINGS} earns 10; it is then reduced for High-risk or non-parallel tasks, conflict
 * density, dependency density and tiny tasks, each reduction named in {@link #scoreReasons} with
 * the points it cost.
 *
 * @param criticalPath task ids of the longest chain by estimates, first to last
 * @param averageParallelism total work divided by the critical path
 * @param lowerBound what no schedule can beat; {@code lowerBound.minutes(agents)} for a count
 * @param score parallelization score from 0 (run it serially) to 10
 * @param scoreReasons why the score is what it is, one short sentence each
 * @param warnings the seeds' anti-patterns found in the plan
 */
public record PlanMetrics(
    List<String> criticalPath,
    double criticalPathMinutes,
    double totalWorkMinutes,
    double averageParallelism,
    LowerBound lowerBound,
    double score,
    List<String> scoreReasons,
    List<Diagnostic> warnings) {

  /** Time saved that earns a full 10 (seed 002: "best case: 60-70% time reduction"). */
  public static final double FULL_SAVINGS = 0.70;

  /** Score lost when every task is High-risk or {@code parallel: false}; they need isolation. */
  static final double SERIAL_PENALTY = 0.5;

  /** Score lost when every pair conflicts; each conflict is a chance of a blocked agent. */
  static final double CONFLICT_PENALTY = 0.5;

  /** Score lost when every pair is a dependency; the critical path already counts most of it. */
  static final double COUPLING_PENALTY = 0.25;

  /** Score lost when every task is tiny; coordination overhead eats the savings. */
  static final double TINY_PENALTY = 0.3;

  /**
   * Parallel tasks estimated under this many minutes are "premature parallelization" (seed 001:
   * three 10-minute tasks took 45 minutes in parallel).
   */
  public static final double TINY_TASK_MINUTES = 10;

  /** Up to this many tiny tasks get one warning each; more get one warning together. */
  static final int MAX_INDIVIDUAL_WARNINGS = 3;

  /** More than this share of High-risk tasks serializes the plan (seed 002's "worst case"). */
  public static final double HIGH_RISK_SHARE_LIMIT = 0.30;

  /** Below this average parallelism the plan is one long chain: parallel agents barely help. */
  public static final double TIGHT_COUPLING_PARALLELISM = 1.3;

  public PlanMetrics {
    criticalPath = List.copyOf(criticalPath);
    scoreReasons = List.copyOf(scoreReasons);
    warnings = List.copyOf(warnings);
  }

  /**
   * Metrics of a valid (acyclic) plan, scored with what simulating it found ({@code advice}).
   *
   * @throws IllegalStateException when the dependency graph has a cycle
   */
  public static PlanMetrics compute(
      Manifest manifest, DependencyGraph graph, Conflicts conflicts, AgentAdvice advice) {
    List<Task> tasks = manifest.tasks();
    int n = tasks.size();
    if (n == 0) {
      return new PlanMetrics(
          List.of(),
          0,
          0,
          0,
          LowerBound.of(manifest, 0),
          0,
          List.of("the plan has no tasks"),
          List.of());
    }
    double[] minutes = new double[n];
    boolean[] alone = new boolean[n];
    double total = 0;
    int serial = 0;
    int highRisk = 0;
    List<Integer> tiny = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Task t = tasks.get(i);
      minutes[i] = t.estimatedMinutes();
      total += minutes[i];
      alone[i] = !t.parallel() || t.risk() == Risk.HIGH;
      serial += alone[i] ? 1 : 0;
      highRisk += t.risk() == Risk.HIGH ? 1 : 0;
      if (!alone[i] && minutes[i] < TINY_TASK_MINUTES) {
        tiny.add(i);
      }
    }
    double[] level = graph.remainingPathMinutes(minutes);
    List<String> path = criticalPath(graph, level);
    double cp = level[indexOfMax(level)];
    double parallelism = cp > 0 ? total / cp : 1;

    // score
    List<String> reasons = new ArrayList<>();
    int recommended = advice.agents();
    double makespan = advice.makespanMinutes();
    double savings = total > 0 ? Math.max(0, 1 - advice.bestMakespanMinutes() / total) : 0;
    double score = 10 * Math.min(1, savings / FULL_SAVINGS);
    reasons.add(
        String.format(
            Locale.ROOT,
            "%d of %s can run side by side: %s %s of work done in %s with %s,"
                + " %.0f%% saved (%s%+.1f)",
            advice.peakParallelism(),
            Counts.count(n, "task"),
            fmt(total, inSeconds(total)),
            unit(inSeconds(total)),
            fmt(makespan, inSeconds(total)),
            Counts.count(recommended, "agent"),
            100 * (1 - (total > 0 ? makespan / total : 1)),
            // the points are for the best schedule: say so when the recommended one saves less
            Math.round(100 * savings) != Math.round(100 * (1 - (total > 0 ? makespan / total : 1)))
                ? String.format(Locale.ROOT, "%.0f%% with more agents: ", 100 * savings)
                : "",
            score));
    double pairs = n * (n - 1L) / 2.0; // in long: 65,537 tasks have more pairs than an int holds
    int edges = 0;
    for (int i = 0; i < n; i++) {
      edges += graph.deps(i).length;
    }
    double[] shares = {
      serial / (double) n,
      pairs > 0 ? conflicts.count() / pairs : 0,
      pairs > 0 ? Math.min(1, edges / pairs) : 0,
      tiny.size() / (double) n
    };
    double[] weights = {SERIAL_PENALTY, CONFLICT_PENALTY, COUPLING_PENALTY, TINY_PENALTY};
    String[] words = {
      Counts.count(serial, "High-risk or parallel: false task") + " run" + s(serial) + " alone",
      conflicts.count()
          + " of "
          + Counts.count((long) pairs, "task pair")
          + " conflict"
          + (conflicts.count() == 1 ? "s" : ""),
      Counts.count(edges, "dependency edge") + " among " + Counts.count(n, "task"),
      Counts.count(tiny.size(), "task")
          + " under "
          + fmt(TINY_TASK_MINUTES)
          + " minutes cost"
          + s(tiny.size())
          + " more to coordinate than "
          + (tiny.size() == 1 ? "it saves" : "they save")
    };
    boolean anyPenalty = false;
    for (int k = 0; k < shares.length; k++) {
      if (shares[k] > 0) {
        double lost = score * weights[k] * shares[k];
        score -= lost;
        reasons.add(String.format(Locale.ROOT, "%s (%+.1f)", words[k], -lost));
        anyPenalty = true;
      }
    }
    if (!anyPenalty) {
      reasons.add("no High-risk, conflicting, coupled or tiny tasks");
    }
    score = Math.round(Math.max(0, Math.min(10, score)) * 10) / 10.0;

    List<Diagnostic> warnings = warnings(manifest, tiny, highRisk, parallelism, level, path.size());
    return new PlanMetrics(
        path, cp, total, parallelism, LowerBound.of(manifest, cp), score, reasons, warnings);
  }

  /** The verb's {@code s}: "1 task runs", "2 tasks run"; nouns go through {@link Counts}. */
  private static String s(int count) {
    return count == 1 ? "s" : "";
  }

  private static String fmt(double minutes) {
    double r = Math.round(minutes * 10) / 10.0;
    return r == Math.rint(r) ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.1f", r);
  }

  /** Amounts under a minute are told in seconds: "0.0 of 0.0 minutes" said nothing. */
  private static boolean inSeconds(double largestMinutes) {
    return largestMinutes > 0 && largestMinutes < 1;
  }

  private static String fmt(double minutes, boolean inSeconds) {
    return fmt(inSeconds ? minutes * 60 : minutes);
  }

  private static String unit(boolean inSeconds) {
    return inSeconds ? "seconds" : "minutes";
  }

  private static int indexOfMax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  /** From the task with the longest remaining path, follow the dependent that carries it. */
  private static List<String> criticalPath(DependencyGraph graph, double[] level) {
    List<String> path = new ArrayList<>();
    int t = indexOfMax(level);
    while (t >= 0) {
      path.add(graph.id(t));
      int next = -1;
      for (int d : graph.dependents(t)) {
        if (next < 0 || level[d] > level[next] || (level[d] == level[next] && d < next)) {
          next = d;
        }
      }
      t = next;
    }
    return path;
  }

  private static List<Diagnostic> warnings(
      Manifest manifest,
      List<Integer> tiny,
      int highRisk,
      double parallelism,
      double[] level,
      int pathTasks) {
    int start = indexOfMax(level);
    List<Task> tasks = manifest.tasks();
    int n = tasks.size();
    SourceMap sources = manifest.sources();
    List<Diagnostic> out = new ArrayList<>();
    if (n > 1 && !tiny.isEmpty()) {
      String advice =
          "too small to be worth its own agent (premature parallelization); merge it with related"
              + " work or set parallel: false";
      if (tiny.size() <= MAX_INDIVIDUAL_WARNINGS) {
        for (int i : tiny) {
          Task t = tasks.get(i);
          out.add(
              Diagnostic.warning(
                  sources.locate(SourceMap.task(i, "est")),
                  "est",
                  String.format(
                      Locale.ROOT,
                      "task '%s' is estimated at %s %s: %s",
                      t.id(),
                      fmt(t.estimatedMinutes(), inSeconds(t.estimatedMinutes())),
                      unit(inSeconds(t.estimatedMinutes())),
                      advice)));
        }
      } else {
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < Math.min(5, tiny.size()); k++) {
          ids.add(tasks.get(tiny.get(k)).id());
        }
        out.add(
            Diagnostic.warning(
                sources.locate(SourceMap.task(tiny.get(0), "est")),
                "est",
                String.format(
                    Locale.ROOT,
                    "%d parallel tasks are estimated under %s minutes (%s%s): each is %s",
                    tiny.size(),
                    fmt(TINY_TASK_MINUTES),
                    String.join(", ", ids),
                    tiny.size() > ids.size() ? ", ..." : "",
                    advice)));
      }
    }
    if (highRisk >= 2 && highRisk > HIGH_RISK_SHARE_LIMIT * n) {
      out.add(
          Diagnostic.warning(
              sources.locate("/tasks"),
              "tasks",
              String.format(
                  Locale.ROOT,
                  "%d of %d tasks are High-risk (over %.0f%%): they run alone, so the plan is"
                      + " mostly serial; revisit the risk analysis or split out the risky parts",
                  highRisk,
                  n,
                  100 * HIGH_RISK_SHARE_LIMIT)));
    }
    boolean seconds = inSeconds(level[start] * parallelism);
    if (n >= 3 && parallelism < TIGHT_COUPLING_PARALLELISM && pathTasks == 1) {
      // no chain makes the plan long but one task: cutting dependencies would not help
      out.add(
          Diagnostic.warning(
              sources.locate(SourceMap.task(start, "est")),
              "est",
              String.format(
                  Locale.ROOT,
                  "task '%s' alone is %s of %s %s (average parallelism %.2f): no number of"
                      + " agents finishes the plan before it; split it",
                  tasks.get(start).id(),
                  fmt(level[start], seconds),
                  fmt(level[start] * parallelism, seconds),
                  unit(seconds),
                  parallelism)));
    } else if (n >= 3 && parallelism < TIGHT_COUPLING_PARALLELISM) {
      out.add(
          Diagnostic.warning(
              sources.locate("/tasks"),
              "tasks",
              String.format(
                  Locale.ROOT,
                  "tightly coupled plan: the critical path from '%s' is %s of %s %s (average"
                      + " parallelism %.2f); run it serially or cut dependencies",
                  tasks.get(start).id(),
                  fmt(level[start], seconds),
                  fmt(level[start] * parallelism, seconds),
                  unit(seconds),
                  parallelism)));
    }
    return out;
  }
}
