package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid run} with the built-in codex, aider and gemini profiles, each agent a script on PATH
 * that behaves as its documented CLI does in a run nobody attends: what it refuses, what it answers
 * for itself, what it prints. The plan's directory is not a git repository (no isolation).
 */
class BuiltInAgentsTest {

  @TempDir Path dir;
  @TempDir Path tools;

  @BeforeEach
  void notInARepository() throws Exception {
    Process git =
        new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "--git-dir")
            .redirectErrorStream(true)
            .start();
    git.getInputStream().readAllBytes();
    assertThat(git.waitFor())
        .as("the scratch directory must not be inside a repository")
        .isNotZero();
    Files.createDirectories(tools.resolve("bin"));
    Files.createDirectories(tools.resolve("home"));
  }

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", tools.resolve("home").toString());
    return env;
  }

  void agent(String name, String script) throws IOException {
    Path file = tools.resolve("bin").resolve(name);
    Files.writeString(file, "#!/usr/bin/env bash\n" + script);
    assertThat(file.toFile().setExecutable(true)).isTrue();
  }

  void plan(String agent) throws IOException {
    Files.writeString(
        dir.resolve("braid.yaml"),
        "tasks:\n  - {task_id: T, agent: " + agent + ", file_scope: [done-T.txt]}\n");
  }

  /**
   * codex exec refuses to start outside a git repository unless told not to check: "Not inside a
   * trusted directory and --skip-git-repo-check was not specified.", exit 1 (codex-rs
   * exec/src/lib.rs; the check looks for a .git file or directory upwards).
   */
  static final String CODEX =
      """
      [[ ${1-} == --version ]] && { echo "codex-cli 0.153.2"; exit 0; }
      skip=false
      for a; do [[ $a == --skip-git-repo-check ]] && skip=true; done
      d=$PWD
      while [[ $d != / && ! -e $d/.git ]]; do d=$(dirname "$d"); done
      if ! $skip && [[ ! -e $d/.git ]]; then
        echo "Not inside a trusted directory and --skip-git-repo-check was not specified." >&2
        exit 1
      fi
      echo '{"type":"thread.started","thread_id":"0199a213-81c0-7800-8aa1-bbab2a035a53"}'
      echo '{"type":"turn.started"}'
      echo "// by codex" > "done-$BRAID_TASK_ID.txt"
      printf '{"type":"item.completed","item":{"id":"item_1","type":"file_change","changes":[{"path":"%s","kind":"add"}],"status":"completed"}}\\n' "$PWD/done-$BRAID_TASK_ID.txt"
      echo '{"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"Added done-T.txt."}}'
      echo '{"type":"turn.completed","usage":{"input_tokens":1200,"cached_input_tokens":200,"output_tokens":300}}'
      """;

  @Test
  void codexRunsOutsideAGitRepository() throws Exception {
    agent("codex", CODEX);
    plan("codex");
    Cli.Result r = CliProcess.run(dir, env(), "run", "--plain");
    assertThat(r)
        .succeeded()
        .printed(
            "T | adding done-T.txt", "agent    T: codex, 1 turn, 1,500 tokens: Added done-T.txt.");
    assertThat(dir.resolve("done-T.txt")).exists();
  }

  /**
   * aider under --yes-always answers yes to every question that does not need an explicit yes
   * (aider/io.py confirm_ask): "Run pip install?" for a newer release (then "Re-run aider to use
   * new version." and exit 0, the task not done; aider/versioncheck.py), "Allow collection of
   * anonymous analytics?" (aider/main.py) and "Would you like to see what's new in this version?"
   * (a browser, aider/io.py offer_url). Each has a --no- flag that keeps the question from being
   * asked.
   */
  static final String AIDER =
      """
      [[ ${1-} == --version ]] && { echo "aider 0.86.1"; exit 0; }
      has() { local a; for a in "${args[@]}"; do [[ $a == "$1" ]] && return 0; done; return 1; }
      args=("$@")
      has --yes-always || { echo "nobody answers questions here" >&2; exit 3; }
      if ! has --no-check-update; then
        echo "Newer aider version v0.99.0 is available."
        echo "Run pip install? (Y)es/(N)o [Yes]: y"
        echo "Re-run aider to use new version."
        exit 0
      fi
      if ! has --no-analytics; then
        echo "Allow collection of anonymous analytics to help improve aider? (Y)es/(N)o [Yes]: y"
        touch "$HOME/aider-analytics-opted-in"
      fi
      if ! has --no-show-release-notes; then
        echo "Would you like to see what's new in this version? (Y)es/(N)o [Yes]: y"
        touch "$HOME/aider-opened-a-browser"
      fi
      echo "// by aider" > "done-$BRAID_TASK_ID.txt"
      echo "Applied edit to done-$BRAID_TASK_ID.txt"
      """;

  @Test
  void aiderDoesTheTaskInsteadOfUpgradingItselfAndSaysYesToNothingElse() throws Exception {
    agent("aider", AIDER);
    plan("aider");
    Cli.Result r = CliProcess.run(dir, env(), "run", "--plain");
    assertThat(r).succeeded().printed("agent    T: aider: Applied edit to done-T.txt");
    assertThat(r.out()).doesNotContain("Run pip install?");
    assertThat(dir.resolve("done-T.txt")).exists();
    assertThat(tools.resolve("home/aider-analytics-opted-in")).doesNotExist();
    assertThat(tools.resolve("home/aider-opened-a-browser")).doesNotExist();
  }

  /**
   * Gemini CLI (0.39 and later) trusts no folder by default, and headless in an untrusted one it
   * exits 55 before doing anything, unless GEMINI_CLI_TRUST_WORKSPACE=true or --skip-trust; a
   * task's directory (a fresh worktree) is one nobody trusted. Message as the CLI prints it.
   */
  static final String GEMINI =
      """
      [[ ${1-} == --version ]] && { echo "0.64.0"; exit 0; }
      if [[ ${GEMINI_CLI_TRUST_WORKSPACE-} != true ]]; then
        echo 'Approval mode overridden to "default" because the current folder is not trusted.' >&2
        echo 'Gemini CLI is not running in a trusted directory. To proceed, either use `--skip-trust`, set the `GEMINI_CLI_TRUST_WORKSPACE=true` environment variable, or trust this directory in interactive mode.' >&2
        exit 55
      fi
      echo "// by gemini" > "done-$BRAID_TASK_ID.txt"
      echo "I created done-$BRAID_TASK_ID.txt."
      """;

  @Test
  void geminiRunsInADirectoryNobodyTrustedYet() throws Exception {
    agent("gemini", GEMINI);
    plan("gemini");
    Cli.Result r = CliProcess.run(dir, env(), "run", "--plain");
    assertThat(r).succeeded().printed("agent    T: gemini: I created done-T.txt.");
    assertThat(dir.resolve("done-T.txt")).exists();
  }

  @Test
  void aUserCanStillTakeTrustAwayFromGemini() throws Exception {
    agent("gemini", GEMINI);
    Files.writeString(
        dir.resolve("braid.yaml"),
        """
        agents:
          gemini:
            env: {GEMINI_CLI_TRUST_WORKSPACE: "false"}
        tasks:
          - {task_id: T, agent: gemini, file_scope: [done-T.txt]}
        """);
    assertThat(CliProcess.run(dir, env(), "run", "--plain")).exitedWith(1).printed("FAILED   T");
    assertThat(dir.resolve("done-T.txt")).doesNotExist();
  }
}
