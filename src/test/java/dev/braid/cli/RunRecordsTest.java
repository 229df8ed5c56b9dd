package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code braid reset}, {@code clean} and {@code runs} at the edges: repeats, unknowns, none. */
class RunRecordsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;
  Path plan;

  @BeforeEach
  void repositoryWithAPlan() throws Exception {
    GitCommand.git(repo, "init", "-q", "-b", "main");
    Files.writeString(repo.resolve(".gitignore"), ".braid/\n");
    GitCommand.git(repo, "add", "-A");
    GitCommand.git(repo, "commit", "-q", "-m", "initial");
    plan = repo.resolve("braid.yaml");
    Files.writeString(plan, "tasks:\n  - {task_id: A, command: \"true\"}\n");
  }

  private JsonNode json(String... args) throws IOException {
    Cli.Result r = Cli.run(args);
    assertThat(r).succeeded();
    return JSON.readTree(r.out());
  }

  @Test
  void resetTakesARepeatedIdOnce() throws Exception {
    assertThat(Cli.run("run", plan.toString(), "--plain")).succeeded();
    Cli.Result reset = Cli.run("reset", "A", "A", "--plan", plan.toString());
    assertThat(reset).succeeded().noStackTrace();
    assertThat(reset.out().lines())
        .singleElement()
        .asString()
        .startsWith("reset A (was succeeded)");
    JsonNode status = json("status", "--json", "--plan", plan.toString());
    assertThat(status.get("tasks").get(0).get("status").asText()).isEqualTo("pending");
  }

  @Test
  void aResetRunNoLongerClaimsItSucceeded() throws Exception {
    assertThat(Cli.run("run", plan.toString(), "--plain")).succeeded();
    assertThat(Cli.run("reset", "A", "--plan", plan.toString())).succeeded();

    // unfinished, as a stopped run is, until the next run resumes it
    assertThat(json("status", "--json", "--plan", plan.toString()).get("status").asText())
        .isEqualTo("interrupted");
    assertThat(Cli.run("status", "--plan", plan.toString())).printed(": interrupted (0/1 done");
    assertThat(json("runs", "--json", "--plan", plan.toString()).get(0).get("status").asText())
        .isEqualTo("interrupted");

    assertThat(Cli.run("run", plan.toString(), "--plain")).succeeded().printed("resumed");
    assertThat(json("runs", "--json", "--plan", plan.toString()))
        .singleElement()
        .satisfies(r -> assertThat(r.get("status").asText()).isEqualTo("succeeded"));
  }

  @Test
  void readingCommandsReadAStateDirectoryNobodyCanWriteTo() throws Exception {
    // A CI artifact or another user's state: SQLite's WAL cannot create its -shm file there.
    assertThat(Cli.run("run", plan.toString(), "--plain")).succeeded();
    Path copy = repo.resolve("artifact");
    assertThat(exec("cp", "-r", repo.resolve(".braid").toString(), copy.toString())).isTrue();
    Path state = readOnly(copy);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        state != null, "cannot make a read-only directory here (root without mount rights)");
    try {
      assertThat(Files.isWritable(state)).isFalse();
      assertThat(Cli.run("status", "--state-dir", state.toString()))
          .succeeded()
          .printed(": succeeded (1/1 done");
      assertThat(Cli.run("report", "--state-dir", state.toString())).succeeded().printed("A");
      assertThat(Cli.run("logs", "A", "--state-dir", state.toString())).succeeded();
      if (!state.equals(copy)) {
        // changes still in a -wal that cannot be folded in here: say so rather than read stale
        Files.write(copy.resolve("braid.db-wal"), new byte[4096]);
        assertThat(Cli.run("status", "--state-dir", state.toString()))
            .exitedWith(2)
            .complained("its directory is read-only and its last changes are still in")
            .noStackTrace();
      }
    } finally {
      if (!state.equals(copy)) {
        assertThat(exec("umount", state.toString())).isTrue();
      } else {
        assertThat(exec("chmod", "-R", "u+w", copy.toString())).isTrue();
      }
    }
  }

  /**
   * {@code dir} made read-only: by its mode for a user, by a read-only bind mount for root (whom
   * modes do not stop); null if neither works.
   */
  private Path readOnly(Path dir) throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      return exec("chmod", "-R", "a-w", dir.toString()) ? dir : null;
    }
    Path mount = Files.createDirectories(repo.resolve("read-only"));
    if (!exec("mount", "--bind", dir.toString(), mount.toString())) {
      return null;
    }
    if (!exec("mount", "-o", "remount,ro,bind", mount.toString())) {
      exec("umount", mount.toString());
      return null;
    }
    return mount;
  }

  private static boolean exec(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  @Test
  void cleanOfAnUnknownRunIsAUsageError() throws Exception {
    assertThat(Cli.run("run", plan.toString(), "--plain")).succeeded();
    String state = repo.resolve(".braid").toString();
    for (String[] args :
        new String[][] {
          {"clean", "nope", "--state-dir", state},
          {"clean", "nope", "--branches", "--state-dir", state}
        }) {
      assertThat(Cli.run(args))
          .exitedWith(2)
          .complained("no run 'nope' in ", "(see braid runs)")
          .noStackTrace();
    }
    // a known run with nothing left to clean is not an error
    String id = json("runs", "--json", "--state-dir", state).get(0).get("run_id").asText();
    assertThat(Cli.run("clean", id, "--branches", "--state-dir", state)).succeeded();
    assertThat(Cli.run("clean", id, "--state-dir", state)).succeeded().printed("nothing to clean");
  }

  @Test
  void twoDifferentRunsOrARunOfAnotherPlanAreAUsageError() throws Exception {
    assertThat(Cli.run("run", plan.toString(), "--plain")).succeeded();
    String id = json("runs", "--json", "--plan", plan.toString()).get(0).get("run_id").asText();
    Path other = repo.resolve("other.yaml");
    Files.writeString(other, "tasks:\n  - {task_id: B, command: \"true\"}\n");
    String p = plan.toString();
    for (String command : java.util.List.of("report", "scopes", "tmux", "clean")) {
      assertThat(Cli.run(command, "--run", id, "nope", "--plan", p))
          .as(command)
          .exitedWith(2)
          .complained("two runs given: RUN nope and --run " + id + "; give one")
          .noStackTrace();
    }
    assertThat(Cli.run("report", "--run", id, "--plan", other.toString()))
        .exitedWith(2)
        .complained("run " + id + " is a run of " + plan.toAbsolutePath(), "not of --plan ")
        .noStackTrace();
    assertThat(Cli.run("logs", "A", "--run", id, "--plan", other.toString())).exitedWith(2);
    // the same run both ways is what was meant
    assertThat(Cli.run("report", id, "--run", id, "--plan", p)).succeeded();
  }

  @Test
  void runsWithoutRunsListsNone() throws Exception {
    String state = repo.resolve(".braid").toString();
    assertThat(json("runs", "--json", "--state-dir", state).isArray()).isTrue();
    assertThat(json("runs", "--json", "--state-dir", state)).isEmpty();
    Cli.Result plain = Cli.run("runs", "--state-dir", state);
    assertThat(plain).succeeded().complained("no runs recorded in " + state + " yet");
    assertThat(plain.out()).isEmpty();
  }

  @Test
  void aStateDirThatIsAFileIsNamedAsSuchByTheReadingCommands() throws Exception {
    Path file = repo.resolve("notes.txt");
    Files.writeString(file, "not a state directory\n");
    for (String command : new String[] {"status", "report", "events", "reset"}) {
      String[] args =
          command.equals("reset")
              ? new String[] {command, "A", "--state-dir", file.toString()}
              : new String[] {command, "--state-dir", file.toString()};
      assertThat(Cli.run(args))
          .as(command)
          .exitedWith(2)
          .complained(file + " is not a directory: --state-dir names the directory of runs")
          .noStackTrace();
    }
  }
}
