package dev.braid.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.analysis.Conflicts;
import dev.braid.manifest.Estimate;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RecommendationTest {

  private static Recommendation recommend(Manifest m) {
    return Recommendation.of(TaskGraph.of(m, Conflicts.derive(m)));
  }

  private static Task task(String id, double minutes, String... deps) {
    return Task.of(id).withEst(Estimate.ofMinutes(minutes)).withDependsOn(List.of(deps));
  }

  @Test
  void seedSlice11NeedsThreeAgents() {
    Recommendation r = recommend(SchedulerTest.slice11());
    assertThat(r.agents()).isEqualTo(3);
    assertThat(r.makespanMinutes()).isEqualTo(65);
    assertThat(r.peakParallelism()).isEqualTo(3);
  }

  @Test
  void aChainNeedsOneAgent() {
    List<Task> chain = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      chain.add(i == 0 ? task("C0", 20) : task("C" + i, 20, "C" + (i - 1)));
    }
    Recommendation r = recommend(Manifest.of(chain));
    assertThat(r.agents()).isEqualTo(1);
    assertThat(r.makespanMinutes()).isEqualTo(120);
    // the peak is 1, so the run with 6 agents is the only simulation
    assertThat(r.trials()).containsExactly(new Recommendation.Trial(6, 120));
  }

  @Test
  void independentEqualTasksTakeOneAgentEach() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.add(task("T" + i, 30));
    }
    Recommendation r = recommend(Manifest.of(tasks));
    assertThat(r.agents()).isEqualTo(8);
    assertThat(r.makespanMinutes()).isEqualTo(30);
  }

  @Test
  void conflictingTasksNeedOneAgent() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(task("T" + i, 30).withFileScope(List.of("src/shared/")));
    }
    assertThat(recommend(Manifest.of(tasks)).agents()).isEqualTo(1);
  }

  @Test
  void aTaskThatRunsAloneWaitsForTheOthersToDrain() {
    // The scheduler starts nothing while the best ready task waits to run alone (so it cannot
    // starve): A, then B alone, then C, whatever the number of agents.
    Recommendation r =
        recommend(
            Manifest.of(List.of(task("A", 30), task("B", 30).withParallel(false), task("C", 30))));
    assertThat(r.agents()).isEqualTo(1);
    assertThat(r.makespanMinutes()).isEqualTo(90);
  }

  @Test
  void manyIndependentTasksNeedFewSimulations() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tasks.add(task("T" + i, 30));
    }
    Recommendation r = recommend(Manifest.of(tasks));
    // 16 agents: 13 rounds of 30 minutes, 390; the target is 429, and 6000 minutes of work on
    // fewer than 14 agents cannot meet it, so the search bisects 14..16 only.
    assertThat(r.agents()).isEqualTo(15);
    assertThat(r.makespanMinutes()).isEqualTo(420);
    assertThat(r.trials())
        .containsExactly(
            new Recommendation.Trial(16, 390),
            new Recommendation.Trial(15, 420),
            new Recommendation.Trial(14, 450));
  }

  @Test
  void emptyPlan() {
    Recommendation r = recommend(Manifest.of(List.of()));
    assertThat(r.agents()).isEqualTo(1);
    assertThat(r.trials()).isEmpty();
  }

  @Property(tries = 200)
  void theSearchAgreesWithTryingEveryCount(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int size) {
    TaskGraph g = SchedulerPropertiesTest.randomPlan(seed, size, 1).graph();
    Recommendation r = Recommendation.of(g);
    int most = Math.min(Recommendation.MAX_AGENTS, size);
    double[] makespan = new double[most + 1];
    for (int n = 1; n <= most; n++) {
      makespan[n] = Simulator.simulate(g, n).makespanMinutes();
    }
    double target = makespan[most] * (1 + Recommendation.TOLERANCE) + 1e-9;

    assertThat(r.trials()).hasSizeLessThanOrEqualTo(5);
    for (Recommendation.Trial t : r.trials()) {
      assertThat(t.makespanMinutes()).isEqualTo(makespan[t.agents()]);
    }
    assertThat(r.agents()).isBetween(1, most);
    assertThat(r.makespanMinutes()).isEqualTo(makespan[r.agents()]).isLessThanOrEqualTo(target);
    // with as many agents as ever ran at once, the agent limit never binds: same schedule
    for (int n = r.peakParallelism(); n <= most; n++) {
      assertThat(makespan[n]).as("makespan with %d agents", n).isEqualTo(makespan[most]);
    }
    boolean monotone = true;
    for (int n = 2; n <= most; n++) {
      monotone &= makespan[n] <= makespan[n - 1];
    }
    if (monotone) {
      int fewest = 1;
      while (makespan[fewest] > target) {
        fewest++;
      }
      assertThat(r.agents()).isEqualTo(fewest);
    }
  }
}
