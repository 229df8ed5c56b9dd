package dev.braid.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflicts;
import dev.braid.analysis.DependencyGraph;
import dev.braid.manifest.Manifest;
import dev.braid.plan.MutexPropertiesTest;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Exports that add "runs after" edges for conflicts give the same edges whether a clique is a mutex
 * (only its previous task is a candidate) or pairs (every earlier one is).
 */
class RunOrderMutexTest {

  @Property(tries = 300)
  void mutexesGiveTheEdgesOfPairs(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
    Manifest m = MutexPropertiesTest.mixedPlan(seed, size);
    Conflicts derived = Conflicts.derive(m);
    RunOrder mutexes = RunOrder.of(plan(m, derived));
    RunOrder pairs = RunOrder.of(plan(m, new Conflicts(derived.pairs())));
    assertThat(mutexes.order).isEqualTo(pairs.order);
    assertThat(mutexes.after).isDeepEqualTo(pairs.after);
  }

  private static CheckedPlan plan(Manifest m, Conflicts conflicts) {
    return new CheckedPlan(m, List.of(), DependencyGraph.of(m), conflicts);
  }
}
