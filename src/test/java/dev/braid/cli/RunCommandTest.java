package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid run} and the commands that read runs, on real processes in a real repository. */
class RunCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;

  @BeforeEach
  void gitRepository() throws Exception {
    Process git = new ProcessBuilder("git", "init", "-q", repo.toString()).inheritIO().start();
    assertThat(git.waitFor()).isZero();
  }

  private Path plan(String yaml) throws IOException {
    Path file = repo.resolve("braid.yaml");
    Files.writeString(file, "version: 1\n" + yaml);
    return file;
  }

  private Cli.Result braid(String... args) {
    return Cli.run(args);
  }

  private JsonNode statusJson(Path plan) throws IOException {
    Cli.Result r = braid("status", "--json", "--plan", plan.toString());
    assertThat(r).succeeded();
    return JSON.readTree(r.out());
  }

  private static Map<String, String> statuses(JsonNode status) {
    Map<String, String> m = new HashMap<>();
    status.get("tasks").forEach(t -> m.put(t.get("task_id").asText(), t.get("status").asText()));
    return m;
  }

  @Test
  void aStreamOfShortTasksNeverStalls() throws Exception {
    // Ends arrive while a turn runs on another thread; a lost wake-up once left such runs waiting
    // forever (about one run in twenty of 2,000 tasks under load). Each run must simply finish.
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 1500; i++) {
      yaml.append("  - {task_id: T").append(i).append(", command: \"true\"}\n");
    }
    Path plan = plan(yaml.toString());
    for (String agents : List.of("1", "2", "4")) {
      Cli.Result r = braid("run", plan.toString(), "--plain", "--fresh", "--agents", agents);
      assertThat(r).succeeded();
      assertThat(r.out()).contains("1500 succeeded");
    }
  }

  @Test
  void idsDifferingOnlyInCaseRunApartWhereTheFileSystemTellsThemApart() throws Exception {
    // Linux file systems mind case: the twins keep their own logs. Where the state directory
    // ignores case (macOS, Windows) the run refuses instead (RunService.requireDistinctNames).
    Path plan =
        plan(
            """
            tasks:
              - {task_id: Build, command: 'echo upper'}
              - {task_id: build, command: 'echo lower'}
            """);
    assertThat(dev.braid.run.RunService.ignoresCase(repo)).isFalse();
    Cli.Result r = braid("run", plan.toString(), "--plain");
    assertThat(r).succeeded();
    assertThat(braid("logs", "Build", "--plan", plan.toString()).out()).contains("upper");
    assertThat(braid("logs", "build", "--plan", plan.toString()).out()).contains("lower");
  }

  @Test
  void aDryRunShowsWhatResumingWouldRunAndWhy() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - {task_id: A, command: 'echo a'}
              - {task_id: B, command: 'echo b', depends_on_tasks: [A]}
              - {task_id: C, command: 'echo c'}
            """);
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    assertThat(braid("run", plan.toString(), "--dry-run"))
        .succeeded()
        .printed("every task of run ")
        .printed("a run would do nothing (--fresh runs the plan again)");

    Files.writeString(plan, Files.readString(plan).replace("echo b", "echo bb"));
    assertThat(braid("reset", "C", "--plan", plan.toString())).succeeded();
    Cli.Result dry = braid("run", plan.toString(), "--dry-run");
    assertThat(dry).succeeded();
    assertThat(dry.out())
        .contains("(--fresh starts a new one): 1 task stays done")
        .contains("  B changed since the last run: running it again\n")
        .contains("  C was reset: running it again\n")
        .contains("== B\n$ echo bb\n", "== C\n$ echo c\n", "2 tasks, 0 run by agents")
        .doesNotContain("== A");
    // --fresh would run everything
    assertThat(braid("run", plan.toString(), "--dry-run", "--fresh").out())
        .contains("== A", "3 tasks")
        .doesNotContain("would resume");

    // what the real run does, and says
    Cli.Result real = braid("run", plan.toString(), "--plain");
    assertThat(real).succeeded();
    assertThat(real.out())
        .contains("C was reset: running it again")
        .contains("start    B", "start    C")
        .doesNotContain("start    A");
  }

  @Test
  void failFastAmongManyShortTasksStopsTheRun() throws Exception {
    // Fail-fast stops tasks that may have just been launched, on the thread that reads the
    // helper's replies; waiting there for a launch's reply deadlocked the run (1 in ~2 before).
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 600; i++) {
      String command = i == 300 ? "exit 3" : "true";
      yaml.append("  - {task_id: T").append(i).append(", command: \"").append(command);
      yaml.append("\"}\n");
    }
    Path plan = plan(yaml.toString());
    for (int round = 0; round < 3; round++) {
      Cli.Result r =
          braid("run", plan.toString(), "--plain", "--fresh", "--fail-fast", "--agents", "2");
      assertThat(r).exitedWith(1).printed("--fail-fast");
    }
  }

  @Test
  void maxLoadHoldsNewStartsWhileTheLoadIsAboveItAndNotBelow() throws Exception {
    Path loadavg = repo.resolve("loadavg");
    String before = System.getProperty("braid.loadavg");
    System.setProperty("braid.loadavg", loadavg.toString());
    try {
      // Above the limit: one task at a time (never none, or the run could not go on).
      Files.writeString(loadavg, "9.00 9.00 9.00 1/100 4242\n");
      Path plan =
          plan(
              """
              tasks:
                - {task_id: A, command: 'echo start >> log; sleep 0.2; echo end >> log'}
                - {task_id: B, command: 'echo start >> log; sleep 0.2; echo end >> log'}
                - {task_id: C, command: 'echo start >> log; sleep 0.2; echo end >> log'}
              """);
      assertThat(braid("run", plan.toString(), "--plain", "--agents", "3", "--max-load", "1.5"))
          .succeeded();
      assertThat(Files.readAllLines(repo.resolve("log")))
          .containsExactly("start", "end", "start", "end", "start", "end");
      assertThat(braid("events", "--json", "--plan", plan.toString()).out())
          .contains("\"run.held\"");

      // Below the limit: all three at once (each waits until the three have started).
      Files.writeString(loadavg, "0.50 0.50 0.50 1/100 4242\n");
      Path together =
          plan(
              """
              tasks:
                - {task_id: D, command: 'touch started.D; until [ "$(ls started.* | wc -l)" -ge 3 ]; do sleep 0.05; done', timeout: 30s}
                - {task_id: E, command: 'touch started.E; until [ "$(ls started.* | wc -l)" -ge 3 ]; do sleep 0.05; done', timeout: 30s}
                - {task_id: F, command: 'touch started.F; until [ "$(ls started.* | wc -l)" -ge 3 ]; do sleep 0.05; done', timeout: 30s}
              """);
      assertThat(
              braid(
                  "run",
                  together.toString(),
                  "--plain",
                  "--fresh",
                  "--agents",
                  "3",
                  "--max-load",
                  "1.5"))
          .succeeded();
    } finally {
      if (before == null) {
        System.clearProperty("braid.loadavg");
      } else {
        System.setProperty("braid.loadavg", before);
      }
    }
  }

  @Test
  void runsTasksAfterTheirDependenciesWithTheirEnvironmentAndLogs() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                command: echo "A $BRAID_TASK_ID $BRAID_SLOT $BRAID_RUN_ID" >> order.txt
              - task_id: "B two"
                depends_on_tasks: [A]
                command: echo "B $BRAID_TASK_ID" >> order.txt; test -d "$BRAID_STATE_DIR"
              - task_id: C
                depends_on_tasks: ["B two"]
                command: echo C >> order.txt
            """);
    Cli.Result run = braid("run", plan.toString(), "--plain", "--agents", "2");
    assertThat(run).succeeded();
    List<String> order = Files.readAllLines(repo.resolve("order.txt"));
    assertThat(order).hasSize(3);
    assertThat(order.get(0)).startsWith("A A 1 ");
    assertThat(order.get(1)).isEqualTo("B B two");
    assertThat(order.get(2)).isEqualTo("C");
    JsonNode status = statusJson(plan);
    assertThat(status.get("status").asText()).isEqualTo("succeeded");
    assertThat(statuses(status))
        .containsOnly(
            Map.entry("A", "succeeded"),
            Map.entry("B two", "succeeded"),
            Map.entry("C", "succeeded"));
    assertThat(order.get(0)).endsWith(status.get("run_id").asText());
    Cli.Result logs = braid("logs", "C", "--plan", plan.toString());
    assertThat(logs).succeeded();
    assertThat(Files.exists(repo.resolve(".braid/.gitignore"))).isTrue();
  }

  @Test
  void aTaskWithALongIdKeepsItsOutput() throws IOException {
    // escaped for a file name, this id is 264 bytes: its log could not be created, and its output
    // was dropped without a word
    String id = "ショッピングカートのバックエンドAPIを実装して単体テストを書く";
    String twin = id + "（その二）";
    Path plan =
        plan(
            """
            tasks:
              - task_id: %s
                command: echo important output; exit 1
              - task_id: %s
                command: echo twin output
            """
                .formatted(id, twin));
    Cli.Result run = braid("run", plan.toString(), "--plain");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("important output");
    Cli.Result logs = braid("logs", id, "--plan", plan.toString());
    assertThat(logs).succeeded();
    assertThat(logs.out()).isEqualTo("important output\n");
    assertThat(braid("logs", twin, "--plan", plan.toString()).out()).isEqualTo("twin output\n");
  }

  @Test
  void aCommandLongerThanOneArgumentCanCarryRuns() throws IOException {
    // bash -c took it as one argument, which Linux caps at 128 KiB: it failed to start with
    // "Argument list too long" at every attempt. 300,000 bytes, with two-byte characters.
    String value = "é".repeat(150_000);
    Path plan =
        plan(
            """
            tasks:
              - task_id: long
                command: |
                  x='%s'
                  printf '%%s' "$x" | wc -c
                  echo "args: $#"
                  set -- a b; echo "joined: $*"
                  saved=$IFS; IFS=,; IFS=$saved; words="c d"; set -- $words; echo "words: $#"
                  echo "zero: $0"
              - task_id: short
                command: 'echo "zero: $0"'
            """
                .formatted(value));
    Cli.Result run = braid("run", plan.toString(), "--plain", "--isolation", "none");
    assertThat(run).succeeded();
    // as bash -c gives it: IFS restored from a saved copy splits words, and the same $0
    String zero = braid("logs", "short", "--plan", plan.toString()).out();
    assertThat(braid("logs", "long", "--plan", plan.toString()).out())
        .isEqualTo("300000\nargs: 0\njoined: a b\nwords: 2\n" + zero);
  }

  @Test
  void aFailureBlocksItsDependentsButIndependentTasksGoOn() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: bad
                command: echo broken; exit 3
              - task_id: after-bad
                depends_on_tasks: [bad]
                command: touch should-not-exist
              - task_id: after-after
                depends_on_tasks: [after-bad]
                command: touch should-not-exist
              - task_id: independent
                command: touch independent-ran
            """);
    Cli.Result run = braid("run", plan.toString(), "--plain", "--agents", "1");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("FAILED", "bad", "exit 3", "blocked");
    assertThat(repo.resolve("should-not-exist")).doesNotExist();
    assertThat(repo.resolve("independent-ran")).exists();
    JsonNode status = statusJson(plan);
    assertThat(statuses(status))
        .containsEntry("bad", "failed")
        .containsEntry("after-bad", "blocked")
        .containsEntry("after-after", "blocked")
        .containsEntry("independent", "succeeded");
    Cli.Result report = braid("report", "--format", "json", "--plan", plan.toString());
    JsonNode json = JSON.readTree(report.out());
    assertThat(json.get("status").asText()).isEqualTo("failed");
    for (String field :
        List.of("run_id", "makespan_seconds", "serial_seconds", "savings_percent", "speedup")) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    JsonNode bad = json.get("tasks").get(0);
    assertThat(bad.get("task_id").asText()).isEqualTo("bad");
    assertThat(bad.get("exit_code").asInt()).isEqualTo(3);
    assertThat(bad.get("attempts").asInt()).isEqualTo(1);
    Cli.Result junit = braid("report", "--format", "junit", "--plan", plan.toString());
    assertThat(junit.out()).contains("<testsuite", "failures=\"1\"", "<failure", "<skipped");
  }

  @Test
  void retriesAFailingTaskAndResumeRunsOnlyWhatIsUnfinished() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: flaky
                retries: 1
                command: echo x >> flaky.count; test $(wc -l < flaky.count) -ge 2
              - task_id: once
                command: echo x >> once.count
              - task_id: broken
                command: test -f fixed
            """);
    Cli.Result first = braid("run", plan.toString(), "--plain", "--retry-backoff", "0s");
    assertThat(first.exitCode()).isEqualTo(1);
    assertThat(first.out()).contains("retry    flaky");
    assertThat(Files.readAllLines(repo.resolve("flaky.count"))).hasSize(2);
    assertThat(statuses(statusJson(plan)))
        .containsEntry("flaky", "succeeded")
        .containsEntry("broken", "failed");

    Files.writeString(repo.resolve("fixed"), "");
    Cli.Result second = braid("run", plan.toString(), "--plain");
    assertThat(second).succeeded();
    assertThat(second.out()).contains("resumed", "broken was failed: running it again");
    assertThat(Files.readAllLines(repo.resolve("once.count"))).hasSize(1);
    assertThat(Files.readAllLines(repo.resolve("flaky.count"))).hasSize(2);

    Cli.Result third = braid("run", plan.toString(), "--plain");
    assertThat(third).succeeded();
    assertThat(third.out()).contains("nothing to do");

    assertThat(braid("reset", "once", "--plan", plan.toString())).succeeded();
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    assertThat(Files.readAllLines(repo.resolve("once.count"))).hasSize(2);
    assertThat(Files.readAllLines(repo.resolve("flaky.count"))).hasSize(2);

    Cli.Result fresh = braid("run", plan.toString(), "--plain", "--fresh");
    assertThat(fresh).succeeded();
    assertThat(Files.readAllLines(repo.resolve("once.count"))).hasSize(3);
    Cli.Result runs = braid("runs", "--plan", plan.toString());
    assertThat(runs.out().lines()).hasSize(2);
  }

  @Test
  void aChangedTaskRunsAgainOnResume() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: a
                command: echo a >> a.count
              - task_id: b
                command: exit 1
            """);
    assertThat(braid("run", plan.toString(), "--plain").exitCode()).isEqualTo(1);
    plan(
        """
        tasks:
          - task_id: a
            command: echo a2 >> a.count
          - task_id: b
            command: "true"
        """);
    Cli.Result again = braid("run", plan.toString(), "--plain");
    assertThat(again).succeeded();
    assertThat(again.out()).contains("a changed since the last run");
    assertThat(Files.readAllLines(repo.resolve("a.count"))).containsExactly("a", "a2");
  }

  @Test
  void aTaskRunAgainOnResumeStillRunsBeforeWhatDependsOnItThroughADoneTask() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - {task_id: a, command: echo a >> order}
              - {task_id: b, command: echo b >> order, depends_on_tasks: [a]}
              - {task_id: d, command: exit 1, depends_on_tasks: [b]}
              - {task_id: e, command: echo e >> order}
            """);
    assertThat(braid("run", plan.toString(), "--plain", "-j", "2").exitCode()).isEqualTo(1);
    Files.delete(repo.resolve("order"));
    plan(
        """
        tasks:
          - {task_id: a, command: sleep 0.3 && echo a2 >> order}
          - {task_id: b, command: echo b >> order, depends_on_tasks: [a]}
          - {task_id: d, command: echo d >> order, depends_on_tasks: [b]}
          - {task_id: e, command: echo e >> order}
        """);

    Cli.Result again = braid("run", plan.toString(), "--plain", "-j", "2");

    assertThat(again).succeeded();
    assertThat(Files.readAllLines(repo.resolve("order")))
        .as("d waits for a, which b (done before, not run again) waited for")
        .containsExactly("a2", "d");
  }

  @Test
  void aDoneTaskWhoseDependencyFailsOnResumeBlocksWhatDependsOnIt() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - {task_id: a, command: "true"}
              - {task_id: b, command: "true", depends_on_tasks: [a]}
              - {task_id: d, command: exit 1, depends_on_tasks: [b]}
            """);
    assertThat(braid("run", plan.toString(), "--plain").exitCode()).isEqualTo(1);
    plan(
        """
        tasks:
          - {task_id: a, command: exit 3}
          - {task_id: b, command: "true", depends_on_tasks: [a]}
          - {task_id: d, command: echo d > d.ran, depends_on_tasks: [b]}
        """);

    Cli.Result again = braid("run", plan.toString(), "--plain");

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(repo.resolve("d.ran")).doesNotExist();
    assertThat(braid("status", "--plan", plan.toString()).out()).containsPattern("d\\s+blocked");
  }

  @Test
  void tasksThatLeftThePlanAreNotCountedAmongTheRunsTasks() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: a
                command: "true"
              - task_id: gone
                command: exit 1
              - task_id: c
                command: "true"
            """);
    assertThat(braid("run", plan.toString(), "--plain").exitCode()).isEqualTo(1);
    plan(
        """
        tasks:
          - task_id: a
            command: "true"
          - task_id: c
            command: "true"
        """);
    Cli.Result resumed = braid("run", plan.toString(), "--plain");
    assertThat(resumed).succeeded();
    assertThat(resumed.out()).contains("gone is no longer in the plan");

    JsonNode status = statusJson(plan);
    assertThat(status.get("status").asText()).isEqualTo("succeeded");
    assertThat(statuses(status))
        .containsOnly(Map.entry("a", "succeeded"), Map.entry("c", "succeeded"));
    assertThat(status.get("counts").get("failed").asInt()).isZero();
    assertThat(status.get("counts").get("succeeded").asInt()).isEqualTo(2);
    assertThat(status.get("removed_tasks").get(0).get("task_id").asText()).isEqualTo("gone");
    Cli.Result text = braid("status", "--plan", plan.toString());
    assertThat(text.out())
        .contains("(2/2 done, 0 running, 0 failed", "removed from the plan (not counted): gone");
    Cli.Result report = braid("report", "--plan", plan.toString());
    assertThat(report.out()).contains("2 succeeded, 0 failed, 0 blocked, 0 pending");
    assertThat(braid("report", "--format", "junit", "--plan", plan.toString()).out())
        .contains("tests=\"2\" failures=\"0\"")
        .doesNotContain("gone");
    assertThat(braid("runs", "--plan", plan.toString()).out()).contains("2/2 succeeded");
    Cli.Result reset = braid("reset", "gone", "--plan", plan.toString());
    assertThat(reset.exitCode()).isEqualTo(2);
    assertThat(reset.err()).contains("gone is no longer in the plan of run");
    assertThat(braid("logs", "gone", "--plan", plan.toString())).succeeded();

    // back in the plan, it goes on from its recorded attempts
    plan(
        """
        tasks:
          - task_id: a
            command: "true"
          - task_id: gone
            command: "true"
          - task_id: c
            command: "true"
        """);
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    JsonNode back = statusJson(plan);
    assertThat(statuses(back)).containsEntry("gone", "succeeded").hasSize(3);
    assertThat(back.has("removed_tasks")).isFalse();
    assertThat(back.get("tasks").get(1).get("attempts").asInt()).isEqualTo(2);
  }

  @Test
  void aTaskOverItsTimeoutIsStoppedAndFails() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: slow
                timeout: 300ms
                command: sleep 30
            """);
    Cli.Result run = braid("run", plan.toString(), "--plain", "--kill-grace", "100ms");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("timed out after 300ms");
  }

  @Test
  void failFastStopsRunningTasksAndStartsNoMore() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - task_id: long
                command: sleep 30
              - task_id: fails
                command: sleep 0.2; exit 2
              - task_id: later
                depends_on_tasks: [fails]
                command: touch later-ran
              - task_id: queued
                priority: 5
                command: touch queued-ran
            """);
    Cli.Result run =
        braid("run", plan.toString(), "--plain", "-j", "2", "--fail-fast", "--kill-grace", "0s");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).contains("--fail-fast: fails failed; stopping 1 running task\n");
    // it is stopped, not retried: it runs again only when the run is resumed
    assertThat(run.out()).contains("stopped  long").doesNotContain("retry");
    assertThat(repo.resolve("later-ran")).doesNotExist();
    assertThat(repo.resolve("queued-ran")).doesNotExist();
    assertThat(statuses(statusJson(plan)))
        .containsEntry("long", "pending")
        .containsEntry("fails", "failed")
        .containsEntry("queued", "pending");
  }

  @Test
  void conflictingTasksNeverOverlapAndTheAgentLimitHolds() throws IOException {
    // Each task appends "start" and "end" marks; a lock-free append of one short line is atomic.
    StringBuilder yaml = new StringBuilder("tasks:\n");
    String mark =
        "echo \"+ $BRAID_TASK_ID\" >> marks; sleep 0.1; echo \"- $BRAID_TASK_ID\" >> marks";
    for (int i = 0; i < 8; i++) {
      yaml.append("  - task_id: t").append(i).append('\n');
      yaml.append("    file_scope: [")
          .append(i % 2 == 0 ? "src/shared/" : "src/own" + i + "/")
          .append("]\n");
      yaml.append("    command: '").append(mark).append("'\n");
    }
    Path plan = plan(yaml.toString());
    assertThat(braid("run", plan.toString(), "--plain", "-j", "3")).succeeded();
    List<String> marks = Files.readAllLines(repo.resolve("marks"));
    assertThat(marks).hasSize(16);
    List<String> running = new ArrayList<>();
    int most = 0;
    for (String m : marks) {
      String id = m.substring(2);
      if (m.startsWith("+")) {
        int n = Integer.parseInt(id.substring(1));
        if (n % 2 == 0) {
          assertThat(running)
              .as("shared-scope tasks overlap at %s", id)
              .noneMatch(r -> Integer.parseInt(r.substring(1)) % 2 == 0);
        }
        running.add(id);
        most = Math.max(most, running.size());
      } else {
        running.remove(id);
      }
    }
    assertThat(most).isBetween(2, 3);
  }

  @Test
  void tasksHandedToTheSpawnHelperAheadStartInPriorityOrder() throws IOException {
    // One agent: every task after the first is queued in braid-spawn before a slot is free, and
    // each must still start in the policy's order (priority first), in slot 1.
    StringBuilder yaml = new StringBuilder("tasks:\n");
    int[] priorities = {3, 1, 5, 2, 4, 1, 3, 5, 2, 4};
    for (int i = 0; i < priorities.length; i++) {
      yaml.append("  - {task_id: t").append(i).append(", priority: ").append(priorities[i]);
      yaml.append(", command: 'echo \"$BRAID_TASK_ID $BRAID_SLOT\" >> order'}\n");
    }
    Path plan = plan(yaml.toString());
    assertThat(braid("run", plan.toString(), "--plain", "-j", "1")).succeeded();
    assertThat(Files.readAllLines(repo.resolve("order")))
        .containsExactly(
            "t1 1", "t5 1", "t3 1", "t8 1", "t0 1", "t6 1", "t4 1", "t9 1", "t2 1", "t7 1");
  }

  @Test
  void noTwoRunningTasksEverShareASlot() throws IOException {
    // A task holds its slot's lock directory while it runs: a second task given the same slot
    // fails. Short tasks at three agents: most start from braid-spawn's queue, some are started
    // by the runner into slots freed before a queued task reached the helper.
    Files.createDirectories(repo.resolve("slots"));
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 300; i++) {
      yaml.append("  - {task_id: t").append(i).append(", command: ");
      yaml.append("'mkdir slots/$BRAID_SLOT || exit 7; sleep 0.00").append(i % 3);
      yaml.append("; echo $BRAID_SLOT >> used; rmdir slots/$BRAID_SLOT'}\n");
    }
    Path plan = plan(yaml.toString());
    Cli.Result r = braid("run", plan.toString(), "--plain", "-j", "3");
    assertThat(r).succeeded();
    assertThat(Files.readAllLines(repo.resolve("used")))
        .hasSize(300)
        .allMatch(slot -> List.of("1", "2", "3").contains(slot));
    // The record agrees: in each slot an attempt starts no earlier than the one before it ended
    // (times from braid-spawn, not from when the runner read them), so the efficiency is real.
    JsonNode report =
        JSON.readTree(braid("report", "--format", "json", "--plan", plan.toString()).out());
    Map<Integer, List<Instant[]>> bySlot = new TreeMap<>();
    for (JsonNode t : report.get("tasks")) {
      bySlot
          .computeIfAbsent(t.get("slot").asInt(), k -> new ArrayList<>())
          .add(
              new Instant[] {
                Instant.parse(t.get("started_at").asText()),
                Instant.parse(t.get("ended_at").asText())
              });
    }
    assertThat(bySlot.keySet()).containsExactly(1, 2, 3);
    for (var slot : bySlot.entrySet()) {
      List<Instant[]> attempts = slot.getValue();
      attempts.sort(Comparator.comparing(a -> a[0]));
      for (int i = 1; i < attempts.size(); i++) {
        assertThat(attempts.get(i)[0])
            .as("slot %d, attempt %d", slot.getKey(), i)
            .isAfterOrEqualTo(attempts.get(i - 1)[1]);
      }
    }
    assertThat(report.get("efficiency").asDouble()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void eachSlotsNextTaskIsToldAfterTheEndOfTheTaskBeforeIt() throws IOException {
    // braid-spawn reports a queued task's start before the end of the task whose slot it took,
    // and ends are told once committed: the console and the audit trail must still show a slot's
    // tasks one after another, never the next one starting before the last one ended.
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 0; i < 120; i++) {
      yaml.append("  - {task_id: t").append(i).append(", command: 'echo out").append(i);
      yaml.append("', parallel: ").append(i % 17 == 5 ? "false" : "true").append("}\n");
    }
    Path plan = plan(yaml.toString());
    Cli.Result r = braid("run", plan.toString(), "--plain", "-j", "2");
    assertThat(r).succeeded();
    Map<String, String> holder = new HashMap<>(); // slot -> task told running
    Map<String, String> slotOf = new HashMap<>();
    Set<String> started = new HashSet<>();
    for (String line : r.out().lines().toList()) {
      String[] w = line.trim().split("\\s+");
      if (w[0].equals("start")) {
        String slot = w[2];
        assertThat(holder.get(slot)).as("slot %s when %s starts", slot, w[1]).isNull();
        holder.put(slot, w[1]);
        slotOf.put(w[1], slot);
        started.add(w[1]);
      } else if (w[0].equals("ok")) {
        assertThat(holder.remove(slotOf.get(w[1]))).isEqualTo(w[1]);
      } else if (w.length > 2 && w[1].equals("|")) {
        assertThat(started).as("output of %s before its start", w[0]).contains(w[0]);
      }
    }
    assertThat(started).hasSize(120);
    holder.clear();
    slotOf.clear();
    for (String line :
        braid("events", "--json", "--plan", plan.toString()).out().lines().toList()) {
      JsonNode e = JSON.readTree(line);
      String task = e.get("task_id").asText();
      switch (e.get("type").asText()) {
        case "task.started" -> {
          String slot = e.get("data").get("slot").asText();
          assertThat(holder.get(slot)).as("slot %s when %s starts", slot, task).isNull();
          holder.put(slot, task);
          slotOf.put(task, slot);
        }
        case "task.succeeded" -> assertThat(holder.remove(slotOf.get(task))).isEqualTo(task);
        default -> {}
      }
    }
  }

  @Test
  void markdownReportsShowEveryTaskIdAsItIs() throws IOException {
    Path plan =
        plan(
            """
            tasks:
              - {task_id: "a|b", command: exit 1}
              - {task_id: "q`x`", command: "true"}
              - {task_id: "r``s", command: "true"}
            """);
    assertThat(braid("run", plan.toString(), "--plain").exitCode()).isEqualTo(1);
    // a | ends a table cell unless escaped; a code span holding backticks needs a longer fence
    assertThat(braid("report", "--plan", plan.toString(), "--format", "markdown"))
        .succeeded()
        .printed(
            "| `a\\|b` | failed |", "| `` q`x` `` | succeeded |", "| ```r``s``` | succeeded |");
    assertThat(braid("plan", plan.toString(), "--format", "markdown"))
        .succeeded()
        .printed("| `a\\|b` |", "`` q`x` ``", "```r``s```");
  }

  @Test
  void oneOfAThingIsNotPlural() throws IOException {
    Path plan = plan("tasks:\n  - task_id: a\n    command: \"true\"\n");
    assertThat(braid("run", plan.toString(), "--plain")).succeeded().printed(": 1 task, 1 agent\n");
    assertThat(braid("report", "--plan", plan.toString()))
        .succeeded()
        .printed(", 1 agent\n", "efficiency 100.0% on 1 agent\n");
    assertThat(braid("runs", "--plan", plan.toString())).succeeded().printed("  1 agent ");
    assertThat(braid("plan", plan.toString())).succeeded().printed("1 task, 1 agent", "(1 agent)");
    assertThat(braid("analyze", plan.toString()))
        .succeeded()
        .printed("1 task, 0 dependencies, 0 conflicting pairs");
    assertThat(braid("validate", plan.toString())).succeeded().printed("ok, 1 task");
  }

  @Test
  void runsOfAPlanAreThatPlansOnly() throws IOException {
    Path one = plan("tasks:\n  - task_id: a\n    command: \"true\"\n");
    Path other = repo.resolve("other.yaml");
    Files.writeString(other, "version: 1\ntasks:\n  - task_id: b\n    command: \"true\"\n");
    assertThat(braid("run", one.toString(), "--plain")).succeeded();
    assertThat(braid("run", other.toString(), "--plain")).succeeded();
    assertThat(braid("run", other.toString(), "--plain", "--fresh")).succeeded();
    assertThat(braid("runs", "--plan", other.toString()).out().lines())
        .hasSize(2)
        .allMatch(l -> l.endsWith("other.yaml"));
    assertThat(braid("runs", "--plan", one.toString()).out().lines())
        .singleElement()
        .matches(l -> l.endsWith("braid.yaml"));
    assertThat(braid("runs", "--state-dir", repo.resolve(".braid").toString()).out().lines())
        .hasSize(3);
  }

  @Test
  void aStateDirThatIsAFileIsNamedAsSuch() throws IOException {
    Path plan = plan("tasks:\n  - task_id: a\n    command: \"true\"\n");
    Path file = Files.writeString(repo.resolve("state"), "not a directory\n");
    Cli.Result run = braid("run", plan.toString(), "--plain", "--state-dir", file.toString());
    assertThat(run)
        .exitedWith(2)
        .complained(
            "cannot create the state directory "
                + file
                + ": "
                + file
                + " exists and is not a directory");
    Cli.Result under =
        braid("run", plan.toString(), "--plain", "--state-dir", file.resolve("sub").toString());
    assertThat(under).exitedWith(2).complained(file.resolve("sub") + ": Not a directory");
  }

  @Test
  void readingCommandsExplainWhatIsMissing() throws IOException {
    Path plan = plan("tasks:\n  - task_id: a\n    command: \"true\"\n");
    Cli.Result status = braid("status", "--plan", plan.toString());
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.err()).contains("no runs recorded");
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    // a mistyped plan is named as such, not taken for a plan without runs
    String missing = repo.resolve("nonexist.yaml").toString();
    for (List<String> args :
        List.of(
            List.of("status"),
            List.of("runs"),
            List.of("report"),
            List.of("events"),
            List.of("logs", "a"),
            List.of("reset", "a"))) {
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of("--plan", missing));
      assertThat(braid(all.toArray(String[]::new)))
          .exitedWith(2)
          .complained("--plan " + missing + ": no such file")
          .noStackTrace();
    }
    Cli.Result unknown = braid("logs", "nope", "--plan", plan.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no task 'nope'");
    Cli.Result badRun = braid("report", "no-such-run", "--plan", plan.toString());
    assertThat(badRun.exitCode()).isEqualTo(2);
    Cli.Result events = braid("events", "--json", "--plan", plan.toString());
    assertThat(events.out().lines().map(l -> l.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1")))
        .containsExactly("run.started", "task.started", "task.succeeded", "run.finished");
  }
}
