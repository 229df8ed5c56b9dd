package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandsTest {

  static final String SLICE = "examples/slice-1.1.yaml";

  @TempDir Path dir;

  @Test
  void validateAcceptsEveryBundledExample() {
    for (String example :
        new String[] {
          SLICE, "examples/shopping-cart.yaml", "examples/crud.json", DemoCommand.EXAMPLE
        }) {
      // strict: a warning here is a plan that would not run as its comments say
      assertThat(Cli.run("validate", "--strict", example)).succeeded().printed(example + ": ok");
    }
  }

  @Test
  void aTaskScopedToAFrozenFileIsWarnedItWouldFail() throws Exception {
    Path plan = dir.resolve("frozen.yaml");
    Files.writeString(
        plan,
        """
        frozen_files: [api/contract.ts, "docs/**/*.md"]
        tasks:
          - {task_id: A, command: a, file_scope: [src/, api/contract.ts]}
          - {task_id: B, command: b, file_scope: [docs/, ./docs/api/cart.md]}
          - {task_id: C, command: c, file_scope: [api/other.ts]}
        """);
    assertThat(Cli.run("validate", plan.toString()))
        .succeeded()
        .complained(
            plan
                + ":3:49: warning: file_scope: 'api/contract.ts' is frozen (frozen_files:"
                + " api/contract.ts): the task fails if it changes it",
            plan
                + ":4:50: warning: file_scope: './docs/api/cart.md' is frozen (frozen_files:"
                + " docs/**/*.md): the task fails if it changes it");
    assertThat(Cli.run("validate", plan.toString()).err())
        .doesNotContain("'src/'", "'docs/'", "other");
  }

  @Test
  void tasksSharingScopeEntriesConflictPairByPairWithEveryReason() throws Exception {
    // Conflicts compares each distinct entry once and lists FileScope reasons when read: the
    // pairs and their reasons must be those of comparing every entry of every pair.
    Path plan = dir.resolve("shared.yaml");
    Files.writeString(
        plan,
        """
        tasks:
          - {task_id: A, command: a, file_scope: ["pkg/**/*.ts", pkg/a/]}
          - {task_id: B, command: b, file_scope: ["pkg/**/*.ts", pkg/b/, "pkg/**/*.ts"]}
          - {task_id: C, command: c, file_scope: [pkg/a/x.ts, package.json]}
          - {task_id: D, command: d, file_scope: [docs/, package.json],
             acceptance_criteria: [the users table has rows]}
          - {task_id: E, command: e, file_scope: ["pkg/**/*.ts"], conflicts_with: [D],
             acceptance_criteria: [table users is indexed]}
        """);
    JsonNode json =
        new ObjectMapper().readTree(Cli.run("analyze", plan.toString(), "--format", "json").out());
    assertThat(json.get("conflicts").toString())
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    """
                    [{"a": "A", "b": "B", "reasons": [
                       "file scopes overlap: pkg/**/*.ts and pkg/**/*.ts",
                       "file scopes overlap: pkg/**/*.ts and pkg/b/",
                       "file scopes overlap: pkg/a/ and pkg/**/*.ts"]},
                     {"a": "A", "b": "C", "reasons": [
                       "file scopes overlap: pkg/**/*.ts and pkg/a/x.ts",
                       "file scopes overlap: pkg/a/ and pkg/a/x.ts"]},
                     {"a": "A", "b": "E", "reasons": [
                       "file scopes overlap: pkg/**/*.ts and pkg/**/*.ts",
                       "file scopes overlap: pkg/a/ and pkg/**/*.ts"]},
                     {"a": "B", "b": "C", "reasons": [
                       "file scopes overlap: pkg/**/*.ts and pkg/a/x.ts"]},
                     {"a": "B", "b": "E", "reasons": [
                       "file scopes overlap: pkg/**/*.ts and pkg/**/*.ts",
                       "file scopes overlap: pkg/b/ and pkg/**/*.ts"]},
                     {"a": "C", "b": "D", "reasons": ["both touch shared file package.json"]},
                     {"a": "C", "b": "E", "reasons": [
                       "file scopes overlap: pkg/a/x.ts and pkg/**/*.ts"]},
                     {"a": "D", "b": "E", "reasons": [
                       "declared in conflicts_with", "both name database table users"]}]
                    """)
                .toString());
  }

  @Test
  void aYamlPlanOfTwentyThousandTasksIsReadWhateverItsSize() throws Exception {
    // Over 3 MB, SnakeYAML's default limit: a large but ordinary plan, refused with the
    // library's "exceeds the limit: 3145728 code points" before.
    StringBuilder yaml = new StringBuilder("version: 1\ntasks:\n");
    for (int i = 1; i <= 20_000; i++) {
      yaml.append("  - task_id: T")
          .append(i)
          .append("\n    title: Build module number ")
          .append(i)
          .append("\n    command: \"true\"\n    file_scope: [src/module")
          .append(i)
          .append("/, docs/module")
          .append(i)
          .append("/notes.md, \"lib/module")
          .append(i)
          .append("/**/*.ts\"]\n");
    }
    Path plan = dir.resolve("big.yaml");
    Files.writeString(plan, yaml);
    assertThat(Files.size(plan)).isGreaterThan(3L << 20);
    assertThat(Cli.run("validate", plan.toString())).succeeded().printed(plan + ": ok");
  }

  @Test
  void planOfSlice11GivesTheSeedsNumbers() throws Exception {
    Cli.Result r = Cli.run("plan", SLICE, "--agents", "3", "--format", "json");
    assertThat(r).succeeded();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("serial_minutes").asDouble()).isEqualTo(102);
    assertThat(json.get("waves_minutes").asDouble()).isEqualTo(65);
    assertThat(json.get("makespan_minutes").asDouble()).isLessThanOrEqualTo(65);
    assertThat(json.get("groups")).hasSize(3);
    assertThat(json.get("groups").get(1).get("type").asText()).isEqualTo("serial");
    assertThat(json.get("schedule")).hasSize(6);
    assertThat(json.get("critical_path").get(0).asText()).isEqualTo("MONOREPO_STRUCTURE--T01");
    assertThat(json.get("lower_bound_minutes").asDouble()).isEqualTo(62);
  }

  @Test
  void wavesAndLowerBoundRespectResourceCapacities() throws Exception {
    Path plan = dir.resolve("pool.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        resources: {db: 1, gpu: 2}
        tasks:
          - {task_id: A, command: "sleep 1", file_scope: [a], resources: {db: 1}}
          - {task_id: B, command: "sleep 1", file_scope: [b], resources: {db: 1}}
          - {task_id: C, command: "sleep 1", file_scope: [c], resources: {db: 1}}
          - {task_id: D, command: "sleep 1", file_scope: [d], resources: {db: 1}}
          - {task_id: E, command: "sleep 1", file_scope: [e], resources: {gpu: 1}}
        """);
    Cli.Result r = Cli.run("plan", plan.toString(), "--agents", "4", "--format", "json");
    assertThat(r).succeeded();
    JsonNode json = new ObjectMapper().readTree(r.out());
    // the db pool holds one task at a time: four waves, E fits beside A
    assertThat(json.get("groups")).hasSize(4);
    assertThat(json.get("groups").get(0).get("tasks").toString()).isEqualTo("[\"A\",\"E\"]");
    assertThat(json.get("waves_minutes").asDouble()).isEqualTo(120);
    // db: 4 x 30 minutes x 1 unit / capacity 1; gpu: 30 x 1 / 2
    assertThat(json.get("resource_minutes").get("db").asDouble()).isEqualTo(120);
    assertThat(json.get("resource_minutes").get("gpu").asDouble()).isEqualTo(15);
    assertThat(json.get("lower_bound_minutes").asDouble()).isEqualTo(120);
    assertThat(json.get("lower_bound_ratio").asDouble()).isEqualTo(1.0);
    assertThat(Cli.run("plan", plan.toString(), "--agents", "4"))
        .succeeded()
        .printed(
            "Wave by wave   2h00m (20.0% saved)",
            "Lower bound    2h00m = max(critical path 30m, work/agents 37.5m, resource db 2h00m);"
                + " schedule is 1.00x of it");
    JsonNode analysis =
        new ObjectMapper().readTree(Cli.run("analyze", plan.toString(), "--format", "json").out());
    assertThat(analysis.get("lower_bound_minutes").asDouble()).isEqualTo(120);
    assertThat(Cli.run("analyze", plan.toString()))
        .succeeded()
        .printed("Lower bound     2h00m = max(critical path 30m, work/agents");
  }

  @Test
  void estimatesInSecondsAreShownAndExportedInSeconds() throws Exception {
    Path plan = dir.resolve("seconds.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: A, est: 2s, command: "sleep 2", file_scope: [a]}
          - {task_id: B, est: 1.5s, command: "sleep 1.5", file_scope: [b], depends_on_tasks: [A]}
        """);
    assertThat(Cli.run("plan", plan.toString(), "--agents", "2"))
        .succeeded()
        .printed(
            "A     [1]       0m      2s  |",
            "B     [1]       2s    3.5s  |",
            "Serial time    3.5s (one agent, sum of estimates)",
            "Lower bound    3.5s = max(critical path 3.5s, work/agents 1.8s)");
    assertThat(Cli.run("analyze", plan.toString())).succeeded().printed("Total work      3.5s");
    JsonNode json =
        new ObjectMapper().readTree(Cli.run("plan", plan.toString(), "--format", "json").out());
    // 2 decimals of a minute made A end at 0.03 minutes: 1.8s
    assertThat(json.get("schedule").get(0).get("end_minutes").asDouble() * 60)
        .isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(json.get("serial_minutes").asDouble() * 60)
        .isCloseTo(3.5, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void oneLongTaskWithoutDependenciesIsNotCalledTightlyCoupled() throws Exception {
    Path plan = dir.resolve("long.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: A, est: 100, command: a, file_scope: [a]}
          - {task_id: B, est: 14, command: b, file_scope: [b]}
          - {task_id: C, est: 14, command: c, file_scope: [c]}
        """);
    Cli.Result r = Cli.run("analyze", plan.toString());
    assertThat(r)
        .succeeded()
        .printed(
            plan
                + ":3:23: warning: est: task 'A' alone is 100 of 128 minutes (average parallelism"
                + " 1.28): no number of agents finishes the plan before it; split it");
    assertThat(r.out()).doesNotContain("tightly coupled", "cut dependencies");
  }

  @Test
  void scoreReasonsAndWarningsTellSecondsAndWhereThePointsComeFrom() throws Exception {
    Path plan = dir.resolve("short.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: A, est: 1s, command: a, parallel: false}
          - {task_id: B, est: 0.5s, command: b, parallel: false}
          - {task_id: C, est: 1s, command: c, parallel: false, depends_on_tasks: [A]}
        """);
    assertThat(Cli.run("analyze", plan.toString()))
        .succeeded()
        .printed(
            "1 of 3 tasks can run side by side: 2.5 seconds of work done in 2.5 with 1 agent,",
            "the critical path from 'A' is 2 of 2.5 seconds (average parallelism 1.25)");
    Path two = dir.resolve("two.yaml");
    Files.writeString(
        two,
        """
        version: 1
        tasks:
          - {task_id: A, est: 30s, command: a, file_scope: [a]}
          - {task_id: B, est: 5, command: b, file_scope: [b]}
        """);
    // one agent is recommended (more save under 10%), but the score counts the best schedule's 9%
    assertThat(Cli.run("analyze", two.toString()))
        .succeeded()
        .printed(
            "5.5 minutes of work done in 5.5 with 1 agent, 0% saved (9% with more agents: +1.3)",
            "task 'A' is estimated at 30 seconds: too small");
  }

  @Test
  void planPrintsGroupsGanttAndSavings() {
    assertThat(Cli.run("plan", SLICE, "--agents", "3"))
        .succeeded()
        .printed("parallel", "serial", "SQLITE_SCHEMA--T01", "█", "Serial time", "36.3% saved");
  }

  @Test
  void planFormatsMarkdownAndMermaid() {
    assertThat(Cli.run("plan", SLICE, "--format", "markdown"))
        .succeeded()
        .printed("# Plan", "| Task | Agent | Start | End |");
    assertThat(Cli.run("plan", SLICE, "--format", "mermaid"))
        .succeeded()
        .printed("gantt", "section Agent 1");
  }

  @Test
  void mermaidGanttTimesAreZonelessSoNoViewerSeesThemShifted() throws Exception {
    // Unix seconds (dateFormat X) are instants, which Mermaid's axis draws in the viewer's zone.
    Path plan = dir.resolve("p.yaml");
    Files.writeString(
        plan,
        """
        tasks:
          - {task_id: A, command: 'true', est: 30}
          - {task_id: B, command: 'true', est: 90, depends_on_tasks: [A]}
        """);
    String chart = Cli.run("plan", plan.toString(), "--format", "mermaid").out();
    assertThat(chart)
        .contains(
            "  dateFormat YYYY-MM-DD HH:mm:ss\n  axisFormat %H:%M\n  todayMarker off\n",
            "  A :t0, 2000-01-01 00:00:00, 2000-01-01 00:30:00\n",
            "  B :t1, 2000-01-01 00:30:00, 2000-01-01 02:00:00\n")
        .doesNotContain("dateFormat X");

    Files.writeString(plan, "tasks:\n  - {task_id: A, command: 'true', est: 1500}\n");
    assertThat(Cli.run("plan", plan.toString(), "--format", "mermaid").out())
        .as("past a day, the axis counts days")
        .contains("axisFormat day %-j %H:%M", "A :t0, 2000-01-01 00:00:00, 2000-01-02 01:00:00");
  }

  @Test
  void analyzeExplainsConflicts() {
    assertThat(Cli.run("analyze", "examples/shopping-cart.yaml"))
        .succeeded()
        .printed("CART_API--T01 <-> CART_UI--T01", "package.json", "Critical path", "Score");
  }

  @Test
  void tasksSharingOneGlobAreCountedAsPairsPastWhatAnIntHolds() throws Exception {
    // 65,537 tasks sharing one glob: 2,147,516,416 pairs, kept as one clique, counted as pairs
    StringBuilder json = new StringBuilder("{\"tasks\": [");
    for (int i = 0; i < 65_537; i++) {
      json.append(i == 0 ? "" : ",").append("{\"task_id\": \"T").append(i);
      json.append("\", \"command\": \"true\", \"file_scope\": [\"src/**\"]}");
    }
    Path plan = Files.writeString(dir.resolve("clique.json"), json.append("]}"));
    assertThat(Cli.run("analyze", plan.toString()))
        .succeeded()
        .printed(
            "65537 tasks, 0 dependencies, 2147516416 conflicting pairs",
            "  T0 <-> T1: file scopes overlap: src/** and src/**\n",
            "  … 2147516216 more (use --format json)",
            "- 2147516416 of 2147516416 task pairs conflict (",
            "Recommended     1 agent");
  }

  @Test
  void analyzeCountsOneOfAnythingInTheSingular() throws Exception {
    Path plan = dir.resolve("p.yaml");
    Files.writeString(
        plan,
        """
        tasks:
          - {task_id: A, command: 'true', file_scope: [a/]}
          - {task_id: B, command: 'true', file_scope: [a/b]}
          - {task_id: C, command: 'true', file_scope: [c/], depends_on_tasks: [B]}
        """);
    Cli.Result r = Cli.run("analyze", plan.toString());
    assertThat(r)
        .succeeded()
        .printed(
            "3 tasks, 1 dependency, 1 conflicting pair",
            "- 1 of 3 task pairs conflicts (",
            "- 1 dependency edge among 3 tasks (");
    Files.writeString(plan, "tasks:\n  - {task_id: A, command: 'true', file_scope: [a/]}\n");
    assertThat(Cli.run("analyze", plan.toString()))
        .succeeded()
        .printed("- 1 of 1 task can run side by side: 30 minutes of work done in 30 with 1 agent,");
  }

  @Test
  void cycleIsOneClearErrorWithExitCode2() throws Exception {
    Path plan = dir.resolve("cycle.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: T1
            depends_on_tasks: [T2]
          - task_id: T2
            depends_on_tasks: [T1]
        """);
    assertThat(Cli.run("validate", plan.toString()))
        .exitedWith(2)
        .complained(plan + ":", "T1 -> T2 -> T1")
        .noStackTrace();
  }

  @Test
  void unknownDependencyNamesFileLineAndColumn() throws Exception {
    Path plan = dir.resolve("unknown.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - task_id: T1
            depends_on_tasks: [T9]
        """);
    assertThat(Cli.run("plan", plan.toString()))
        .exitedWith(2)
        .complained(plan + ":4:24:", "T9")
        .noStackTrace();
  }

  @Test
  void aWrongListElementIsNamedWhereItIs() throws Exception {
    Path plan = dir.resolve("nested.yaml");
    Files.writeString(
        plan,
        """
        tasks:
          - {task_id: T0}
          - task_id: T1
            depends_on_tasks: [[T0]]
            file_scope: [src/a.ts, {b: 1}]
        """);
    assertThat(Cli.run("validate", plan.toString()))
        .exitedWith(2)
        .complained(
            plan + ":4:24: error: depends_on_tasks: expected a task id (a string), got a list",
            plan + ":5:28: error: file_scope: expected a path (a string), got an object")
        .noStackTrace();
  }

  @Test
  void anUnquotedGlobIsNotReadAsSomethingElse() throws Exception {
    // YAML takes a value starting with '*' for an alias: [*md] read as a file named md
    Path alias = dir.resolve("alias.yaml");
    Files.writeString(alias, "tasks:\n  - task_id: A\n    command: x\n    file_scope: [*md]\n");
    assertThat(Cli.run("validate", alias.toString()))
        .exitedWith(2)
        .complained(
            alias
                + ":4:18: error: syntax error: *md is a YAML alias, but no &md comes before it;"
                + " a pattern or value that starts with '*' must be quoted: \"*md\"")
        .noStackTrace();
    Path glob = dir.resolve("glob.yaml");
    Files.writeString(glob, "tasks:\n  - task_id: A\n    file_scope:\n      - **/*.ts\n");
    assertThat(Cli.run("validate", glob.toString()))
        .exitedWith(2)
        .complained(
            glob
                + ":4:9: error: syntax error: a value that starts with '*' is a YAML alias; quote"
                + " a pattern that starts with '*' (\"*.md\", \"**/*.ts\")");
  }

  @Test
  void yamlAnchorsAliasesAndMergeKeysAreExpanded() throws Exception {
    Path plan = dir.resolve("anchors.yaml");
    Files.writeString(
        plan,
        """
        x-task: &task
          command: make test
          est: 20m
          risk: low
          file_scope: &ui [src/ui/]
        tasks:
          - <<: *task
            task_id: A
          - <<: *task
            task_id: B
            est: 45m
          - task_id: C
            command: make docs
            file_scope: *ui
        """);

    Cli.Result json = Cli.run("convert", plan.toString(), "--to", "json");

    assertThat(json).succeeded();
    assertThat(json.err()).as("x- fields are extensions, not unknown").isEmpty();
    JsonNode tasks = new ObjectMapper().readTree(json.out()).get("tasks");
    assertThat(tasks.get(0).get("command").asText()).isEqualTo("make test");
    assertThat(tasks.get(0).at("/est/minutes").asInt()).isEqualTo(20);
    assertThat(tasks.get(1).at("/est/minutes").asInt()).as("the task's own key wins").isEqualTo(45);
    assertThat(tasks.get(1).get("risk").asText()).isEqualTo("Low");
    assertThat(tasks.get(2).get("file_scope").get(0).asText()).isEqualTo("src/ui/");
    assertThat(Cli.run("analyze", plan.toString()).out()).contains("A <-> C").contains("B <-> C");
  }

  @Test
  void badYamlMergesAndAliasBombsAreErrors() throws Exception {
    Path merge = dir.resolve("merge.yaml");
    Files.writeString(merge, "tasks:\n  - task_id: A\n    command: x\n    <<: 3\n");
    assertThat(Cli.run("validate", merge.toString()))
        .exitedWith(2)
        .complained(
            merge
                + ":4:9: error: syntax error: << merges a mapping or a list of mappings into this"
                + " one, got a number")
        .noStackTrace();

    // each level doubles the one before: 2^40 values if expanded
    StringBuilder bomb = new StringBuilder("x-0: &a0 [x, x]\n");
    for (int i = 1; i <= 40; i++) {
      bomb.append("x-%d: &a%d [*a%d, *a%d]\n".formatted(i, i, i - 1, i - 1));
    }
    bomb.append("tasks:\n  - task_id: A\n    command: x\n    acceptance_criteria: *a40\n");
    Path laughs = dir.resolve("laughs.yaml");
    Files.writeString(laughs, bomb);
    assertThat(Cli.run("validate", laughs.toString()))
        .exitedWith(2)
        .complained("error: syntax error: YAML aliases expand the plan past 10000000 values")
        .noStackTrace();
  }

  @Test
  void aScopeEntryNamingADirectoryWithoutItsSlashIsWarnedAbout() throws Exception {
    Files.createDirectories(dir.resolve("src/api"));
    Files.createDirectories(dir.resolve("contracts"));
    Files.writeString(dir.resolve("README"), "a file without a dot\n");
    Path plan = dir.resolve("dirs.yaml");
    Files.writeString(
        plan,
        """
        frozen_files: [contracts]
        tasks:
          - {task_id: A, command: x, file_scope: [src/api, README, src/new]}
          - {task_id: B, command: x, file_scope: [src/api/users.ts, src/api/]}
        """);

    Cli.Result r = Cli.run("validate", plan.toString());

    assertThat(r)
        .succeeded()
        .complained(
            plan
                + ":1:16: warning: frozen_files: 'contracts' is a directory, but without a"
                + " trailing '/' it names one file, so the files in it are not covered"
                + " (conflicts, scope checks); write 'contracts/'",
            plan + ":3:43: warning: file_scope: 'src/api' is a directory");
    assertThat(r.err())
        .as("files, directories written with '/', and paths not there yet are as meant")
        .doesNotContain("'README' is", "'src/new' is", "'src/api/' is", "users.ts' is");
  }

  @Test
  void missingFileAndBadFlagsExit2WithoutStackTrace() {
    assertThat(Cli.run("plan", dir.resolve("nope.yaml").toString()))
        .exitedWith(2)
        .complained("nope.yaml")
        .noStackTrace();
    assertThat(Cli.run("plan", SLICE, "--agents", "0")).exitedWith(2).complained("--agents");
    assertThat(Cli.run("plan", SLICE, "--bogus")).exitedWith(2).complained("--bogus");
    assertThat(Cli.run("frobnicate")).exitedWith(2);
  }

  @Test
  void demoPlansRunsAndReportsTheBundledExample() {
    assertThat(Cli.run("demo", "--agents", "4", "--plain"))
        .succeeded()
        .printed(
            "CART_CONTRACT--T01",
            "Scheduled",
            "ok       CART_INTEGRATION--T01",
            "CART_API--T01 | writing src/api/cart/agent-CART_API--T01.txt",
            "agent    CART_API--T01: fake, 4 turns, 720 tokens, $0.0125",
            "agents: 7 tasks, 29 turns, 5,220 tokens, $0.0875",
            "7 succeeded, 0 failed",
            "predicted savings 61.1%");
  }

  @Test
  void everyCommandAnswersHelp() {
    for (String command : List.of("validate", "plan", "run", "status", "report", "dashboard")) {
      assertThat(Cli.run(command, "--help")).succeeded().printed("Usage: braid " + command);
    }
  }

  @Test
  void everyPlanReaderNamesTheDefaultFilesItLooksFor() {
    // prompt reads any format too
    for (String command : List.of("validate", "plan", "run", "export", "doctor", "prompt")) {
      Cli.Result help = Cli.run(command, "--help");
      assertThat(help).succeeded();
      String text = help.out().replaceAll("\\s+", " ");
      assertThat(text)
          .as(command)
          .contains("Default: braid.yaml, braid.yml or braid.json.")
          .doesNotContain("(JSON or YAML)");
    }
  }
}
