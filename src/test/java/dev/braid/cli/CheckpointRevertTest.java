package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --on-checkpoint-fail revert}, end to end on real repositories: task x appends a BAD line
 * to app.txt, which the checkpoint greps for. The first failing checkpoint opens a FIFO gate that a
 * task started on top of x waits on, so that task is running when the checkpoint fails, whatever
 * the timing: it merges while the engine waits for running tasks, before the revert is made.
 */
class CheckpointRevertTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Fails while app.txt has a BAD line; the first failure (not a bisection run) opens the gate. */
  private static final String CHECKPOINT =
      """
      checkpoint:
        after: each
        command: 'if grep -q BAD app.txt; then if [ -z "$BRAID_BISECT" ] && mkdir $MEET/failed 2>/dev/null; then echo go > $MEET/gate; fi; exit 1; fi'
      """;

  @TempDir Path tmp;
  Path repo;
  Path meet;

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(tmp.resolve("repo"));
    meet = Files.createDirectories(tmp.resolve("meet"));
    git("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README"), "hello\n");
    Files.writeString(repo.resolve("app.txt"), "app\n");
    Files.writeString(repo.resolve(".gitignore"), ".braid/\nbraid.yaml\n");
    git("add", "-A");
    git("commit", "-q", "-m", "initial");
    Process p = new ProcessBuilder("mkfifo", meet.resolve("gate").toString()).start();
    assertThat(p.waitFor()).isZero();
  }

  String git(String... args) throws IOException, InterruptedException {
    return GitCommand.git(repo, args);
  }

  Path plan(String yaml) throws IOException {
    Path file = repo.resolve("braid.yaml");
    Files.writeString(file, "version: 1\n" + yaml.replace("$MEET", meet.toString()));
    return file;
  }

  JsonNode report(Path plan) throws IOException {
    Cli.Result r = Cli.run("report", "--format", "json", "--plan", plan.toString());
    assertThat(r).succeeded();
    return JSON.readTree(r.out());
  }

  /** Every file on {@code ref} with its content. */
  Map<String, String> tree(String ref) throws Exception {
    Map<String, String> files = new HashMap<>();
    for (String f : git("ls-tree", "-r", "--name-only", ref).lines().toList()) {
      files.put(f, git("show", ref + ":" + f));
    }
    return files;
  }

  static Map<String, JsonNode> tasks(JsonNode report) {
    Map<String, JsonNode> byId = new HashMap<>();
    report.get("tasks").forEach(t -> byId.put(t.get("task_id").asText(), t));
    return byId;
  }

  @ParameterizedTest(name = "--merge {0}")
  @ValueSource(strings = {"merge", "squash", "rebase"})
  void revertUndoesTheCulpritAndTheMergedTaskBuiltOnItBlocksTheRestAndGoesOn(String merge)
      throws Exception {
    Path plan =
        plan(
            CHECKPOINT
                + """
                tasks:
                  - task_id: x
                    priority: 1
                    file_scope: [app.txt, out/x]
                    command: mkdir -p out && echo x > out/x && echo BAD >> app.txt
                  - task_id: y
                    priority: 1
                    depends_on_tasks: [x]
                    file_scope: [out/y]
                    command: read go < $MEET/gate && mkdir -p out && echo y > out/y
                  - task_id: z
                    depends_on_tasks: [y]
                    file_scope: [out/z]
                    command: mkdir -p out && echo z > out/z
                  - task_id: a
                    file_scope: [out/a]
                    command: mkdir -p out && echo a > out/a
                  - task_id: b
                    file_scope: [out/b]
                    command: mkdir -p out && echo b > out/b
                  - task_id: c
                    file_scope: [out/c]
                    command: mkdir -p out && echo c > out/c
                """);

    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--plain",
            "-j",
            "2",
            "--merge",
            merge,
            "--on-checkpoint-fail",
            "revert");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    JsonNode report = report(plan);
    Map<String, JsonNode> tasks = tasks(report);
    JsonNode failed = null;
    int broken = -1;
    for (JsonNode cp : report.get("checkpoints")) {
      if (cp.get("status").asText().equals("failed")) {
        failed = cp;
        broken = cp.get("number").asInt();
      }
    }
    assertThat(broken).as("a checkpoint failed: %s", r.out()).isPositive();
    assertThat(failed.get("culprit").asText()).isEqualTo("x");
    assertThat(failed.get("revert").get("task").asText()).isEqualTo("x");
    // z may start and merge on top of y while the failure is being bisected: then it goes too
    List<String> with = new ArrayList<>();
    failed.get("revert").get("with").forEach(w -> with.add(w.asText()));
    assertThat(with).isIn(List.of("y"), List.of("y", "z"));

    assertThat(tasks.get("x").get("status").asText()).isEqualTo("failed");
    assertThat(tasks.get("x").get("reason").asText())
        .contains("broke checkpoint " + broken)
        .contains(failed.get("log").asText());
    assertThat(tasks.get("y").get("status").asText()).isEqualTo("failed");
    assertThat(tasks.get("y").get("reason").asText())
        .contains("built on x")
        .contains("reverted with it");
    if (with.contains("z")) {
      assertThat(tasks.get("z").get("status").asText()).isEqualTo("failed");
      assertThat(tasks.get("z").get("reason").asText()).contains("built on x");
    } else {
      assertThat(tasks.get("z").get("status").asText()).isEqualTo("blocked");
      assertThat(tasks.get("z").get("reason").asText()).isEqualTo("blocked by y");
    }
    for (String good : List.of("a", "b", "c")) {
      assertThat(tasks.get(good).get("status").asText()).as(good).isEqualTo("succeeded");
    }

    String branch = "braid/" + report.get("run_id").asText();
    assertThat(tree(branch))
        .as("every good task's file, none of x's or y's change")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ".gitignore", ".braid/\nbraid.yaml",
                "README", "hello",
                "app.txt", "app",
                "out/a", "a",
                "out/b", "b",
                "out/c", "c"));
    assertThat(git("log", "--format=%s", branch))
        .contains("Revert x (broke checkpoint " + broken + ")")
        .contains("Revert y (built on x, which broke checkpoint " + broken + ")");

    JsonNode last = report.get("checkpoints").get(report.get("checkpoints").size() - 1);
    assertThat(last.get("status").asText()).isEqualTo("passed");
    assertThat(last.get("commit").asText()).isEqualTo(git("rev-parse", branch));
    assertThat(report.get("checkpoints"))
        .as("the check right after the revert")
        .anySatisfy(c -> assertThat(c.get("after").asText()).isEqualTo("revert of x"));

    Cli.Result events = Cli.run("events", "--json", "--plan", plan.toString());
    assertThat(events).succeeded();
    JsonNode reverted = null;
    for (String line : events.out().lines().toList()) {
      JsonNode e = JSON.readTree(line);
      if (e.get("type").asText().equals("checkpoint.reverted")) {
        reverted = e;
      }
    }
    assertThat(reverted).as("a checkpoint.reverted event in %s", events.out()).isNotNull();
    assertThat(reverted.toString()).contains("\"reverted_with\":[\"y\"");

    String withText = String.join(", ", with);
    assertThat(r.out()).contains("reverted the merge of x and of " + withText + ", built on it,");
    assertThat(Cli.run("status", "--plan", plan.toString()).out())
        .contains("checkpoint " + broken + " failed: reverted x (with " + withText + ") in ");
    assertThat(Cli.run("report", "--plan", plan.toString()).out())
        .contains("reverted x (with " + withText + ") in ");
    assertThat(repo.resolve("out")).as("the user's tree is untouched").doesNotExist();
  }

  @Test
  void aRevertThatWouldConflictStopsTheRunInstead() throws Exception {
    // w is not built on x, but it changes the line x added after x merged: undoing x conflicts
    Path plan =
        plan(
            CHECKPOINT
                + """
                tasks:
                  - task_id: x
                    priority: 1
                    file_scope: [app.txt]
                    command: echo BAD >> app.txt
                  - task_id: w
                    priority: 2
                    file_scope: [app.txt]
                    command: read go < $MEET/gate && sed -i 's/BAD/BAD and more/' app.txt
                  - task_id: a
                    priority: 3
                    file_scope: [out/a]
                    command: mkdir -p out && echo a > out/a
                """);

    Cli.Result r =
        Cli.run("run", plan.toString(), "--plain", "-j", "1", "--on-checkpoint-fail", "revert");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(r.out())
        .contains("reverting the merge of x would conflict in app.txt")
        .contains("nothing was reverted; stopping");
    JsonNode report = report(plan);
    assertThat(report.get("status").asText()).isEqualTo("failed");
    Map<String, JsonNode> tasks = tasks(report);
    assertThat(tasks.get("x").get("status").asText()).isEqualTo("succeeded");
    assertThat(tasks.get("w").get("status").asText()).isEqualTo("succeeded");
    assertThat(tasks.get("a").get("status").asText()).isEqualTo("pending");
    JsonNode cp = report.get("checkpoints").get(report.get("checkpoints").size() - 1);
    assertThat(cp.get("status").asText()).isEqualTo("failed");
    assertThat(cp.get("revert").get("commit").isNull()).isTrue();
    assertThat(cp.get("revert").get("reason").asText()).contains("would conflict in app.txt");
    String branch = "braid/" + report.get("run_id").asText();
    assertThat(git("show", branch + ":app.txt")).isEqualTo("app\nBAD and more");
    assertThat(git("log", "--format=%s", branch)).doesNotContain("Revert");
  }

  @Test
  void aRunStartedOnABrokenCommitNamesNoCulpritAndRevertsNothing() throws Exception {
    Files.writeString(repo.resolve("app.txt"), "app\nBAD\n");
    git("commit", "-q", "-am", "broken before the run");
    Path plan =
        plan(
            """
            checkpoint:
              after: each
              command: '! grep -q BAD app.txt'
            tasks:
              - task_id: a
                file_scope: [out/a]
                command: mkdir -p out && echo a > out/a
              - task_id: b
                file_scope: [out/b]
                command: mkdir -p out && echo b > out/b
            """);

    Cli.Result r =
        Cli.run("run", plan.toString(), "--plain", "-j", "1", "--on-checkpoint-fail", "revert");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(r.out()).contains("no merge could be named as the culprit; stopping");
    JsonNode report = report(plan);
    assertThat(report.get("counts").get("failed").asInt()).isZero();
    assertThat(tasks(report).get("a").get("status").asText()).isEqualTo("succeeded");
    JsonNode cp = report.get("checkpoints").get(0);
    assertThat(cp.get("status").asText()).isEqualTo("failed");
    assertThat(cp.get("culprit").isNull()).isTrue();
    String branch = "braid/" + report.get("run_id").asText();
    assertThat(git("log", "--format=%s", branch)).doesNotContain("Revert");
    assertThat(git("show", branch + ":out/a")).isEqualTo("a");
  }

  @Test
  void aRevertedTaskMarkedDoneInItsChecklistIsReported() throws Exception {
    Files.writeString(repo.resolve(".gitignore"), ".braid/\nchecklist.md\n");
    git("commit", "-q", "-am", "ignore the checklist");
    Path list = repo.resolve("checklist.md");
    Files.writeString(list, "- [ ] breaks the build\n- [ ] adds a file\n");

    Cli.Result r =
        Cli.run(
            "run",
            list.toString(),
            "--plain",
            "-j",
            "1",
            "--command",
            "if [ \"$BRAID_TASK_ID\" = 1 ]; then echo BAD >> app.txt; else echo 2 > two; fi",
            "--checkpoint",
            "! grep -q BAD app.txt",
            "--checkpoint-after",
            "end",
            "--on-checkpoint-fail",
            "revert");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    // a checklist's items run in order: 2 was built on 1 and goes with it
    assertThat(r.out())
        .contains("reverted the merge of 1 and of 2, built on it,")
        .contains("1 stays marked done in the plan file, but its work was reverted")
        .contains("2 stays marked done in the plan file, but its work was reverted");
    assertThat(Files.readString(list)).isEqualTo("- [x] breaks the build\n- [x] adds a file\n");
  }

  @Test
  void withFailFastTheRevertIsMadeAndNothingStartsAfterIt() throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            """
            checkpoint:
              after: each
              command: '! grep -q BAD app.txt'
            tasks:
              - task_id: x
                priority: 1
                file_scope: [app.txt]
                command: echo BAD >> app.txt
            """);
    for (String id : List.of("a", "b", "c", "d")) {
      yaml.append(
          """
            - task_id: %s
              priority: 2
              file_scope: [out/%s]
              command: mkdir -p out && echo %s > out/%s
          """
              .formatted(id, id, id, id));
    }
    Path plan = plan(yaml.toString());

    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--plain",
            "-j",
            "1",
            "--fail-fast",
            "--on-checkpoint-fail",
            "revert");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(r.out()).contains("--fail-fast: x failed");
    JsonNode report = report(plan);
    assertThat(tasks(report).get("x").get("status").asText()).isEqualTo("failed");
    JsonNode last = report.get("checkpoints").get(report.get("checkpoints").size() - 1);
    assertThat(last.get("after").asText()).isEqualTo("revert of x");
    assertThat(last.get("status").asText()).isEqualTo("passed");
    List<String> types = new ArrayList<>();
    for (String line :
        Cli.run("events", "--json", "--plan", plan.toString()).out().lines().toList()) {
      types.add(JSON.readTree(line).get("type").asText());
    }
    assertThat(types).contains("checkpoint.reverted");
    assertThat(types.subList(types.indexOf("checkpoint.reverted"), types.size()))
        .doesNotContain("task.started");
    String branch = "braid/" + report.get("run_id").asText();
    assertThat(git("show", branch + ":app.txt")).isEqualTo("app");
  }

  @Test
  void revertWithoutIsolationIsAUsageErrorBeforeAnythingRuns() throws Exception {
    Path plan =
        plan(
            CHECKPOINT
                + """
                tasks:
                  - task_id: a
                    command: mkdir -p out && echo a > out/a
                """);

    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--plain",
            "--isolation",
            "none",
            "--on-checkpoint-fail",
            "revert");

    assertThat(r).exitedWith(ExitCodes.INVALID_INPUT);
    assertThat(r.err())
        .contains("--on-checkpoint-fail revert needs worktree isolation")
        .contains("--isolation none");
    assertThat(repo.resolve("out")).doesNotExist();
  }
}
