package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/**
 * The command line itself: `run` and the top command are built with picocli's programmatic API, the
 * shared options are programmatic mixins of annotated commands, and each must behave as the
 * annotated declarations did.
 */
class CommandLineTest {

  @TempDir Path dir;

  @Test
  void completionCompletesCommandsAndOptionValuesInBash() throws Exception {
    Cli.Result r = Cli.run("completion");
    assertThat(r).succeeded();
    Path script = dir.resolve("braid-completion.bash");
    Files.writeString(script, r.out());
    // bash completes as it would at a prompt: the words so far, then the function's answers
    String probe =
        "source \"$1\"\n"
            + "complete() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=();"
            + " _complete_braid 2>/dev/null; echo \"${COMPREPLY[*]}\"; }\n"
            + "complete braid ru\n"
            + "complete braid run --isolation ''\n"
            + "complete braid report --for\n";
    Process p =
        new ProcessBuilder("bash", "-c", probe, "probe", script.toString())
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.lines()).containsExactly("run runs", "worktree none", "--format");
  }

  @Test
  void theCommandListNamesEachAnnotatedCommandByItsOwnName() {
    for (Main.Sub sub : Main.COMMANDS) {
      if (sub.command().get() instanceof Class<?> c) {
        assertThat(c.getAnnotation(Command.class).name()).as(c.getName()).isEqualTo(sub.name());
      }
    }
  }

  @Test
  void everyCommandAnswersHelpAndVersionAndHelpNamesIt() {
    for (Main.Sub sub : Main.COMMANDS) {
      String name = sub.name();
      assertThat(Cli.run(name, "--help")).succeeded().printed("Usage: braid " + name);
      assertThat(Cli.run("help", name)).succeeded().printed("Usage: braid " + name);
      if (!name.equals("help")) {
        assertThat(Cli.run(name, "-V")).succeeded().printed("braid ");
      }
    }
    assertThat(Cli.run("--version")).succeeded().printed("braid ");
    assertThat(Cli.run("--help"))
        .succeeded()
        .printed("Usage: braid [-hV] [--verbose] [COMMAND]", "run ", "status ", "help ");
  }

  @Test
  void runsHelpListsItsOwnAndItsSharedOptions() {
    assertThat(Cli.run("run", "--help"))
        .succeeded()
        .printed(
            "[PLAN]",
            "--strict",
            "--from=FORMAT",
            "Read the plan as braid, spec-kit, taskmaster,",
            "--command=CMD",
            "--port=P",
            "--token[=T]",
            "-j, --agents=N",
            "--retry-backoff=DURATION",
            "--verbose");
  }

  @Test
  void strictTurnsWarningsIntoErrorsForValidateAndRun() throws IOException {
    // 'b' does not list 'a' back: a warning
    Path plan =
        write(
            "warn.yaml",
            """
            version: 1
            tasks:
              - {task_id: a, command: "true", conflicts_with: [b]}
              - {task_id: b, command: "true"}
            """);
    assertThat(Cli.run("validate", plan.toString())).succeeded();
    assertThat(Cli.run("validate", plan.toString(), "--strict")).exitedWith(2);
    assertThat(Cli.run("run", plan.toString(), "--strict", "--plain", "--isolation", "none"))
        .exitedWith(2)
        .complained("does not list 'a'");
  }

  @Test
  void fromAndCommandReachRun() throws IOException {
    Path list = write("todo.txt", "- [ ] first thing\n- [ ] second thing\n");
    Path state = dir.resolve("state");
    assertThat(
            Cli.run(
                "run",
                list.toString(),
                "--from",
                "checklist",
                "--command",
                "echo ran $BRAID_TASK_ID",
                "--plain",
                "--no-write-back",
                "--isolation",
                "none",
                "--state-dir",
                state.toString()))
        .succeeded()
        .printed("ran ");
    assertThat(Cli.run("run", list.toString(), "--from", "nonsense"))
        .exitedWith(2)
        .complained("unknown format 'nonsense'");
  }

  @Test
  void verboseAfterTheCommandShowsTheStackTraceAndBadFlagsExit2() {
    String missing = dir.resolve("missing.yaml").toString();
    assertThat(Cli.run("run", missing)).exitedWith(2).noStackTrace();
    assertThat(Cli.run("run", missing, "--verbose")).exitedWith(2).complained("\tat dev.braid.");
    assertThat(Cli.run("--verbose", "run", missing)).exitedWith(2).complained("\tat dev.braid.");
    assertThat(Cli.run("run", "--bogus"))
        .exitedWith(2)
        .complained("Unknown option: '--bogus'", "Try 'braid run --help'");
    assertThat(Cli.run("run", "--agents", "x")).exitedWith(2).complained("'x' is not an int");
    assertThat(Cli.run("run", "--isolation", "sideways")).exitedWith(2).complained("--isolation");
  }

  @Test
  void runsChoicesAreListedAsDocumentedInLowerCase() {
    // AUTO (no --isolation given) is not a value to give; picocli listed it, upper case.
    Cli.Result isolation = Cli.run("run", "--isolation", "bogus");
    assertThat(isolation).exitedWith(2).complained("expected one of worktree, none").noStackTrace();
    assertThat(isolation.err()).doesNotContain("AUTO", "auto");
    assertThat(Cli.run("run", "--merge", "bogus"))
        .exitedWith(2)
        .complained("expected one of merge, squash, rebase");
    assertThat(Cli.run("run", "--on-conflict", "bogus"))
        .exitedWith(2)
        .complained("expected one of retry, stop, skip");
    assertThat(Cli.run("run", "--on-checkpoint-fail", "bogus"))
        .exitedWith(2)
        .complained("expected one of stop, continue, revert");
  }

  @Test
  void choicesAreReadInAnyCase() throws IOException {
    Path plan = write("braid.yaml", "version: 1\ntasks:\n  - {task_id: a, command: \"true\"}\n");
    assertThat(
            Cli.run(
                "run",
                plan.toString(),
                "--dry-run",
                "--isolation",
                "None",
                "--merge",
                "SQUASH",
                "--on-conflict",
                "skip"))
        .succeeded()
        .printed("== a");
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
