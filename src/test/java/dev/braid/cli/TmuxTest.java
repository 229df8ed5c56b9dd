package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.braid.observe.DirectoryWatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid tmux}: panes per slot, and what one pane prints while it follows its slot. */
class TmuxTest {

  @TempDir Path repo;
  @TempDir Path tools;

  @BeforeEach
  void repositoryAndAgent() throws Exception {
    Process git = new ProcessBuilder("git", "init", "-q", repo.toString()).inheritIO().start();
    assertThat(git.waitFor()).isZero();
    Files.createDirectories(tools.resolve("bin"));
    Files.copy(
        Path.of("examples/agents/fake-agent"),
        tools.resolve("bin/claude"),
        StandardCopyOption.COPY_ATTRIBUTES);
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", tools.resolve("home").toString());
    env.put("TMUX_TMPDIR", tools.toString()); // a tmux server of this test's own
    return env;
  }

  @Test
  void withoutTmuxItSaysSo() throws Exception {
    Files.writeString(repo.resolve("braid.yaml"), "tasks:\n  - {task_id: A, command: 'true'}\n");
    assertThat(CliProcess.run(repo, env(), "run", "--plain")).succeeded();
    Map<String, String> env = env();
    env.put("PATH", tools.resolve("bin").toString());
    assertThat(CliProcess.run(repo, env, "tmux"))
        .exitedWith(2)
        .complained("braid tmux needs tmux, which is not on PATH")
        .noStackTrace();
  }

  @Test
  void opensOnePanePerSlot() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is installed");
    Files.writeString(
        repo.resolve("braid.yaml"),
        "tasks:\n  - {task_id: A, command: 'true'}\n  - {task_id: B, command: 'true'}\n");
    assertThat(CliProcess.run(repo, env(), "run", "--plain", "-j", "2")).succeeded();
    Cli.Result r = CliProcess.run(repo, env(), "tmux");
    try {
      assertThat(r).succeeded().printed("tmux session braid-", ": attach with  tmux attach -t");
      String session = r.out().strip().replaceAll(".*attach -t ", "");
      assertThat(tmux("list-panes", "-t", session, "-F", "#{pane_index}").lines()).hasSize(2);
      assertThat(CliProcess.run(repo, env(), "tmux").out()).as("opened once").contains(session);
    } finally {
      tmux("kill-server");
    }
  }

  @Test
  void aPaneFollowsEachTaskOfItsSlotUntilTheRunEnds() throws Exception {
    Path fifo = tools.resolve("go");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Files.writeString(
        repo.resolve("braid.yaml"),
        """
        tasks:
          - {task_id: A, command: 'echo waiting; cat "$GO"; echo released'}
          - {task_id: B, agent: claude, depends_on_tasks: [A], file_scope: [b.txt]}
        """);
    Map<String, String> env = env();
    env.put("GO", fifo.toString());
    Path runOut = tools.resolve("run.out");
    Path paneOut = tools.resolve("pane.out");
    Process run = braid(env, runOut, "run", "--plain", "-j", "1");
    Process pane = null;
    try {
      awaitText(runOut, "A | waiting", run);
      pane = braid(env, paneOut, "tmux", "--slot", "1");
      awaitText(paneOut, "== [1] A (attempt 1)", pane);
      Files.writeString(fifo, "go\n");
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(pane.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String shown = Files.readString(paneOut).replaceAll("\u001b\\]2;[^\u001b]*\u001b\\\\", "");
      assertThat(shown)
          .contains("== [1] A (attempt 1)\nwaiting\ngo\nreleased\n-- A succeeded\n")
          .contains("== [1] B (attempt 1, agent claude)\nstarting (fake-model)\n")
          .contains("writing b.txt\n")
          .contains("-- claude, 4 turns, 720 tokens, $0.0125: Changed b.txt")
          .contains("-- B succeeded")
          .endsWith("succeeded\n");
      assertThat(Files.readString(paneOut)).contains("\u001b]2;[1] B\u001b\\");
    } finally {
      for (Process p : new Process[] {run, pane}) {
        if (p != null && p.isAlive()) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  private Process braid(Map<String, String> env, Path out, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Waits until {@code file} (written by {@code writer}) contains {@code text}. */
  private static void awaitText(Path file, String text, Process writer) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (DirectoryWatch watch = new DirectoryWatch(file.getParent())) {
      while (System.nanoTime() < deadline) {
        if (Files.exists(file) && Files.readString(file).contains(text)) {
          return;
        }
        assertThat(writer.isAlive()).as("still running; output: %s", read(file)).isTrue();
        watch.await(Duration.ofMillis(500));
      }
    }
    throw new AssertionError("no '" + text + "' in " + read(file));
  }

  private static String read(Path f) throws IOException {
    return Files.exists(f) ? Files.readString(f) : "(none)";
  }

  private String tmux(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of("tmux"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("TMUX_TMPDIR", tools.toString());
    pb.environment().remove("TMUX");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
