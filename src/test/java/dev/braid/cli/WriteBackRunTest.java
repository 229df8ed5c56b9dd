package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips: a plan in another notation is run with a fake command, and the file afterwards
 * differs from the original only in the done markers of the tasks that ran.
 */
class WriteBackRunTest {

  @TempDir Path dir;

  private Path repoWith(String example) throws Exception {
    Process git =
        new ProcessBuilder("git", "init", "-q", dir.toString()).redirectErrorStream(true).start();
    assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(git.exitValue()).isZero();
    Path plan = dir.resolve(example);
    Files.copy(Path.of(FormatsTest.DIR, example), plan);
    return plan;
  }

  /** A line with its done markers taken away. */
  private static String unmarked(String line) {
    return line.replace("[X]", "[ ]")
        .replace("[x]", "[ ]")
        .replace("✓ ", "")
        .replace("\"status\": \"done\"", "\"status\": \"pending\"")
        .replaceAll(" +", " ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tasks.md", "tasks.json", "micro-tasks.md", "matrix.md", "checklist.md"})
  void runMarksEveryTaskDoneAndChangesNothingElse(String example) throws Exception {
    Path plan = repoWith(example);
    byte[] before = Files.readAllBytes(plan);
    int tasks =
        Integer.parseInt(
            Cli.run("validate", plan.toString()).out().replaceAll(".*ok, (\\d+) task.*\\s*", "$1"));
    Cli.Result r =
        Cli.run(
            "run",
            plan.toString(),
            "--plain",
            "-q",
            "--command",
            "echo \"$BRAID_TASK_ID\" >> ran.log");
    assertThat(r).succeeded();
    List<String> ran = Files.readAllLines(dir.resolve("ran.log"));
    assertThat(ran).hasSize(tasks).doesNotHaveDuplicates();

    byte[] after = Files.readAllBytes(plan);
    List<String> old = new String(before, StandardCharsets.UTF_8).lines().toList();
    List<String> now = new String(after, StandardCharsets.UTF_8).lines().toList();
    assertThat(now).hasSameSizeAs(old);
    int changed = 0;
    for (int i = 0; i < old.size(); i++) {
      if (!old.get(i).equals(now.get(i))) {
        changed++;
        assertThat(unmarked(now.get(i))).as("line %d", i + 1).isEqualTo(unmarked(old.get(i)));
      }
    }
    assertThat(changed).isPositive();
    assertThat(after[after.length - 1]).isEqualTo(before[before.length - 1]);
    // Read again, nothing is left to do.
    assertThat(Cli.run("validate", plan.toString())).succeeded().printed("ok, 0 tasks");
  }

  @Test
  void specKitTasksGetACapitalXAndTheCheckpointNoMarker() throws Exception {
    Path plan = repoWith("tasks.md");
    String before = Files.readString(plan);
    assertThat(Cli.run("run", plan.toString(), "--plain", "-q", "--command", "true")).succeeded();
    String expected = before.replace("- [ ] T0", "- [X] T0");
    assertThat(Files.readString(plan)).isEqualTo(expected);
  }

  @Test
  void noWriteBackLeavesTheFileAlone() throws Exception {
    Path plan = repoWith("checklist.md");
    byte[] before = Files.readAllBytes(plan);
    assertThat(
            Cli.run(
                "run", plan.toString(), "--plain", "-q", "--no-write-back", "--command", "true"))
        .succeeded();
    assertThat(Files.readAllBytes(plan)).isEqualTo(before);
  }

  @Test
  void aFailedTaskIsNotMarked() throws Exception {
    Path plan = repoWith("checklist.md");
    Cli.Result r =
        Cli.run(
            "run", plan.toString(), "--plain", "-q", "--command", "test \"$BRAID_TASK_ID\" != 3");
    assertThat(r).exitedWith(1);
    assertThat(Files.readString(plan))
        .contains(
            "- [x] Write the changelog", "- [ ] [P] Update the docs", "- [ ] Tag the release");
  }

  /** A command that fails for {@code failing} until the file {@code ok} exists. */
  private String failingUntilOk(String failing) {
    return "[ \"$BRAID_TASK_ID\" != '" + failing + "' ] || [ -f '" + dir.resolve("ok") + "' ]";
  }

  /**
   * The done marks a run writes back take tasks out of the plan the next run reads, and with them
   * the dependencies of the tasks after them: the resumed run must not take that for the user
   * changing those tasks, and counts the marked tasks as done.
   */
  @ParameterizedTest
  @CsvSource({
    "tasks.md, T005, 9, 3",
    "checklist.md, 3, 3, 1",
    "tasks.json, 2.2, 3, 1",
    "micro-tasks.md, MT 2.1, 6, 4"
  })
  void aResumedRunDoesNotTakeItsOwnDoneMarksForChanges(
      String example, String failing, int tasks, int succeeded) throws Exception {
    Path plan = repoWith(example);
    String original = Files.readString(plan);
    String command = failingUntilOk(failing);
    Cli.Result first = Cli.run("run", plan.toString(), "--plain", "--command", command);
    assertThat(first)
        .exitedWith(1)
        .printed(": " + tasks + " tasks", ": " + succeeded + " succeeded, 1 failed");
    assertThat(Files.readString(plan)).as("marked done").isNotEqualTo(original);

    Files.createFile(dir.resolve("ok"));
    Cli.Result second = Cli.run("run", plan.toString(), "--plain", "--command", command);
    assertThat(second)
        .succeeded()
        .printed(
            "(resumed, " + succeeded + " already done): " + tasks + " tasks",
            ": " + tasks + " succeeded, 0 failed");
    assertThat(second.out() + second.err())
        .contains(failing + " was failed: running it again")
        .doesNotContain("changed since the last run");
  }

  @Test
  void aDependencyTheUserEditsStillCountsAsAChange() throws Exception {
    Path plan = repoWith("tasks.md");
    String command = failingUntilOk("T005");
    assertThat(Cli.run("run", plan.toString(), "--plain", "-q", "--command", command))
        .exitedWith(1);
    // T004 is done and marked: the plan T006 runs in is the same, but what the user wrote is not.
    Files.writeString(
        plan, Files.readString(plan).replace("(depends on T004, T005)", "(depends on T005)"));
    Files.createFile(dir.resolve("ok"));
    Cli.Result second = Cli.run("run", plan.toString(), "--plain", "--command", command);
    assertThat(second).succeeded();
    assertThat(second.out() + second.err())
        .contains("T006 changed since the last run: running it again")
        .doesNotContain("T005 changed", "T007 changed");
  }
}
