package dev.braid.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.analysis.ChangeOverlaps.Overlap;
import dev.braid.analysis.ChangeOverlaps.Ran;
import dev.braid.manifest.Task;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeAuditTest {

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  static Task scoped(String id, String... scope) {
    return Task.of(id).withFileScope(List.of(scope));
  }

  static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  @Test
  void changesOutsideTheScopeAndInFrozenFilesAreNamed() {
    Task t = scoped("API", "src/api/", "docs/*.md");
    ScopeAudit a =
        ScopeAudit.of(
            t,
            List.of(
                "src/api/cart.ts",
                "docs/api.md",
                "docs/deep/x.md",
                "package.json",
                "contracts/cart.d.ts"),
            List.of("contracts/**", "src/api/frozen.ts"));
    assertThat(a.taskId()).isEqualTo("API");
    assertThat(a.outOfScope())
        .containsExactly("docs/deep/x.md", "package.json", "contracts/cart.d.ts");
    assertThat(a.frozen()).containsExactly("contracts/cart.d.ts");
    assertThat(a.withinScope()).isFalse();

    ScopeAudit inside = ScopeAudit.of(t, List.of("src/api/a.ts"), List.of("src/api/frozen.ts"));
    assertThat(inside.withinScope()).isTrue();
    assertThat(inside.frozen()).isEmpty();
    assertThat(
            ScopeAudit.of(t, List.of("src/api/frozen.ts"), List.of("src/api/frozen.ts")).frozen())
        .as("a frozen file is forbidden even inside the scope")
        .containsExactly("src/api/frozen.ts");
  }

  @Test
  void aTaskThatDeclaredNoScopeHasEveryChangeOutOfScopeAndBadPatternsAreSkipped() {
    assertThat(ScopeAudit.of(Task.of("X"), List.of("a", "b/c"), List.of()).outOfScope())
        .containsExactly("a", "b/c");
    assertThat(
            ScopeAudit.of(scoped("Y", "/abs", "ok/"), List.of("ok/1", "abs"), List.of("***"))
                .outOfScope())
        .containsExactly("abs");
  }

  @Test
  void tasksRunningTogetherThatChangeTheSameUndeclaredFileOverlap() {
    List<Overlap> found =
        ChangeOverlaps.undeclared(
            List.of(
                new Ran("B", at(1), at(5), List.of("util.ts", "z.ts")),
                new Ran("A", at(0), at(3), List.of("util.ts", "z.ts", "a-only.ts")),
                new Ran("C", at(5), at(9), List.of("util.ts")), // starts as B ends
                new Ran("D", at(6), at(7), List.of("util.ts", "b.ts")),
                new Ran("E", at(0), at(9), List.of("declared-elsewhere.ts"))));
    assertThat(found)
        .containsExactly(
            new Overlap("A", "B", List.of("util.ts", "z.ts")),
            new Overlap("C", "D", List.of("util.ts")));
    assertThat(ChangeOverlaps.undeclared(List.of())).isEmpty();
  }

  @Test
  void suggestionsAddUncoveredFilesAndCollapseCrowdedDirectories() {
    Task t = scoped("T", "src/a/");
    assertThat(
            ScopeSuggestions.additions(
                t,
                List.of(
                    "src/a/in.ts",
                    "src/b/1.ts",
                    "src/b/2.ts",
                    "src/b/3.ts",
                    "src/c/1.ts",
                    "root.txt",
                    "x/y.ts",
                    "x/z.ts")))
        .containsExactly("root.txt", "src/b/", "src/c/1.ts", "x/y.ts", "x/z.ts");
    assertThat(ScopeSuggestions.additions(t, List.of("src/a/deep/x.ts"))).isEmpty();
  }
}
