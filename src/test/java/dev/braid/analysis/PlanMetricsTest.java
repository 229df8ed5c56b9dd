package dev.braid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Estimate;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Risk;
import dev.braid.manifest.Task;
import dev.braid.plan.Recommendation;
import dev.braid.plan.TaskGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PlanMetricsTest {

  private static Task task(String id, double minutes, String... deps) {
    return Task.of(id).withEst(Estimate.ofMinutes(minutes)).withDependsOn(List.of(deps));
  }

  private static PlanMetrics metrics(List<Task> tasks) {
    Manifest m = Manifest.of(tasks);
    Conflicts conflicts = Conflicts.derive(m);
    Recommendation advice = Recommendation.of(TaskGraph.of(m, conflicts));
    return PlanMetrics.compute(m, DependencyGraph.of(m), conflicts, advice);
  }

  /** Seed 002, Slice 1.1. */
  static List<Task> slice11() {
    return List.of(
        task("MONOREPO_STRUCTURE--T01", 15),
        task("CONTENT_HASH--T01", 12),
        task("ATOMIC_WRITER--T01", 18),
        task("SQLITE_SCHEMA--T01", 32, "MONOREPO_STRUCTURE--T01")
            .withRisk(Risk.HIGH)
            .withParallel(false),
        task("TESTKIT_INTEGRATION--T01", 10, "SQLITE_SCHEMA--T01"),
        task("METRICS_INFRA--T01", 15, "SQLITE_SCHEMA--T01"));
  }

  @Test
  void seedSlice11() {
    PlanMetrics pm = metrics(slice11());
    assertThat(pm.totalWorkMinutes()).isEqualTo(102);
    assertThat(pm.criticalPath())
        .containsExactly("MONOREPO_STRUCTURE--T01", "SQLITE_SCHEMA--T01", "METRICS_INFRA--T01");
    assertThat(pm.criticalPathMinutes()).isEqualTo(62);
    assertThat(pm.averageParallelism()).isCloseTo(102 / 62.0, within(1e-9));
    // the seed's three groups: max(15, 12, 18) + 32 + max(10, 15) = 65 minutes with 3 agents
    assertThat(pm.scoreReasons().get(0))
        .startsWith(
            "3 of 6 tasks can run side by side: 102 minutes of work done in 65 with 3 agents,"
                + " 36% saved");
    assertThat(pm.scoreReasons())
        .anyMatch(r -> r.startsWith("1 High-risk or parallel: false task runs alone"))
        .anyMatch(r -> r.startsWith("3 dependency edges among 6 tasks"));
    assertThat(pm.score()).isBetween(4.0, 6.0);
    assertThat(pm.warnings()).isEmpty();
  }

  @Test
  void chainScoresZeroWithOneAgent() {
    List<Task> chain = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chain.add(i == 0 ? task("C0", 20) : task("C" + i, 20, "C" + (i - 1)));
    }
    PlanMetrics pm = metrics(chain);
    assertThat(pm.criticalPath()).containsExactly("C0", "C1", "C2", "C3", "C4", "C5");
    assertThat(pm.criticalPathMinutes()).isEqualTo(120);
    assertThat(pm.averageParallelism()).isEqualTo(1);
    assertThat(pm.scoreReasons().get(0)).contains("done in 120 with 1 agent,");
    assertThat(pm.score()).isLessThan(0.5);
    assertThat(pm.warnings())
        .extracting(Diagnostic::message)
        .singleElement()
        .asString()
        .startsWith("tightly coupled plan");
  }

  @Test
  void independentEqualTasksScoreHigh() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.add(task("T" + i, 30));
    }
    PlanMetrics pm = metrics(tasks);
    assertThat(pm.averageParallelism()).isEqualTo(8);
    assertThat(pm.scoreReasons().get(0)).contains("done in 30 with 8 agents");
    assertThat(pm.score()).isEqualTo(10);
    assertThat(pm.scoreReasons()).hasSize(2);
    assertThat(pm.warnings()).isEmpty();
  }

  @Test
  void conflictsSerializeAndLowerTheScore() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(task("T" + i, 30).withFileScope(List.of("src/shared/")));
    }
    PlanMetrics pm = metrics(tasks);
    assertThat(pm.averageParallelism()).isEqualTo(4); // estimates alone say 4-wide
    // but every pair conflicts
    assertThat(pm.scoreReasons().get(0)).startsWith("1 of 4 tasks can run side by side");
    assertThat(pm.score()).isZero();
  }

  @Test
  void parallelFalseRunsAlone() {
    PlanMetrics pm =
        metrics(List.of(task("A", 30), task("B", 30).withParallel(false), task("C", 30)));
    // B waits for A to end, then runs alone, then C: the scheduler does not backfill
    assertThat(pm.scoreReasons().get(0))
        .startsWith(
            "1 of 3 tasks can run side by side: 90 minutes of work done in 90 with 1 agent, 0%"
                + " saved");
  }

  @Test
  void tinyTasksWarnEachOrTogether() {
    PlanMetrics few = metrics(List.of(task("A", 5), task("B", 30), task("C", 9)));
    assertThat(few.warnings())
        .extracting(Diagnostic::message)
        .containsExactly(
            "task 'A' is estimated at 5 minutes: too small to be worth its own agent (premature"
                + " parallelization); merge it with related work or set parallel: false",
            "task 'C' is estimated at 9 minutes: too small to be worth its own agent (premature"
                + " parallelization); merge it with related work or set parallel: false");
    assertThat(few.warnings()).allMatch(d -> !d.isError() && "est".equals(d.field()));

    List<Task> many = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      many.add(task("S" + i, 5));
    }
    PlanMetrics pm = metrics(many);
    assertThat(pm.warnings())
        .extracting(Diagnostic::message)
        .singleElement()
        .asString()
        .startsWith("7 parallel tasks are estimated under 10 minutes (S0, S1, S2, S3, S4, ...)");
    assertThat(pm.scoreReasons()).anyMatch(r -> r.startsWith("7 tasks under 10 minutes"));
  }

  @Test
  void tooManyHighRiskTasks() {
    PlanMetrics pm =
        metrics(
            List.of(
                task("A", 30).withRisk(Risk.HIGH),
                task("B", 30).withRisk(Risk.HIGH),
                task("C", 30),
                task("D", 30)));
    assertThat(pm.warnings())
        .extracting(Diagnostic::message)
        .singleElement()
        .asString()
        .startsWith("2 of 4 tasks are High-risk (over 30%)");
  }

  @Test
  void emptyPlan() {
    PlanMetrics pm = metrics(List.of());
    assertThat(pm.criticalPath()).isEmpty();
    assertThat(pm.score()).isZero();
  }

  @Provide
  Arbitrary<List<Task>> dags() {
    return Arbitraries.randomValue(
        (Random r) -> {
          List<Task> tasks = new ArrayList<>();
          int n = 1 + r.nextInt(20);
          for (int i = 0; i < n; i++) {
            List<String> deps = new ArrayList<>();
            for (int k = 0; k < i; k++) {
              if (r.nextInt(5) == 0) {
                deps.add("T" + k);
              }
            }
            Task t = task("T" + i, r.nextInt(4) * 10 + 5, deps.toArray(String[]::new));
            if (r.nextInt(6) == 0) {
              t = t.withParallel(false);
            }
            if (r.nextInt(4) == 0) {
              t = t.withFileScope(List.of(r.nextBoolean() ? "src/" : "src/a.ts"));
            }
            tasks.add(t);
          }
          return tasks;
        });
  }

  @Property(tries = 300)
  void metricsAreConsistent(@ForAll("dags") List<Task> tasks) {
    PlanMetrics pm = metrics(tasks);
    Map<String, Task> byId = new java.util.HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    double longest = tasks.stream().mapToDouble(Task::estimatedMinutes).max().orElseThrow();
    double sum = tasks.stream().mapToDouble(Task::estimatedMinutes).sum();
    assertThat(pm.totalWorkMinutes()).isEqualTo(sum);
    assertThat(pm.criticalPathMinutes()).isBetween(longest, sum);
    double along = 0;
    for (int k = 0; k < pm.criticalPath().size(); k++) {
      Task t = byId.get(pm.criticalPath().get(k));
      along += t.estimatedMinutes();
      if (k > 0) {
        assertThat(t.dependsOn()).contains(pm.criticalPath().get(k - 1));
      }
    }
    assertThat(along).isEqualTo(pm.criticalPathMinutes());
    assertThat(pm.score()).isBetween(0.0, 10.0);
    assertThat(pm.scoreReasons()).isNotEmpty();
  }
}
