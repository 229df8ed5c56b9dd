package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Integration checkpoints, end to end: a plan's {@code checkpoint} command run on the integration
 * branch (or the work directory) after waves, merges or at the end, on real repositories. Each
 * checkpoint appends to a file outside the repository which task outputs it saw.
 */
class CheckpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two independent tasks, then one that needs both: waves {a, b} and {c}. */
  private static final String TASKS =
      """
      tasks:
        - task_id: a
          file_scope: [out/a]
          command: mkdir -p out && echo a > out/a
        - task_id: b
          file_scope: [out/b]
          command: mkdir -p out && echo b > out/b
        - task_id: c
          depends_on_tasks: [a, b]
          file_scope: [out/c]
          command: mkdir -p out && echo c > out/c
      """;

  /** Appends "NUMBER: outputs present" to the checks file, then runs {@code then}. */
  private static String checkpoint(String after, String then) {
    return "checkpoint:\n  command: echo \"$BRAID_CHECKPOINT${BRAID_BISECT:+ bisect}:$(ls out 2>/dev/null | tr '\\n' ' ')"
        + "\" >> $MEET/checks && test -n \"$BRAID_RUN_ID\" && "
        + then
        + "\n  after: "
        + after
        + "\n";
  }

  @TempDir Path tmp;
  Path repo;
  Path meet;

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(tmp.resolve("repo"));
    meet = Files.createDirectories(tmp.resolve("meet"));
    git("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("README"), "hello\n");
    Files.writeString(repo.resolve(".gitignore"), ".braid/\nbraid.yaml\n");
    git("add", "-A");
    git("commit", "-q", "-m", "initial");
  }

  String git(String... args) throws IOException, InterruptedException {
    return GitCommand.git(repo, args);
  }

  Path plan(String yaml) throws IOException {
    Path file = repo.resolve("braid.yaml");
    Files.writeString(file, "version: 1\n" + yaml.replace("$MEET", meet.toString()));
    return file;
  }

  /** What each checkpoint saw, in order; {@code bisect} runs apart. */
  List<String> checks() throws IOException {
    return checked().stream().filter(l -> !l.contains("bisect")).toList();
  }

  List<String> checked() throws IOException {
    Path f = meet.resolve("checks");
    return Files.exists(f) ? Files.readAllLines(f).stream().map(String::strip).toList() : List.of();
  }

  JsonNode report(Path plan) throws IOException {
    Cli.Result r = Cli.run("report", "--format", "json", "--plan", plan.toString());
    assertThat(r).succeeded();
    return JSON.readTree(r.out());
  }

  @Test
  void aCheckpointAfterAPartialResumeNamesOnlyTheWavesThatRanTasks() throws Exception {
    Path plan = plan(checkpoint("wave", "true") + TASKS);
    assertThat(Cli.run("run", plan.toString(), "--plain", "-j", "2")).succeeded();
    // a changed, so it runs again; c, which depends on it, stays done: wave 2 has nothing new
    Files.writeString(plan, Files.readString(plan).replace("echo a > out/a", "echo a2 > out/a"));

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "2");

    assertThat(r).succeeded();
    JsonNode cps = report(plan).get("checkpoints");
    assertThat(cps.get(cps.size() - 1).get("after").asText()).isEqualTo("wave 1");
    assertThat(r.out()).doesNotContain("waves 1-2");
  }

  @Test
  void aPassingCheckpointRunsAfterEachWaveOnTheIntegrationBranch() throws Exception {
    Path plan = plan(checkpoint("wave", "true") + TASKS);

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "2");

    assertThat(r).succeeded();
    assertThat(checks()).containsExactly("1:a b", "2:a b c");
    assertThat(repo.resolve("out")).as("the user's tree is untouched").doesNotExist();
    JsonNode cps = report(plan).get("checkpoints");
    assertThat(cps).hasSize(2);
    assertThat(cps.get(0).get("after").asText()).isEqualTo("wave 1");
    assertThat(cps.get(0).get("status").asText()).isEqualTo("passed");
    assertThat(cps.get(0).get("covers")).extracting(JsonNode::asText).containsOnly("a", "b");
    assertThat(cps.get(1).get("after").asText()).isEqualTo("wave 2");
    assertThat(cps.get(1).get("covers")).extracting(JsonNode::asText).containsExactly("c");
    String branchHead = git("rev-parse", "braid/" + report(plan).get("run_id").asText());
    assertThat(cps.get(1).get("commit").asText()).isEqualTo(branchHead);
    assertThat(Path.of(cps.get(1).get("log").asText())).exists();
  }

  @Test
  void theConsoleTellsACheckpointPassedBeforeTheStartsItHeldBack() throws Exception {
    Path plan = plan(checkpoint("wave", "true") + TASKS);

    // in the work directory, no task starts while a checkpoint runs
    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "--isolation", "none", "-j", "2");

    assertThat(r).succeeded();
    List<String> lines = r.out().lines().toList();
    int passed = indexOf(lines, "braid: checkpoint 1 passed");
    int startC = indexOf(lines, "start    c ");
    assertThat(passed).as(r.out()).isNotNegative();
    assertThat(startC).as(r.out()).isGreaterThan(passed);
    assertThat(lines.get(passed))
        .as("durations read as the tasks' do (2ms, 1.4s), not 0.0s")
        .matches("braid: checkpoint 1 passed \\((\\d{1,3}ms|[1-9]\\d*\\.\\ds)\\)");
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void withoutIsolationACheckpointAfterEachMergeRunsInTheWorkDirWhileNoTaskRuns() throws Exception {
    Path plan = plan(checkpoint("each", "true") + TASKS);

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "--isolation", "none", "-j", "1");

    assertThat(r).succeeded();
    // new starts wait for each checkpoint, so every one sees exactly the tasks ended before it
    List<String> seen = checks();
    assertThat(seen).hasSize(3);
    assertThat(seen.get(2)).isEqualTo("3:a b c");
    assertThat(seen.get(1)).isEqualTo("2:a b");
    assertThat(seen.get(0)).isIn("1:a", "1:b");
    assertThat(report(plan).get("checkpoints")).hasSize(3);
  }

  @Test
  void everyNMergesChecksTheRemainderAtTheEnd() throws Exception {
    Path plan = plan(checkpoint("2", "true") + TASKS);

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "2");

    assertThat(r).succeeded();
    assertThat(checks()).containsExactly("1:a b", "2:a b c");
    JsonNode cps = report(plan).get("checkpoints");
    assertThat(cps.get(0).get("after").asText()).isEqualTo("2 merges");
    assertThat(cps.get(1).get("after").asText()).isEqualTo("end (1 merge)");
  }

  @Test
  void aFailingCheckpointStopsTheRunAndTheReportNamesIt() throws Exception {
    Path plan = plan(checkpoint("wave", "test ! -e out/b") + TASKS);

    // without isolation nothing starts while a checkpoint runs, so c never starts
    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "--isolation", "none", "-j", "2");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(r.out()).contains("checkpoint 1 (after wave 1) failed: exit 1");
    assertThat(checks()).containsExactly("1:a b");
    JsonNode report = report(plan);
    assertThat(report.get("status").asText()).isEqualTo("failed");
    assertThat(report.get("counts").get("pending").asInt()).isEqualTo(1);
    JsonNode cp = report.get("checkpoints").get(0);
    assertThat(cp.get("status").asText()).isEqualTo("failed");
    assertThat(cp.get("exit_code").asInt()).isEqualTo(1);
    Cli.Result text = Cli.run("report", "--plan", plan.toString());
    assertThat(text.out())
        .contains("checkpoints: 1 run, 0 passed, 1 failed")
        .contains("checkpoint 1 after wave 1: failed");
  }

  @Test
  void aFailingLastCheckpointFailsARunWhoseTasksAllSucceeded() throws Exception {
    Path plan = plan(checkpoint("wave", "test ! -e out/c") + TASKS);

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "2", "--land");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(r.out())
        .contains("checkpoint 2 (after wave 2) failed: exit 1; broken by the merge of c");
    JsonNode report = report(plan);
    assertThat(report.get("status").asText()).isEqualTo("failed");
    assertThat(report.get("counts").get("succeeded").asInt()).isEqualTo(3);
    assertThat(report.get("checkpoints"))
        .extracting(c -> c.get("status").asText())
        .containsExactly("passed", "failed");
    assertThat(repo.resolve("out")).as("a failed run is not landed").doesNotExist();
  }

  @Test
  void statusNamesTheFailedCheckpointThatStoppedTheRun() throws Exception {
    Path plan = plan(checkpoint("wave", "test ! -e out/c") + TASKS);
    assertThat(Cli.run("run", plan.toString(), "--plain", "-j", "2"))
        .exitedWith(ExitCodes.TASK_FAILED);
    String runId = report(plan).get("run_id").asText();
    Path log = repo.resolve(".braid/runs/" + runId + "/checkpoints/2.log");
    assertThat(log).exists();

    Cli.Result text = Cli.run("status", "--plan", plan.toString());

    assertThat(text)
        .succeeded()
        .printed(
            "failed (3/3 done",
            "\ncheckpoint 2 (after wave 2) failed: exit 1; broken by the merge of c; log: "
                + log
                + "; it stopped the run (--on-checkpoint-fail stop)\n");
    assertThat(text.out()).doesNotContain("checkpoint 1 ");
    JsonNode json = JSON.readTree(Cli.run("status", "--json", "--plan", plan.toString()).out());
    JsonNode stopped = json.get("stopped_by_checkpoint");
    assertThat(stopped).as("status --json: %s", json).isNotNull();
    assertThat(stopped.get("number").asInt()).isEqualTo(2);
    assertThat(stopped.get("after").asText()).isEqualTo("wave 2");
    assertThat(stopped.get("outcome").asText()).isEqualTo("exit 1");
    assertThat(stopped.get("culprit").asText()).isEqualTo("c");
    assertThat(stopped.get("log").asText()).isEqualTo(log.toString());
  }

  @Test
  void aFailingCheckpointNamesTheTaskWhoseMergeBrokeItByBisecting() throws Exception {
    StringBuilder tasks = new StringBuilder("tasks:\n");
    for (String id : List.of("a", "b", "x", "d", "e")) {
      String breaks = id.equals("x") ? " && touch out/broken" : "";
      tasks.append(
          """
            - task_id: %s
              file_scope: [out/%s, out/broken]
              parallel: true
              command: mkdir -p out && echo %s > out/%s%s
          """
              .formatted(id, id, id, id, breaks));
    }
    Path plan = plan(checkpoint("end", "test ! -e out/broken") + tasks);

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "1");

    assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(r.out())
        .contains("checkpoint 1 (at the end) failed: exit 1; broken by the merge of x");
    // the end checkpoint on all five merges, then the bisection's runs on earlier ones
    assertThat(checks()).containsExactly("1:a b broken d e x");
    assertThat(checked()).hasSizeBetween(2, 4);
    JsonNode cp = report(plan).get("checkpoints").get(0);
    assertThat(cp.get("culprit").asText()).isEqualTo("x");
    assertThat(Cli.run("report", "--plan", plan.toString()).out()).contains("broken by x");
  }

  @Test
  void theEndCheckpointSaysItRanAtTheEnd() throws Exception {
    Path plan = plan(checkpoint("end", "true") + TASKS);

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "2");

    assertThat(r).succeeded();
    assertThat(r.out()).contains("checkpoint 1 (at the end) on ").doesNotContain("after end");
    assertThat(report(plan).get("checkpoints").get(0).get("after").asText()).isEqualTo("end");
    assertThat(Cli.run("report", "--plan", plan.toString()).out())
        .contains("checkpoint 1 at the end: passed");
  }

  @Test
  void wavesThatEndTogetherAreNamedTogetherAsBraidPlanNumbersThem() throws Exception {
    // waves {slow, quick}, {next}, {last}: quick's line of work ends while slow still runs
    Path plan =
        plan(
            checkpoint("wave", "true")
                + """
                tasks:
                  - task_id: slow
                    file_scope: [out/slow]
                    command: until test -e $MEET/last; do sleep 0.05; done; mkdir -p out && echo s > out/slow
                  - task_id: quick
                    file_scope: [out/quick]
                    command: mkdir -p out && echo q > out/quick
                  - task_id: next
                    depends_on_tasks: [quick]
                    file_scope: [out/next]
                    command: mkdir -p out && echo n > out/next
                  - task_id: last
                    depends_on_tasks: [next]
                    file_scope: [out/last]
                    command: mkdir -p out && echo l > out/last && touch $MEET/last
                """);
    assertThat(Cli.run("plan", plan.toString()).out())
        .contains("1. parallel", "2. parallel", "3. parallel")
        .doesNotContain("4. ");

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "-j", "2");

    assertThat(r).succeeded();
    assertThat(r.out()).contains("checkpoint 1 (after waves 1-3)");
    assertThat(checks()).containsExactly("1:last next quick slow");
  }

  @Test
  void noCheckpointRunsWhenNothingMergedSinceTheLastOne() throws Exception {
    // a fails, so b and c are blocked: no wave merged anything, and the branch is as it started
    String chain =
        """
        tasks:
          - task_id: a
            file_scope: [out/a]
            command: exit 1
          - task_id: b
            depends_on_tasks: [a]
            file_scope: [out/b]
            command: mkdir -p out && echo b > out/b
          - task_id: c
            depends_on_tasks: [b]
            file_scope: [out/c]
            command: mkdir -p out && echo c > out/c
        """;
    for (String after : List.of("wave", "end")) {
      Path plan = plan(checkpoint(after, "false") + chain);

      Cli.Result r = Cli.run("run", plan.toString(), "--plain", "--fresh", "-j", "2");

      assertThat(r).exitedWith(ExitCodes.TASK_FAILED);
      assertThat(r.out()).as(after).doesNotContain("checkpoint");
      assertThat(checks()).as(after).isEmpty();
      assertThat(report(plan).has("checkpoints")).as(after).isFalse();
    }
  }

  @Test
  void onCheckpointFailContinueGoesOn() throws Exception {
    Path plan = plan(checkpoint("wave", "test ! -e out/b") + TASKS);

    Cli.Result r =
        Cli.run("run", plan.toString(), "--plain", "-j", "2", "--on-checkpoint-fail", "continue");

    assertThat(r).succeeded();
    assertThat(checks()).containsExactly("1:a b", "2:a b c");
    // the first failure is bisected (b broke it); the second is not: it was broken before
    List<String> all = checked();
    assertThat(all).hasSize(3);
    assertThat(all.get(1)).isIn("1 bisect:a", "1 bisect:b"); // a and b merge in either order
    JsonNode report = report(plan);
    assertThat(report.get("counts").get("succeeded").asInt()).isEqualTo(3);
    assertThat(report.get("checkpoints").get(0).get("culprit").asText()).isEqualTo("b");
    assertThat(report.get("checkpoints"))
        .extracting(c -> c.get("status").asText())
        .containsExactly("failed", "failed");
  }

  @Test
  void theCheckpointOptionReplacesThePlansAndABadAfterIsAUsageError() throws Exception {
    Path plan = plan(TASKS);

    Cli.Result bad =
        Cli.run("run", plan.toString(), "--checkpoint", "true", "--checkpoint-after", "0");
    assertThat(bad).exitedWith(ExitCodes.INVALID_INPUT);

    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--plain",
            "--checkpoint",
            "ls out | tr '\\n' ' ' >> " + meet.resolve("checks"),
            "--checkpoint-after",
            "end");
    assertThat(r).succeeded();
    assertThat(checks()).containsExactly("a b c");
  }

  @Test
  void aRunKilledDuringItsLastCheckpointChecksLandsAndCleansUpWhenResumed() throws Exception {
    // the checkpoint on c's merge hangs until the test says the runner was resumed
    Path plan =
        plan(
            checkpoint("each", "{ test ! -e out/c || test -e $MEET/resumed || sleep 60; }")
                + TASKS);
    String number;
    try (BraidProcess first =
        BraidProcess.start(repo, "run", plan.toString(), "--plain", "-j", "1")) {
      number = first.awaitLine(Pattern.compile("checkpoint (\\d+) \\(after merge of c\\)"), 60);
      first.kill();
    }
    Files.createFile(meet.resolve("resumed"));

    Cli.Result r = Cli.run("run", plan.toString(), "--plain", "--land");

    assertThat(r).succeeded();
    int next = Integer.parseInt(number) + 1;
    assertThat(r.out())
        .doesNotContain("nothing to do")
        .contains("checkpoint " + next + " (after resumption)")
        .contains("landed braid/");
    assertThat(checks()).last().isEqualTo(next + ":a b c");
    JsonNode report = report(plan);
    assertThat(report.get("status").asText()).isEqualTo("succeeded");
    JsonNode cps = report.get("checkpoints");
    JsonNode last = cps.get(cps.size() - 1);
    assertThat(last.get("status").asText()).isEqualTo("passed");
    assertThat(last.get("covers")).extracting(JsonNode::asText).contains("c");
    assertThat(cps)
        .as("numbered on from the killed session: no log written over")
        .extracting(c -> c.get("log").asText())
        .doesNotHaveDuplicates();
    assertThat(git("worktree", "list").lines()).as("slot worktrees removed").hasSize(1);
    assertThat(repo.resolve("out/c")).exists();
  }

  @Test
  void aRunFailedByItsCheckpointIsCheckedAgainWhenResumed() throws Exception {
    Path plan = plan(checkpoint("each", "test ! -e $MEET/broken") + TASKS);
    Files.createFile(meet.resolve("broken"));
    assertThat(Cli.run("run", plan.toString(), "--plain", "-j", "1"))
        .exitedWith(ExitCodes.TASK_FAILED);

    Cli.Result again = Cli.run("run", plan.toString(), "--plain");
    assertThat(again).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(again.out()).doesNotContain("nothing to do").contains("(after resumption) failed");

    Files.delete(meet.resolve("broken")); // fixed outside the run, say a service was down
    Cli.Result fixed = Cli.run("run", plan.toString(), "--plain");
    assertThat(fixed).succeeded();
    assertThat(fixed.out()).contains("(after resumption) on").contains("passed");
    assertThat(report(plan).get("status").asText()).isEqualTo("succeeded");
  }
}
