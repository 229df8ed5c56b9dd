package dev.braid.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.braid.analysis.ConflictMetrics.Pair;
import dev.braid.manifest.AcceptanceCriterion;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictMetricsTest {

  static Task scoped(String id, String... scope) {
    return Task.of(id).withFileScope(List.of(scope));
  }

  static ConflictMetrics measure(Manifest m, Map<String, List<String>> changed) {
    return ConflictMetrics.measure(m, DependencyGraph.of(m), Conflicts.derive(m), changed);
  }

  @Test
  void predictedPairsThatDidNotOverlapAreFalsePositivesAndUndeclaredOverlapsFalseNegatives() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("A", "src/"), // overlaps B's scope: predicted
                scoped("B", "src/b.ts"),
                scoped("C", "lib/c.ts"), // declared nothing shared with D ...
                scoped("D", "lib/d.ts"),
                scoped("E", "docs/")));
    ConflictMetrics r =
        measure(
            m,
            Map.of(
                "A", List.of("src/a.ts"), // B changed src/b.ts: kept apart for nothing
                "B", List.of("src/b.ts"),
                "C", List.of("lib/c.ts", "lib/util.ts"), // ... but both changed util
                "D", List.of("lib/d.ts", "lib/util.ts"),
                "E", List.of()));

    assertThat(r.tasks()).isEqualTo(5);
    assertThat(r.pairs()).isEqualTo(10);
    assertThat(r.predicted()).isEqualTo(1);
    assertThat(r.overlapping()).isEqualTo(1);
    assertThat(r.falsePositives()).containsExactly(new Pair("A", "B", List.of()));
    assertThat(r.falseNegatives()).containsExactly(new Pair("C", "D", List.of("lib/util.ts")));
    assertThat(r.falsePositiveRate()).isCloseTo(0.1, within(1e-9));
    assertThat(r.falseNegativeRate()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void pairsOrderedByADependencyChainAreNeitherAndTasksThatDidNotRunDoNotCount() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("A", "x.ts"),
                scoped("B", "y.ts").withDependsOn(List.of("A")),
                scoped("C", "x.ts").withDependsOn(List.of("B")), // after A through B
                scoped("D", "x.ts"))); // never ran
    ConflictMetrics r =
        measure(m, Map.of("A", List.of("x.ts"), "B", List.of("x.ts"), "C", List.of("z.ts")));
    assertThat(r.tasks()).isEqualTo(3);
    assertThat(r.predicted()).isZero();
    assertThat(r.overlapping()).isZero();
    assertThat(r.falsePositives()).isEmpty();
    assertThat(r.falseNegatives()).isEmpty();
  }

  @Test
  void pairsKeptApartOnlyByATableOrCapabilityAreNotJudgedByFiles() {
    Manifest m =
        Manifest.of(
            List.of(
                scoped("A", "a.ts")
                    .withAcceptanceCriteria(List.of(new AcceptanceCriterion(null, "orders table"))),
                scoped("B", "b.ts")
                    .withAcceptanceCriteria(List.of(new AcceptanceCriterion(null, "orders table"))),
                scoped("C", "c.ts").withConflictsWith(List.of("A"))));
    ConflictMetrics r =
        measure(m, Map.of("A", List.of("a.ts"), "B", List.of("b.ts", "a.ts"), "C", List.of()));
    assertThat(r.predicted()).isEqualTo(1);
    assertThat(r.falsePositives()).containsExactly(new Pair("A", "C", List.of()));
    assertThat(r.overlapping()).as("A and B overlap, but were kept apart").isEqualTo(1);
    assertThat(r.falseNegatives()).isEmpty();
    assertThat(measure(m, Map.of()).falsePositiveRate()).isZero();
  }
}
