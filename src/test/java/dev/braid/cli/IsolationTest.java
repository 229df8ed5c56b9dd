package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.observe.DirectoryWatch;
import dev.braid.run.Launcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid run} with a git worktree per task, end to end: real repositories, real processes,
 * fake agents as shell commands that edit, add and delete files.
 */
class IsolationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path repo;
  Path meet; // outside the repository: where fake agents meet

  @BeforeEach
  void repository() throws Exception {
    repo = Files.createDirectories(tmp.resolve("repo"));
    meet = Files.createDirectories(tmp.resolve("meet"));
    git("init", "-q", "-b", "main");
    write("shared.txt", "value=0\n");
    write("contracts/api.ts", "export interface Api {}\n");
    write("old.txt", "to be deleted\n");
    git("add", "-A");
    git("commit", "-q", "-m", "initial");
    write(".gitignore", ".braid/\n");
  }

  String git(String... args) throws IOException, InterruptedException {
    return GitCommand.git(repo, args);
  }

  void write(String path, String content) throws IOException {
    Path f = repo.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
  }

  Path plan(String yaml) throws IOException {
    Path file = repo.resolve("braid.yaml");
    Files.writeString(file, "version: 1\n" + yaml.replace("$MEET", meet.toString()));
    return file;
  }

  /** What the user sees: HEAD, status and every file's content outside .braid/. */
  String userTree() throws Exception {
    StringBuilder b = new StringBuilder(git("rev-parse", "HEAD", "main")).append('\n');
    b.append(git("status", "--porcelain", "--untracked-files=all")).append('\n');
    try (var files = Files.walk(repo)) {
      for (Path f : files.sorted().toList()) {
        Path rel = repo.relativize(f);
        if (Files.isRegularFile(f) && !rel.startsWith(".braid") && !rel.startsWith(".git")) {
          b.append(rel).append(": ").append(Files.readString(f)).append('\n');
        }
      }
    }
    return b.toString();
  }

  Cli.Result braid(String... args) {
    return Cli.run(args);
  }

  JsonNode report(Path plan) throws IOException {
    Cli.Result r = braid("report", "--format", "json", "--plan", plan.toString());
    assertThat(r).succeeded();
    return JSON.readTree(r.out());
  }

  String runId(Path plan) throws IOException {
    return report(plan).get("run_id").asText();
  }

  /**
   * A fake agent that first waits for its partner (so both start from the same integration head),
   * once only, then runs {@code edit}. FIFOs make the rendezvous: no sleeps.
   */
  static String meeting(String me, String other, String edit) {
    return "if [ ! -e $MEET/met-"
        + me
        + " ]; then touch $MEET/met-"
        + me
        + "; "
        + (me.compareTo(other) < 0
            ? "echo hi > $MEET/to-" + other + "; cat $MEET/to-" + me
            : "cat $MEET/to-" + me + "; echo hi > $MEET/to-" + other)
        + " > /dev/null; fi; "
        + edit;
  }

  void fifos(String... names) throws Exception {
    for (String n : names) {
      Process p = new ProcessBuilder("mkfifo", meet.resolve("to-" + n).toString()).start();
      assertThat(p.waitFor()).isZero();
    }
  }

  @Test
  void aRunThatMergedNothingDoesNotPointAtItsBranchAsWork() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: a
                file_scope: [a.txt]
                command: exit 1
              - task_id: b
                depends_on_tasks: [a]
                file_scope: [b.txt]
                command: echo b > b.txt
            """);

    Cli.Result run = braid("run", plan.toString(), "--plain");

    assertThat(run).exitedWith(ExitCodes.TASK_FAILED);
    assertThat(run.out())
        .doesNotContain("git merge", "the work")
        .contains("nothing was merged into braid/" + runId(plan) + ", so there is nothing to land");
  }

  @Test
  void tasksEditingDifferentFilesAllLandOnTheIntegrationBranchAndTheUsersTreeIsUntouched()
      throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: add
                title: Add a file
                file_scope: [src/added.txt]
                command: mkdir -p src && echo added > src/added.txt
              - task_id: delete
                file_scope: [old.txt]
                command: git rm -q old.txt
              - task_id: edit
                file_scope: [shared.txt]
                command: echo value=1 > shared.txt
              - task_id: later
                depends_on_tasks: [add]
                file_scope: [src/later.txt]
                command: test -f src/added.txt && cp src/added.txt src/later.txt
            """);
    String before = userTree();

    Cli.Result run = braid("run", plan.toString(), "--plain", "--agents", "3");

    assertThat(run).succeeded().printed("braid/", "git merge braid/");
    assertThat(userTree()).isEqualTo(before);
    String branch = "braid/" + runId(plan);
    assertThat(git("show", branch + ":src/added.txt")).isEqualTo("added");
    assertThat(git("show", branch + ":src/later.txt")).isEqualTo("added");
    assertThat(git("show", branch + ":shared.txt")).isEqualTo("value=1");
    assertThat(git("ls-tree", "--name-only", branch)).doesNotContain("old.txt");
    assertThat(git("log", "--format=%s", "--no-merges", "main.." + branch).lines())
        .containsExactlyInAnyOrder("add: Add a file", "delete", "edit", "later");
    assertThat(git("worktree", "list").lines())
        .as("succeeded tasks' worktrees are gone")
        .hasSize(1);
    assertThat(git("branch", "--list", "braid-tasks/*")).isEmpty();
    assertThat(repo.resolve(".braid/worktrees/" + runId(plan)))
        .as("the run's worktree directory goes with its last worktree")
        .doesNotExist();

    JsonNode integration = report(plan).get("integration");
    assertThat(integration.get("branch").asText()).isEqualTo(branch);
    assertThat(integration.get("merge_conflicts").asInt()).isZero();
    assertThat(integration.get("tasks")).hasSize(4);
    assertThat(braid("report", "--plan", plan.toString()).out())
        .contains("integration branch " + branch + " (merge), not landed")
        .contains("coordination overhead");
  }

  @Test
  void twelveTasksAtFourAgentsLeaveEveryChangeOnTheIntegrationBranchExactlyOnce() throws Exception {
    StringBuilder yaml = new StringBuilder("tasks:\n");
    for (int i = 1; i <= 12; i++) {
      String after = i > 8 ? "    depends_on_tasks: [T" + (i - 8) + "]\n" : "";
      String read = i > 8 ? "cat out/T" + (i - 8) + ".txt >> out/T" + i + ".txt && " : "";
      yaml.append("  - task_id: T")
          .append(i)
          .append("\n    file_scope: [out/T")
          .append(i)
          .append(".txt]\n")
          .append(after)
          .append("    command: mkdir -p out && ")
          .append(read)
          .append("echo done-T")
          .append(i)
          .append(" >> out/T")
          .append(i)
          .append(".txt\n");
    }
    Path plan = plan(yaml.toString());
    assertThat(braid("run", plan.toString(), "--plain", "--agents", "4")).succeeded();
    String branch = "braid/" + runId(plan);
    String log = git("log", "--format=%s", "--no-merges", "main.." + branch);
    for (int i = 1; i <= 12; i++) {
      assertThat(log.lines().filter(("T" + i)::equals)).as("T%d's commit", i).hasSize(1);
      String content = git("show", branch + ":out/T" + i + ".txt");
      String expected = i > 8 ? "done-T" + (i - 8) + "\ndone-T" + i : "done-T" + i;
      assertThat(content).as("a dependent sees its dependency's file").isEqualTo(expected);
    }
  }

  @Test
  void landBringsTheWorkIntoTheStartingBranch() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [a.txt]
                command: echo a > a.txt
            """);
    Cli.Result run = braid("run", plan.toString(), "--plain", "--land", "--merge", "squash");
    assertThat(run).succeeded().printed("landed braid/", "on main (fast-forward)");
    assertThat(repo.resolve("a.txt")).hasContent("a");
    assertThat(git("log", "-1", "--format=%s", "main")).isEqualTo("A");
    assertThat(git("status", "--porcelain", "--untracked-files=no")).isEmpty();
  }

  @Test
  void landingAFinishedRunThatWasNotLandedLandsItInsteadOfSayingNothingToDo() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [new.txt]
                command: echo task > new.txt
            """);
    write("new.txt", "mine\n");
    assertThat(braid("run", plan.toString(), "--plain", "--land")).exitedWith(ExitCodes.NOT_LANDED);
    Files.delete(repo.resolve("new.txt")); // what the refusal said to do

    Cli.Result land = braid("run", plan.toString(), "--plain", "--land");

    assertThat(land).succeeded().printed("landed braid/" + runId(plan) + " on main");
    assertThat(land.out()).doesNotContain("nothing to do");
    assertThat(repo.resolve("new.txt")).hasContent("task");
    assertThat(braid("run", plan.toString(), "--plain", "--land"))
        .succeeded()
        .printed("already succeeded; nothing to do");
    assertThat(braid("runs", "--json", "--plan", plan.toString()).out()).contains("succeeded");
  }

  @Test
  void aResumptionThatOnlyLandsDoesNotCountItsAgentsInTheReport() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - {task_id: A, file_scope: [a.txt], command: echo a > a.txt}
              - {task_id: B, file_scope: [b.txt], command: echo b > b.txt}
            """);
    assertThat(braid("run", plan.toString(), "--plain", "--agents", "3")).succeeded();
    assertThat(braid("run", plan.toString(), "--plain", "--land", "--agents", "2"))
        .succeeded()
        .printed("landed braid/");
    Cli.Result report = braid("report", "--plan", plan.toString());
    assertThat(report).succeeded().printed(" on 3 agents\n");
    assertThat(report.out()).doesNotContain("then 2");
  }

  @Test
  void landingARunWhoseWorkTheBranchHoldsAlreadyHasNothingToDo() throws Exception {
    // merged by hand after a run without --land, and a run whose tasks merged nothing: each
    // run --land resumed the run again to say "main already holds it"
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [new.txt]
                command: echo task > new.txt
            """);
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    // what run --land would do: land it (the dry run said a run would do nothing)
    assertThat(braid("run", plan.toString(), "--dry-run", "--land"))
        .succeeded()
        .printed("would resume run " + runId(plan))
        .printed("its work is not landed yet: --land lands it");
    git("merge", "-q", "braid/" + runId(plan));
    assertThat(braid("run", plan.toString(), "--dry-run", "--land"))
        .succeeded()
        .printed("a run would do nothing");

    assertThat(braid("run", plan.toString(), "--plain", "--land"))
        .succeeded()
        .printed("already succeeded; nothing to do");

    Files.writeString(
        plan, Files.readString(plan).replace("echo task > new.txt", "echo no change"));
    assertThat(braid("run", plan.toString(), "--plain", "--land", "--fresh"))
        .succeeded()
        .printed("already holds");
    assertThat(braid("run", plan.toString(), "--plain", "--land"))
        .succeeded()
        .printed("already succeeded; nothing to do");
  }

  @Test
  void aLandingRefusedByAnUntrackedFileSaysWhyInPlainWordsAndHowToLandLater() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [new.txt]
                command: echo task > new.txt
            """);
    write("new.txt", "mine\n");

    Cli.Result run = braid("run", plan.toString(), "--plain", "--land");

    String branch = "braid/" + runId(plan);
    assertThat(run)
        .exitedWith(ExitCodes.NOT_LANDED)
        .printed(
            "not landed: untracked new.txt in your checkout would be overwritten; move it aside,"
                + " then land it with: git merge "
                + branch
                + " (");
    assertThat(run.out()).doesNotContain("git merge --ff-only", "error:", "failed (exit");
    assertThat(repo.resolve("new.txt")).hasContent("mine");
    assertThat(git("rev-parse", "main")).isNotEqualTo(git("rev-parse", branch));
    assertThat(braid("report", "--plan", plan.toString()).out())
        .contains("not landed: untracked new.txt in your checkout would be overwritten");
  }

  private Path conflictingPlan(String... extra) throws Exception {
    fifos("A", "B");
    return plan(
        """
        tasks:
          - task_id: A
            file_scope: [a.txt]
            command: %s
          - task_id: B
            file_scope: [b.txt]
            command: %s
        """
                .formatted(
                    quoted(meeting("A", "B", "sed -i 's/^value=.*/&,A/' shared.txt")),
                    quoted(meeting("B", "A", "sed -i 's/^value=.*/&,B/' shared.txt")))
            + String.join("\n", extra));
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void anUndeclaredOverlappingEditIsAConflictThatRetryResolvesWithoutLosingAChange()
      throws Exception {
    Path plan = conflictingPlan();
    String before = userTree();

    Cli.Result run = braid("run", plan.toString(), "--plain", "--agents", "2");

    assertThat(run).succeeded();
    String branch = "braid/" + runId(plan);
    assertThat(git("show", branch + ":shared.txt")).isIn("value=0,A,B", "value=0,B,A");
    assertThat(userTree()).isEqualTo(before);
    JsonNode integration = report(plan).get("integration");
    assertThat(integration.get("merge_conflicts").asInt()).isEqualTo(1);
    assertThat(integration.get("undeclared_overlaps").asInt()).isEqualTo(1);
    assertThat(integration.get("conflict_prediction").get("false_negatives").asInt()).isEqualTo(1);
    assertThat(integration.get("redone_seconds").asDouble())
        .as("the conflicted first run is work thrown away")
        .isPositive()
        .isLessThanOrEqualTo(integration.get("overhead_seconds").asDouble());
    assertThat(braid("report", "--plan", plan.toString()).out())
        .containsPattern(
            "(A: merge conflict in shared.txt with B|B: merge conflict in shared.txt with A),"
                + " retried alone")
        .containsPattern("coordination overhead .*, work redone after merge conflicts \\d")
        .containsPattern(
            "serial is the tasks' own run time: .*the first runs of tasks that then hit a merge"
                + " conflict took \\S+, thrown away")
        .contains("A and B ran together and changed the same undeclared file: shared.txt")
        .contains("out of scope: A changed shared.txt");
  }

  @Test
  void aLostLogOfATaskRunAgainAfterAConflictIsLostEvenIfTheRerunPrintedNothing() throws Exception {
    fifos("A", "B");
    // Each prints only on its first run: the rerun after the conflict prints nothing.
    String once = "[ -e $MEET/said-%1$s ] || { touch $MEET/said-%1$s; echo first try; }; ";
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [a.txt]
                command: %s
              - task_id: B
                file_scope: [b.txt]
                command: %s
            """
                .formatted(
                    quoted(
                        once.formatted("A")
                            + meeting("A", "B", "sed -i 's/^value=.*/&,A/' shared.txt")),
                    quoted(
                        once.formatted("B")
                            + meeting("B", "A", "sed -i 's/^value=.*/&,B/' shared.txt"))));
    assertThat(braid("run", plan.toString(), "--plain", "--agents", "2")).succeeded();
    Path logs = repo.resolve(".braid/runs/" + runId(plan) + "/logs");
    String rerun = Files.readString(logs.resolve("A.1.log")).contains("merge conflict") ? "A" : "B";
    Path log = logs.resolve(rerun + ".1.log");
    String text = Files.readString(log);
    assertThat(text)
        .startsWith("first try\n")
        .endsWith("running again alone on the new integration head ---\n");
    int printed = text.indexOf("--- braid: merge conflict"); // all of it by the first run

    Files.delete(log);
    assertThat(braid("logs", rerun, "--plan", plan.toString()))
        .exitedWith(2)
        .complained(
            "log of "
                + rerun
                + " attempt 1 is missing: "
                + log
                + " (it printed "
                + printed
                + " bytes)");
  }

  @Test
  void serialTimeIsTheTasksOwnRunTimeAndTheReportSaysWhatGitTookBesides() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - {task_id: A, file_scope: [a.txt], command: echo a > a.txt}
              - {task_id: B, file_scope: [b.txt], command: echo b > b.txt}
            """);
    assertThat(braid("run", plan.toString(), "--plain", "--agents", "2")).succeeded();
    JsonNode report = report(plan);
    double actual = 0;
    for (JsonNode t : report.get("tasks")) {
      actual += t.get("actual_seconds").asDouble();
    }
    // one definition: the per-task actual times (worktree set-up and merge apart) add up to it
    assertThat(report.get("serial_seconds").asDouble()).isCloseTo(actual, within(0.01));
    double git = report.at("/integration/overhead_seconds").asDouble();
    assertThat(git).as("two worktrees, commits and merges next to two echos").isGreaterThan(actual);
    assertThat(braid("report", "--plan", plan.toString()).out())
        .contains("serial is the tasks' own run time: git set-up, commits and merges took ");
  }

  @Test
  void skipFailsTheConflictingTaskAndKeepsItsWorkOnItsBranch() throws Exception {
    Path plan = conflictingPlan();

    Cli.Result run =
        braid("run", plan.toString(), "--plain", "--agents", "2", "--on-conflict", "skip");

    assertThat(run).exitedWith(1).printed("merge conflict in shared.txt");
    String id = runId(plan);
    String merged = git("show", "braid/" + id + ":shared.txt");
    assertThat(merged).isIn("value=0,A", "value=0,B");
    String loser = merged.endsWith("A") ? "B" : "A";
    String winner = loser.equals("A") ? "B" : "A";
    // the conflict names both sides: the task that failed, the file, and whose merge it met
    assertThat(run.out())
        .contains("FAILED   " + loser + " ")
        .contains("merge conflict in shared.txt with " + winner);
    assertThat(report(plan).get("integration").get("tasks").toString())
        .contains("\"conflict_with\":[\"" + winner + "\"]");
    assertThat(git("show", "braid-tasks/" + id + "/" + loser + ":shared.txt"))
        .isEqualTo("value=0," + loser);
    assertThat(report(plan).get("integration").get("tasks").toString()).contains("skipped");

    Cli.Result clean = braid("clean", "--state-dir", repo.resolve(".braid").toString());
    assertThat(clean).succeeded().printed("removed worktree", "braid-tasks/" + id + "/" + loser);
    assertThat(git("worktree", "list").lines()).hasSize(1);
  }

  @Test
  void stopFailsTheConflictingTaskAndStartsNothingNew() throws Exception {
    Path plan = conflictingPlan();
    Cli.Result run =
        braid("run", plan.toString(), "--plain", "--agents", "2", "--on-conflict", "stop");
    assertThat(run).exitedWith(1).printed("--on-conflict stop", "merge conflict in shared.txt");
  }

  @Test
  void aResumedRunsReportKeepsTheConflictThatStoppedItsFirstSession() throws Exception {
    Path plan = conflictingPlan();
    assertThat(braid("run", plan.toString(), "--plain", "--agents", "2", "--on-conflict", "stop"))
        .exitedWith(1);

    assertThat(braid("run", plan.toString(), "--plain", "--agents", "2")).succeeded();

    JsonNode integration = report(plan).get("integration");
    assertThat(integration.get("undeclared_overlaps").asInt()).isEqualTo(1);
    assertThat(integration.get("merge_conflicts").asInt())
        .as("the first session's conflict, like its overlap, is part of the run")
        .isEqualTo(1);
    assertThat(integration.get("conflicts"))
        .singleElement()
        .satisfies(c -> assertThat(c.get("resolution").asText()).isEqualTo("stopped"));
    assertThat(braid("report", "--plan", plan.toString()).out())
        .contains("(1 merge conflict: 1 stopped, 1 undeclared overlap)")
        .containsPattern(
            "(A: merge conflict in shared.txt with B|B: merge conflict in shared.txt with A),"
                + " stopped")
        .contains("A and B ran together and changed the same undeclared file: shared.txt");
  }

  @Test
  void outOfScopeChangesAreReportedAndFailTheTaskUnderStrictScope() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: sloppy
                file_scope: [src/]
                command: mkdir -p src && echo x > src/in.txt && echo y > stray.txt
            """);
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    assertThat(braid("report", "--plan", plan.toString()).out())
        .contains("out of scope: sloppy changed stray.txt");
    Cli.Result scopes = braid("scopes", "--suggest", "--write", "--plan", plan.toString());
    assertThat(scopes).succeeded().printed("sloppy: add stray.txt", "updated ");
    assertThat(Files.readString(plan)).contains("file_scope: [src/, stray.txt]");

    Path strict =
        plan(
            """
            tasks:
              - task_id: sloppy
                file_scope: [src/]
                command: mkdir -p src && echo x > src/in2.txt && echo y > stray2.txt
            """);
    Cli.Result run = braid("run", strict.toString(), "--plain", "--fresh", "--strict-scope");
    assertThat(run).exitedWith(1).printed("outside its file_scope: stray2.txt");
    assertThat(git("ls-tree", "--name-only", "braid/" + runId(strict)))
        .doesNotContain("stray2.txt");
  }

  @Test
  void scopeSuggestionsDoNotWriteIntoAListTasksShareByAlias() throws Exception {
    Path plan =
        plan(
            """
            x-src: &src [src/]
            tasks:
              - task_id: A
                file_scope: *src
                command: mkdir -p src && echo y > a-stray.txt
              - task_id: B
                depends_on_tasks: [A]
                file_scope: [src/b.txt]
                command: mkdir -p src && echo b > src/b.txt && echo y > b-stray.txt
            """);
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();

    Cli.Result scopes = braid("scopes", "--suggest", "--write", "--plan", plan.toString());

    assertThat(scopes)
        .succeeded()
        .printed(
            "A: its file_scope is a YAML alias other tasks may share; add by hand",
            "B: add b-stray.txt");
    assertThat(Files.readString(plan))
        .contains("x-src: &src [src/]\n", "file_scope: *src\n")
        .contains("file_scope: [src/b.txt, b-stray.txt]");
  }

  @Test
  void aTaskChangingAFrozenFileFailsNamingIt() throws Exception {
    Path plan =
        plan(
            """
            frozen_files: [contracts/]
            tasks:
              - task_id: breaker
                file_scope: [contracts/api.ts]
                command: echo changed > contracts/api.ts
            """);
    Cli.Result run = braid("run", plan.toString(), "--plain");
    assertThat(run).exitedWith(1).printed("changed 1 frozen file: contracts/api.ts");
    assertThat(git("show", "braid/" + runId(plan) + ":contracts/api.ts"))
        .isEqualTo("export interface Api {}");
  }

  @Test
  void scopeSuggestionsLeaveFrozenFilesOutAndSaySo() throws Exception {
    Path plan =
        plan(
            """
            frozen_files: [contracts/]
            tasks:
              - task_id: breaker
                file_scope: [src/]
                command: echo changed > contracts/api.ts && echo y > stray.txt
            """);
    assertThat(braid("run", plan.toString(), "--plain")).exitedWith(1);

    Cli.Result scopes = braid("scopes", "--suggest", "--write", "--plan", plan.toString());

    assertThat(scopes)
        .succeeded()
        .printed("breaker: changed frozen contracts/api.ts: not added", "breaker: add stray.txt");
    assertThat(scopes.out()).doesNotContain("add contracts");
    assertThat(Files.readString(plan)).contains("file_scope: [src/, stray.txt]\n");
  }

  @Test
  void aDirtyWorkingTreeIsRefusedUnlessStashed() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [a.txt]
                command: echo a > a.txt
            """);
    write("shared.txt", "value=local edit\n");
    Cli.Result refused = braid("run", plan.toString(), "--plain");
    assertThat(refused).exitedWith(2).complained("uncommitted changes (shared.txt)", "--stash");
    assertThat(repo.resolve(".braid/braid.db")).doesNotExist();

    Cli.Result run = braid("run", plan.toString(), "--plain", "--stash", "--land");
    assertThat(run).succeeded().printed("stashed", "restored your stashed changes");
    assertThat(repo.resolve("shared.txt")).hasContent("value=local edit");
    assertThat(repo.resolve("a.txt")).hasContent("a");
    assertThat(git("stash", "list")).isEmpty();
  }

  @Test
  void editsInsideASubmoduleNeitherStopTheRunNorMakeStashPopTheUsersOwnStash() throws Exception {
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    GitCommand.git(lib, "init", "-q");
    Files.writeString(lib.resolve("l.txt"), "lib\n");
    GitCommand.git(lib, "add", "-A");
    GitCommand.git(lib, "commit", "-q", "-m", "lib");
    git("-c", "protocol.file.allow=always", "submodule", "add", "-q", lib.toString(), "lib");
    git("commit", "-q", "-m", "submodule");
    write("shared.txt", "value=stashed by the user\n");
    git("stash", "push", "-q", "-m", "the user's own");
    // Another commit checked out in the submodule, and an edit in it: git status says ' M lib',
    // and git stash does not set either aside; tasks' worktrees do not check submodules out.
    Files.writeString(repo.resolve("lib/new.txt"), "new\n");
    GitCommand.git(repo.resolve("lib"), "add", "new.txt");
    GitCommand.git(repo.resolve("lib"), "commit", "-q", "-m", "new");
    Files.writeString(repo.resolve("lib/l.txt"), "edited\n");
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [a.txt]
                command: echo a > a.txt
            """);

    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    Cli.Result stashed = braid("run", plan.toString(), "--plain", "--fresh", "--stash");
    assertThat(stashed).succeeded();
    assertThat(stashed.out() + stashed.err()).doesNotContain("stashed");
    assertThat(repo.resolve("shared.txt")).hasContent("value=0");
    assertThat(git("stash", "list")).contains("the user's own");
    assertThat(repo.resolve("lib/l.txt")).hasContent("edited");
  }

  @Test
  void changesGitStashRefusesAreAUsageErrorNamingGitsReason() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                command: echo a > a.txt
            """);
    write("new.txt", "intent to add\n");
    git("add", "-N", "new.txt"); // git stash refuses these: "Entry 'new.txt' not uptodate"
    Cli.Result run = braid("run", plan.toString(), "--plain", "--stash");
    assertThat(run).exitedWith(2).complained("--stash: git stash cannot set your changes aside");
    assertThat(run.err()).doesNotContain("internal error", "Exception");
    assertThat(repo.resolve("new.txt")).hasContent("intent to add");
  }

  @Test
  void aStartStashRefusesLeavesNoRunAndTheRunItWouldResumeAsItWas() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                command: test -e $MEET/go && echo a > a.txt
            """);
    write("new.txt", "intent to add\n");
    git("add", "-N", "new.txt"); // git stash refuses these
    assertThat(braid("run", plan.toString(), "--plain", "--stash")).exitedWith(2);
    assertThat(braid("runs", "--plan", plan.toString()).out()).isEmpty();
    assertThat(git("branch", "--list", "braid/*")).isEmpty();
    assertThat(repo.resolve(".braid/runs")).doesNotExist();

    git("rm", "-q", "--cached", "new.txt");
    assertThat(braid("run", plan.toString(), "--plain")).exitedWith(1);
    String runs = braid("runs", "--json", "--plan", plan.toString()).out();
    String events = braid("events", "--json", "--plan", plan.toString()).out();
    git("add", "-N", "new.txt");
    Files.createFile(meet.resolve("go"));
    Cli.Result refused = braid("run", plan.toString(), "--plain", "--stash");
    assertThat(refused).exitedWith(2).complained("--stash: git stash cannot set your changes");
    // not resumed, so not recorded as running in a runner that is gone: still failed
    assertThat(braid("runs", "--json", "--plan", plan.toString()).out())
        .isEqualTo(runs)
        .contains("\"failed\"");
    assertThat(braid("events", "--json", "--plan", plan.toString()).out()).isEqualTo(events);
  }

  @Test
  void aBranchInTheWayOfTheRunsBranchesIsRefusedBeforeAnythingIsRecorded() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                command: echo a > a.txt
            """);
    for (String name : List.of("braid", "braid-tasks")) {
      git("branch", name);
      Cli.Result refused = braid("run", plan.toString(), "--plain");
      assertThat(refused)
          .exitedWith(2)
          .complained("a branch named '" + name + "' exists", "git branch -m " + name);
      assertThat(refused.err()).doesNotContain("internal error");
      assertThat(repo.resolve(".braid/braid.db")).doesNotExist();
      git("branch", "-D", name);
    }
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
  }

  /** A committed checklist whose task 3 fails until {@code $MEET/go} exists. */
  Path checklist(String... tasks) throws Exception {
    Path file = repo.resolve("TODO.md");
    Files.writeString(file, String.join("", tasks));
    git("add", "TODO.md");
    git("commit", "-q", "-m", "plan");
    return file;
  }

  static final String CHECKLIST_TASK =
      "{ test $BRAID_TASK_ID != 3 || test -e $MEET/go; } && touch $BRAID_TASK_ID.txt";

  Cli.Result runChecklist(Path plan, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "run",
                plan.toString(),
                "--plain",
                "--command",
                CHECKLIST_TASK.replace("$MEET", meet.toString())));
    args.addAll(List.of(more));
    return braid(args.toArray(String[]::new));
  }

  @Test
  void theDoneMarksBraidWritesIntoAChecklistDoNotStopTheNextRun() throws Exception {
    Path plan = checklist("- [ ] one\n", "- [ ] two\n");
    assertThat(runChecklist(plan)).succeeded();
    assertThat(plan).hasContent("- [x] one\n- [x] two");
    assertThat(git("status", "--porcelain", "--untracked-files=no")).isEqualTo("M TODO.md");

    Files.writeString(plan, "- [ ] three\n", java.nio.file.StandardOpenOption.APPEND);
    Files.createFile(meet.resolve("go"));
    Cli.Result again = runChecklist(plan);
    assertThat(again).succeeded().printed("ok       3");
    assertThat(plan).hasContent("- [x] one\n- [x] two\n- [x] three");
    assertThat(git("ls-tree", "--name-only", "braid/" + runId(plan))).contains("3.txt");

    // Other changes still stop it, and the message names only them.
    write("shared.txt", "value=local edit\n");
    Cli.Result refused = runChecklist(plan, "--fresh");
    assertThat(refused).exitedWith(2).complained("uncommitted changes (shared.txt);");
  }

  @Test
  void stashLeavesTheChecklistAndItsDoneMarksInTheWorkingTree() throws Exception {
    Path plan = checklist("- [ ] one\n", "- [ ] two\n", "- [ ] three\n");
    assertThat(runChecklist(plan)).exitedWith(1);
    assertThat(plan).hasContent("- [x] one\n- [x] two\n- [ ] three");

    write("shared.txt", "value=local edit\n");
    Files.createFile(meet.resolve("go"));
    Cli.Result run = runChecklist(plan, "--stash", "--land");
    assertThat(run).succeeded().printed("stashed", "restored your stashed changes");
    assertThat(plan).hasContent("- [x] one\n- [x] two\n- [x] three");
    assertThat(repo.resolve("shared.txt")).hasContent("value=local edit");
    assertThat(repo.resolve("3.txt")).exists();
    assertThat(git("stash", "list")).isEmpty();
    assertThat(git("status", "--porcelain", "--untracked-files=no"))
        .isEqualTo("M TODO.md\n M shared.txt");
  }

  @Test
  void worktreeIsolationNeedsACommitAndCleanHasNothingToDoWithoutRuns() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Process init = new ProcessBuilder("git", "init", "-q", empty.toString()).start();
    assertThat(init.waitFor()).isZero();
    Path plan = empty.resolve("braid.yaml");
    Files.writeString(plan, "version: 1\ntasks:\n  - {task_id: A, command: echo a > a.txt}\n");
    assertThat(braid("run", plan.toString(), "--plain", "--isolation", "worktree"))
        .exitedWith(2)
        .complained("--isolation worktree:", "no commit yet")
        .noStackTrace();
    Cli.Result auto = braid("run", plan.toString(), "--plain");
    assertThat(auto).succeeded().printed("running without worktree isolation");
    assertThat(empty.resolve("a.txt")).hasContent("a");
    assertThat(braid("clean", "--state-dir", repo.resolve(".braid").toString()))
        .succeeded()
        .printed("nothing to clean");
  }

  @Test
  void theReportPointsAtAFailedTasksWorktreeOnlyWhileCleanHasNotRemovedIt() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: F
                file_scope: [f.txt]
                command: echo f > f.txt && exit 1
            """);
    assertThat(braid("run", plan.toString(), "--plain")).exitedWith(ExitCodes.TASK_FAILED);
    Path kept = repo.resolve(".braid/worktrees/" + runId(plan) + "/F");
    assertThat(braid("report", "--plan", plan.toString()))
        .printed("worktrees kept: F (" + kept + ")");

    assertThat(braid("clean", "--plan", plan.toString())).succeeded().printed("removed worktree");

    assertThat(kept).doesNotExist();
    assertThat(braid("report", "--plan", plan.toString()).out()).doesNotContain("worktrees kept");
  }

  @Test
  void scopesShowsDeclaredAgainstChanged() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: T
                file_scope: [src/]
                command: mkdir -p src && echo x > src/x.txt && echo y > y.txt
            """);
    assertThat(braid("run", plan.toString(), "--plain")).succeeded();
    assertThat(braid("scopes", "--plan", plan.toString()))
        .succeeded()
        .printed("T: declared src/", "changed src/x.txt, y.txt", "out of scope y.txt");
    assertThat(braid("scopes", "--write", "--plan", plan.toString()))
        .exitedWith(2)
        .complained("--write needs --suggest");
  }

  @Test
  void isolationNoneRunsInTheRepositoryItself() throws Exception {
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                command: echo a > a.txt
            """);
    assertThat(braid("run", plan.toString(), "--plain", "--isolation", "none")).succeeded();
    assertThat(repo.resolve("a.txt")).hasContent("a");
    assertThat(git("branch", "--list", "braid/*")).isEmpty();
  }

  @Test
  void aRunKilledOutrightResumesWithNoStaleWorktreeOrBranchInTheWay() throws Exception {
    try (Launcher probe = new Launcher(Launcher.Groups.SHELL_ONLY, Launcher.Spawner.AUTO)) {
      assumeTrue(
          probe.mechanism().equals("braid-spawn"), "braid-spawn needs Linux and a C compiler");
    }
    String marker = "braid-test-" + UUID.randomUUID();
    Path plan =
        plan(
            """
            tasks:
              - task_id: A
                file_scope: [a.txt]
                command: echo half > a.txt; echo started; exec -a MARKER sleep 300
              - task_id: B
                file_scope: [b.txt]
                command: echo b > b.txt
            """
                .replace("MARKER", marker));
    Path out = meet.resolve("out.txt");
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            plan.toString(),
            "--plain",
            "-j",
            "2");
    Process first =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (DirectoryWatch watch = new DirectoryWatch(meet)) {
      while (!(Files.exists(out) && Files.readString(out).contains("started"))) {
        assertThat(first.isAlive()).as(Files.readString(out)).isTrue();
        assertThat(System.nanoTime()).as("A started in time").isLessThan(deadline);
        watch.await(Duration.ofMillis(500));
      }
    }
    first.toHandle().destroyForcibly();
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle task :
        ProcessHandle.allProcesses()
            .filter(h -> h.info().commandLine().orElse("").contains(marker))
            .toList()) {
      task.onExit().get(30, TimeUnit.SECONDS);
    }

    Files.writeString(
        plan,
        Files.readString(plan)
            .replace(
                "echo half > a.txt; echo started; exec -a " + marker + " sleep 300",
                "echo a > a.txt"));
    Cli.Result resumed = braid("run", plan.toString(), "--plain", "-j", "2");

    assertThat(resumed).succeeded();
    String branch = "braid/" + runId(plan);
    assertThat(git("show", branch + ":a.txt")).isEqualTo("a");
    assertThat(git("show", branch + ":b.txt")).isEqualTo("b");
    assertThat(git("worktree", "list").lines()).hasSize(1);
    assertThat(git("branch", "--list", "braid-tasks/*")).isEmpty();
    assertThat(braid("runs", "--plan", plan.toString()).out().lines()).hasSize(1);
  }
}
