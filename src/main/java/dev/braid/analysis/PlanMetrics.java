package dev.braid.analysis;

import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Manifest;
import java.util.List;

/**
 * What a plan's shape says about running it in parallel.
 *
 * @param criticalPath task ids of the longest chain by estimates, first to last
 * @param averageParallelism total work divided by the critical path
 * @param score parallelization score from 0 (run it serially) to 10
 * @param scoreReasons why the score is what it is, one short sentence each
 * @param warnings the seeds' anti-patterns found in the plan
 */
public record PlanMetrics(
    List<String> criticalPath,
    double criticalPathMinutes,
    double totalWorkMinutes,
    double averageParallelism,
    double score,
    List<String> scoreReasons,
    int recommendedAgents,
    List<Diagnostic> warnings) {

  public PlanMetrics {
    criticalPath = List.copyOf(criticalPath);
    scoreReasons = List.copyOf(scoreReasons);
    warnings = List.copyOf(warnings);
  }

  /** Metrics of a valid (acyclic) plan. */
  public static PlanMetrics compute(Manifest manifest, DependencyGraph graph, Conflicts conflicts) {
    throw new UnsupportedOperationException("TODO: analysis helper");
  }
}
