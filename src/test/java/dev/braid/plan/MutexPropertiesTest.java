package dev.braid.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.analysis.Conflicts;
import dev.braid.manifest.AcceptanceCriterion;
import dev.braid.manifest.Estimate;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Cliques kept whole (tasks sharing a glob, a shared file, a table or a capability are one mutex)
 * must schedule exactly as the same conflicts given pair by pair: the simulator, the waves and a
 * real run's replay (failures, retries, reservations) start the same tasks at the same times in the
 * same slots.
 */
public class MutexPropertiesTest {

  private static final String[] SCOPES = {
    "src/**/*.ts",
    "src/a/",
    "src/a/x.ts",
    "src/b/",
    "lib/",
    "lib/*.ts",
    "lib/y.ts",
    "docs/",
    "package.json",
    "./",
    "db/schema.sql",
    "tools/"
  };
  private static final String[] TEXTS = {"the users table", "table orders", "no table at all"};

  /** A random plan with shared globs, files, tables and capabilities, and pairwise overlaps. */
  public static Manifest mixedPlan(long seed, int size) {
    Random r = new Random(seed);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      List<String> deps = new ArrayList<>();
      for (int d = 0; d < r.nextInt(3) && i > 0; d++) {
        String dep = "T" + r.nextInt(i);
        if (!deps.contains(dep)) {
          deps.add(dep);
        }
      }
      List<String> scope = new ArrayList<>();
      for (int k = r.nextInt(3); k > 0; k--) {
        scope.add(SCOPES[r.nextInt(SCOPES.length)]);
      }
      List<AcceptanceCriterion> ac = new ArrayList<>();
      if (r.nextInt(4) == 0) {
        ac.add(AcceptanceCriterion.of(TEXTS[r.nextInt(TEXTS.length)]));
      }
      List<String> conflicts = new ArrayList<>();
      if (r.nextInt(6) == 0) {
        conflicts.add("T" + r.nextInt(size));
      }
      Map<String, Integer> res = new HashMap<>();
      if (r.nextInt(6) == 0) {
        res.put("db", 1 + r.nextInt(2));
      }
      tasks.add(
          Task.of("T" + i)
              .withDependsOn(deps)
              .withFileScope(scope)
              .withAcceptanceCriteria(ac)
              .withConflictsWith(conflicts)
              .withCapabilityId(r.nextInt(5) == 0 ? (r.nextBoolean() ? "CAP_A" : "CAP_B") : null)
              .withEst(Estimate.ofMinutes(1 + r.nextInt(30)))
              .withPriority(1 + r.nextInt(5))
              .withParallel(r.nextInt(15) != 0)
              .withResources(res)
              .withRetries(r.nextInt(4) == 0 ? 1 : 0));
    }
    return new Manifest(
        null, 1, null, tasks, null, Map.of(), Map.of("db", 2), List.of(), List.of(), null, null);
  }

  /** The plan's graph with cliques as mutexes, and with the same conflicts as pairs only. */
  private static TaskGraph[] bothWays(Manifest m) {
    Conflicts derived = Conflicts.derive(m);
    TaskGraph mutexes = TaskGraph.of(m, derived);
    TaskGraph pairs = TaskGraph.of(m, new Conflicts(derived.pairs()));
    assertThat(pairs.mutexCount()).isZero();
    for (int t = 0; t < m.tasks().size(); t++) {
      assertThat(mutexes.conflicts(t)).as("conflicts of T%d", t).isEqualTo(pairs.conflicts(t));
    }
    return new TaskGraph[] {mutexes, pairs};
  }

  @Property(tries = 300)
  void simulationAndWavesAreThoseOfPairs(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int size,
      @ForAll @IntRange(min = 1, max = 8) int agents) {
    TaskGraph[] g = bothWays(mixedPlan(seed, size));
    assertThat(Simulator.simulate(g[0], agents)).isEqualTo(Simulator.simulate(g[1], agents));
    assertThat(Waves.of(g[0], agents)).isEqualTo(Waves.of(g[1], agents));
  }

  @Property(tries = 300)
  void aRunsDecisionsAreThoseOfPairs(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 40) int size,
      @ForAll @IntRange(min = 1, max = 6) int agents,
      @ForAll @IntRange(min = 0, max = 8) int depth,
      @ForAll @IntRange(min = 0, max = 20) int lagTenths) {
    TaskGraph[] g = bothWays(mixedPlan(seed, size));
    assertThat(
            ReservationPropertiesTest.replay(g[0], agents, depth, lagTenths / 10.0, seed).starts())
        .isEqualTo(
            ReservationPropertiesTest.replay(g[1], agents, depth, lagTenths / 10.0, seed).starts());
  }

  @Test
  void oneGlobSharedByEveryTaskIsOneMutexWhatElseTheyShare() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      tasks.add(
          Task.of("T" + i)
              .withFileScope(List.of("src/m" + i + "/", "src/**/*.ts"))
              .withCapabilityId(i % 3 == 0 ? "CAP" : null) // a clique inside the glob's
              .withEst(Estimate.ofMinutes(1 + i % 7)));
    }
    Manifest m = Manifest.of(tasks);
    Conflicts c = Conflicts.derive(m);
    assertThat(c.size()).isEqualTo(300 * 299 / 2);
    assertThat(c.cliques()).hasDimensions(1, 300);
    assertThat(List.of(c.storedAdjacency(300))).allSatisfy(row -> assertThat(row).isEmpty());
    TaskGraph[] g = bothWays(m);
    Schedule s = Simulator.simulate(g[0], 8);
    assertThat(s).isEqualTo(Simulator.simulate(g[1], 8));
    assertThat(s.makespanMinutes()).isEqualTo(g[0].totalMinutes()); // one at a time
  }
}
