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
        new String[] {SLICE, "examples/shopping-cart.yaml", "examples/crud.json"}) {
      assertThat(Cli.run("validate", example)).succeeded().printed(example + ": ok");
    }
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
  void analyzeExplainsConflicts() {
    assertThat(Cli.run("analyze", "examples/shopping-cart.yaml"))
        .succeeded()
        .printed("CART_API--T01 <-> CART_UI--T01", "package.json", "Critical path", "Score");
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
}
