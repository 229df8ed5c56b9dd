package dev.braid.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorTest {

  @TempDir Path dir;

  /** The plan's diagnostics as printed, with the temp dir stripped. */
  private List<String> validate(String yaml) throws Exception {
    Path p = dir.resolve("plan.yaml");
    Files.writeString(p, yaml);
    Manifest m = ManifestReader.read(p).manifest();
    return Validator.validate(m).stream().map(d -> d.toString().replace(dir + "/", "")).toList();
  }

  private static final String HEADER = "defaults: {agent: claude}\n";

  @Test
  void validPlanHasNoDiagnostics() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - {task_id: A, file_scope: [a/], conflicts_with: [B]}
                      - {task_id: B, file_scope: [b/], conflicts_with: [A]}
                      - {task_id: C, depends_on_tasks: [A, B], parallel: false, risk: High}
                    """))
        .isEmpty();
  }

  @Test
  void duplicateIdsNameBothLocations() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - {task_id: T1, parallel: false}
                      - {task_id: T1, parallel: false}
                    """))
        .containsExactly(
            "plan.yaml:4:15: error: task_id: duplicate id 'T1' (first defined at plan.yaml:3:15)");
  }

  @Test
  void idsDifferingOnlyInAsciiCaseAreWarnedAbout() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - {task_id: Build, parallel: false}
                      - {task_id: build, parallel: false}
                      - {task_id: BUILD, parallel: false}
                      - {task_id: é, parallel: false}
                      - {task_id: É, parallel: false}
                    """))
        .containsExactly(
            "plan.yaml:4:15: warning: task_id: id 'build' differs from 'Build' (defined at"
                + " plan.yaml:3:15) only in case: on a case-insensitive file system (macOS,"
                + " Windows) their logs, branches and worktrees would be the same, and braid run"
                + " refuses the plan there",
            "plan.yaml:5:15: warning: task_id: id 'BUILD' differs from 'Build' (defined at"
                + " plan.yaml:3:15) only in case: on a case-insensitive file system (macOS,"
                + " Windows) their logs, branches and worktrees would be the same, and braid run"
                + " refuses the plan there");
  }

  @Test
  void aDuplicateIdInTasksMdIsReportedOnceNotAsASelfDependency() throws Exception {
    Path p = dir.resolve("tasks.md");
    Files.writeString(
        p, "## Phase 1: Setup\n\n- [ ] T001 First\n- [ ] T001 Dup\n- [ ] T002 Second\n");
    assertThat(Validator.validate(ManifestReader.read(p).manifest()))
        .filteredOn(d -> d.isError())
        .extracting(d -> d.toString().replace(dir + "/", ""))
        .containsExactly(
            "tasks.md:4:7: error: task_id: duplicate id 'T001' (first defined at"
                + " tasks.md:3:7)");
  }

  @Test
  void unknownAndSelfReferences() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - task_id: A
                        parallel: false
                        depends_on_tasks: [A, T9]
                        conflicts_with: [A, T8]
                    """))
        .containsExactly(
            "plan.yaml:5:24: error: depends_on_tasks: task 'A' depends on itself",
            "plan.yaml:5:27: error: depends_on_tasks: names unknown task 'T9'",
            "plan.yaml:6:22: error: conflicts_with: task 'A' conflicts with itself",
            "plan.yaml:6:25: error: conflicts_with: names unknown task 'T8'");
  }

  @Test
  void cyclesArePrintedWholeOnce() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - {task_id: A, parallel: false, depends_on_tasks: [B]}
                      - {task_id: B, parallel: false, depends_on_tasks: [C]}
                      - {task_id: C, parallel: false, depends_on_tasks: [A]}
                      - {task_id: D, parallel: false, depends_on_tasks: [E]}
                      - {task_id: E, parallel: false, depends_on_tasks: [D]}
                    """))
        .containsExactly(
            "plan.yaml:3:54: error: depends_on_tasks: dependency cycle: A -> B -> C -> A",
            "plan.yaml:6:54: error: depends_on_tasks: dependency cycle: D -> E -> D");
  }

  @Test
  void highRiskMustNotBeParallel() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - {task_id: A, file_scope: [a/], risk: High}
                      - {task_id: B, file_scope: [b/], risk: high, parallel: true}
                    """))
        .containsExactly(
            "plan.yaml:3:42: error: risk: High-risk task 'A' must have parallel: false",
            "plan.yaml:4:58: error: parallel: High-risk task 'B' must have parallel: false");
  }

  @Test
  void resourcesMustBeDeclaredAndFit() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    resources: {gpu: 2}
                    tasks:
                      - {task_id: A, parallel: false, resources: {gpu: 3, db: 1}}
                    """))
        .containsExactly(
            "plan.yaml:4:52: error: resources.gpu: needs 3 of resource 'gpu' but its capacity is"
                + " 2; the task could never start",
            "plan.yaml:4:59: error: resources.db: unknown resource 'db'; declare it in the"
                + " top-level resources");
  }

  @Test
  void warnsAboutTheSeedsParallelRules() throws Exception {
    assertThat(
            validate(
                """
                tasks:
                  - {task_id: A, command: a, file_scope: [a/], conflicts_with: [B]}
                  - {task_id: B, command: b, file_scope: [b/]}
                  - {task_id: C, command: c, file_scope: [], capability_id: CAP}
                  - {task_id: D, command: d, file_scope: [d/], capability_id: CAP}
                  - {task_id: E, file_scope: [e/], parallel: false, depends_on_tasks: [D],
                     conflicts_with: [D], capability_id: CAP}
                """))
        .containsExactly(
            "plan.yaml:2:65: warning: conflicts_with: 'B' does not list 'A' in its"
                + " conflicts_with; treated as symmetric",
            "plan.yaml:4:42: warning: file_scope: parallel task 'C' has an empty file_scope, so"
                + " its file conflicts cannot be detected",
            "plan.yaml:5:63: warning: capability_id: shares capability 'CAP' with 'C' but neither"
                + " depends on the other: Braid keeps them apart (same capability) in no set order;"
                + " depends_on_tasks would give them one",
            "plan.yaml:6:5: warning: task E has nothing to run: give it a command or an agent, or"
                + " run with --agent NAME",
            "plan.yaml:7:23: warning: conflicts_with: 'D' does not list 'E' in its"
                + " conflicts_with; treated as symmetric",
            "plan.yaml:7:23: warning: conflicts_with: 'D' is also in depends_on_tasks, which"
                + " already keeps them apart; redundant");
  }

  @Test
  void capabilityOrderCountsTransitiveDependencies() throws Exception {
    assertThat(
            validate(
                HEADER
                    + """
                    tasks:
                      - {task_id: A, parallel: false, capability_id: CAP}
                      - {task_id: B, parallel: false, depends_on_tasks: [A]}
                      - {task_id: C, parallel: false, depends_on_tasks: [B], capability_id: CAP}
                    """))
        .isEmpty();
  }

  @Test
  void badPatternsAreErrors() throws Exception {
    String bad = "src/***";
    String why = PathPattern.syntaxError(bad).orElseThrow();
    assertThat(
            validate(
                HEADER
                    + "shared_files: ['"
                    + bad
                    + "']\n"
                    + "tasks:\n  - {task_id: A, parallel: false, file_scope: [ok/, '"
                    + bad
                    + "']}\n"))
        .containsExactly(
            "plan.yaml:2:16: error: shared_files: bad pattern '" + bad + "': " + why,
            "plan.yaml:4:53: error: file_scope: bad pattern '" + bad + "': " + why);
  }

  @Test
  void worksOnPlansBuiltInCode() {
    Manifest m = Manifest.of(List.of(Task.of("A").withDependsOn(List.of("Z")).withParallel(false)));
    assertThat(Validator.validate(m))
        .map(Object::toString)
        .containsExactly(
            "<input>: error: depends_on_tasks: names unknown task 'Z'",
            "<input>: warning: task A has nothing to run: give it a command or an agent, or run"
                + " with --agent NAME");
  }
}
