package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid report}'s numbers against what the runs did, on real processes. */
class ReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ABC =
      """
      version: 1
      tasks:
        - {task_id: A, command: "sleep 0.2", est: 2}
        - {task_id: B, command: "sleep 0.2", est: 2}
        - {task_id: C, command: "sleep 0.2", depends_on_tasks: [B], est: 2}
      """;

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  private JsonNode report(Path state) throws IOException {
    Cli.Result r = Cli.run("report", "--format", "json", "--state-dir", state.toString());
    assertThat(r).succeeded();
    return JSON.readTree(r.out());
  }

  private static Map<String, JsonNode> tasks(JsonNode report) {
    Map<String, JsonNode> m = new HashMap<>();
    report.get("tasks").forEach(t -> m.put(t.get("task_id").asText(), t));
    return m;
  }

  @Test
  void estimatesAndPredictionAreThoseOfTheRunNotOfThePlanAsItIsNow() throws IOException {
    Path plan = write("plan.yaml", ABC);
    Path state = dir.resolve(".braid");
    assertThat(Cli.run("run", plan.toString(), "-j", "2", "--plain")).succeeded();
    assertThat(Cli.run("report", "--state-dir", state.toString()).out())
        .contains("predicted makespan 4m");

    Files.writeString(plan, ABC.replace("est: 2", "est: 20"));
    JsonNode edited = report(state);
    assertThat(edited.get("predicted_makespan_minutes").asDouble()).isEqualTo(4.0);
    assertThat(tasks(edited).get("C").get("est_minutes").asDouble()).isEqualTo(2.0);

    Files.writeString(plan, "version: 1\ntasks: [oops");
    assertThat(tasks(report(state)).get("A").get("est_minutes").asDouble()).isEqualTo(2.0);
    Files.delete(plan);
    JsonNode gone = report(state);
    assertThat(gone.get("predicted_makespan_minutes").asDouble()).isEqualTo(4.0);
    assertThat(tasks(gone).get("B").get("est_minutes").asDouble()).isEqualTo(2.0);
  }

  @Test
  void aChecklistsDoneMarksDoNotTakeItsTasksOutOfTheReport() throws IOException {
    Path plan =
        write(
            "tasks.md",
            """
            # Tasks

            ## Phase 1: Work

            - [ ] T001 [P] First in a.txt (2 min)
            - [ ] T002 [P] Second in b.txt (2 min)
            - [ ] T003 Third in c.txt (2 min)
            """);
    assertThat(Cli.run("run", plan.toString(), "-j", "2", "--plain", "--command", "true"))
        .succeeded();
    assertThat(Files.readString(plan)).contains("[X] T001", "[X] T003"); // Braid's write-back
    JsonNode report = report(dir.resolve(".braid"));
    assertThat(report.get("predicted_makespan_minutes").asDouble()).isEqualTo(4.0);
    tasks(report)
        .values()
        .forEach(t -> assertThat(t.get("est_minutes").asDouble()).as("%s", t).isEqualTo(2.0));
  }

  @Test
  void aStateDirectoryFromBeforePredictionsWereRecordedStillOpensAndUsesThePlan() throws Exception {
    Path plan = write("plan.yaml", ABC);
    Path state = dir.resolve(".braid");
    assertThat(Cli.run("run", plan.toString(), "-j", "2", "--plain")).succeeded();
    // Back to schema version 3, as the Braid before predictions left it.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("braid.db"));
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE runs DROP COLUMN predicted_minutes");
      s.execute("ALTER TABLE runs DROP COLUMN predicted_savings_percent");
      s.execute("ALTER TABLE tasks DROP COLUMN est_minutes");
      s.execute("PRAGMA user_version = 3");
    }
    Files.writeString(plan, ABC.replace("est: 2", "est: 20"));
    // A reader upgrades it (no runner holds it); the run has no recorded prediction, so the
    // report works it out of the plan as before.
    assertThat(report(state).get("predicted_makespan_minutes").asDouble()).isEqualTo(40.0);
    // A runner upgrades it; the old run still has no recorded prediction.
    assertThat(Cli.run("run", plan.toString(), "-j", "2", "--plain")).succeeded();
    JsonNode upgraded = report(state);
    assertThat(tasks(upgraded).get("A").get("est_minutes").asDouble()).isEqualTo(20.0);
  }

  @Test
  void aRetrysBackoffIsPartOfTheMakespan() throws IOException {
    Path plan =
        write(
            "plan.yaml",
            """
            version: 1
            tasks:
              - {task_id: A, command: "sleep 0.2; exit 1", retries: 1}
            """);
    Cli.Result run = Cli.run("run", plan.toString(), "--plain", "--retry-backoff", "2s");
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode report = report(dir.resolve(".braid"));
    // two attempts of 0.2 s with 2 s between them, all in one session
    assertThat(report.get("makespan_seconds").asDouble()).isGreaterThanOrEqualTo(2.4);
    assertThat(report.get("retries").asInt()).isEqualTo(1);
    assertThat(report.get("resume_reruns").asInt()).isZero();
    String junit =
        Cli.run("report", "--format", "junit", "--state-dir", dir.resolve(".braid").toString())
            .out();
    Matcher time = Pattern.compile("<testsuite [^>]*time=\"([0-9.]+)\"").matcher(junit);
    assertThat(time.find()).as(junit).isTrue();
    assertThat(Double.parseDouble(time.group(1))).isGreaterThanOrEqualTo(2.4);
  }

  @Test
  void aResumedRunCountsEachSessionWithItsAgentsAndItsReRunsAreNoRetries() throws IOException {
    Path plan =
        write(
            "plan.yaml",
            """
            version: 1
            tasks:
              - {task_id: A, command: "test -f ok && sleep 0.6"}
              - {task_id: B, command: "sleep 0.6"}
              - {task_id: C, command: "sleep 0.6"}
            """);
    assertThat(Cli.run("run", plan.toString(), "-j", "2", "--plain").exitCode()).isEqualTo(1);
    Files.writeString(dir.resolve("ok"), "");
    assertThat(Cli.run("run", plan.toString(), "-j", "1", "--plain")).succeeded();
    Path state = dir.resolve(".braid");
    JsonNode report = report(state);
    assertThat(report.get("retries").asInt()).isZero();
    assertThat(report.get("resume_reruns").asInt()).isEqualTo(1);
    assertThat(report.get("agents_per_session").toString()).isEqualTo("[2,1]");
    // B and C filled both agents of the first session, A the one of the second: the agents were
    // busy nearly all the time they had (on 2 agents throughout it would be 75%).
    assertThat(report.get("efficiency").asDouble()).isGreaterThan(0.85);
    assertThat(Cli.run("report", "--state-dir", state.toString()).out())
        .contains("on 2 agents, then 1", "retries 0, re-runs on resumption 1");
  }

  @Test
  void aTasksActualTimeInAWorktreeRunIsItsOwnAsOnTheConsole() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    GitCommand.git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve("readme.txt"), "hello\n");
    Files.writeString(repo.resolve(".gitignore"), ".braid/\n");
    GitCommand.git(repo, "add", "-A");
    GitCommand.git(repo, "commit", "-q", "-m", "initial");
    Path plan = repo.resolve("braid.yaml");
    Files.writeString(
        plan,
        """
        version: 1
        tasks:
          - {task_id: A, command: "echo a > a.txt"}
          - {task_id: B, command: "echo b > b.txt"}
        """);
    Cli.Result run = Cli.run("run", plan.toString(), "--plain", "--isolation", "worktree");
    assertThat(run).succeeded();
    JsonNode report = report(repo.resolve(".braid"));
    assertThat(report.has("integration")).isTrue(); // worktrees, set up and merged
    for (String task : new String[] {"A", "B"}) {
      Matcher shown = Pattern.compile("ok +" + task + " \\((\\d+)ms\\)").matcher(run.out());
      assertThat(shown.find()).as(run.out()).isTrue();
      assertThat(tasks(report).get(task).get("actual_seconds").asDouble() * 1000)
          .as(task)
          .isEqualTo(Double.parseDouble(shown.group(1)));
    }
  }
}
