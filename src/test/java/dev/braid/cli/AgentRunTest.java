package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code braid run} on agent tasks, with the fake agent of examples/agents installed as {@code
 * claude} on the PATH Braid gets: it prints Claude Code's stream-json and edits its scope.
 */
class AgentRunTest {

  private static final ObjectMapper JSON = new ObjectMapper();

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

  Map<String, String> env(String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", tools.resolve("bin") + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", tools.resolve("home").toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  void plan(String yaml) throws IOException {
    Files.writeString(repo.resolve("braid.yaml"), yaml);
  }

  static final String PLAN =
      """
      tasks:
        - task_id: CART_API
          title: Cart API
          agent: claude
          file_scope: [src/api/cart/]
        - task_id: CART_UI
          title: Cart page
          depends_on_tasks: [CART_API]
          file_scope: [src/ui/Cart.tsx]
        - task_id: CHECK
          command: test -f src/ui/Cart.tsx
          depends_on_tasks: [CART_UI]
      """;

  @Test
  void agentTasksRunWithTheirPromptShowActivityAndRecordTheirReport() throws Exception {
    plan(PLAN);
    Cli.Result r = CliProcess.run(repo, env(), "run", "--plain", "--agent", "claude");
    assertThat(r)
        .succeeded()
        .printed(
            "CART_API | starting (fake-model)",
            "CART_API | writing src/api/cart/agent-CART_API.txt",
            "agent    CART_API: claude, 4 turns, 720 tokens, $0.0125: Changed"
                + " src/api/cart/agent-CART_API.txt for CART_API: Cart API.",
            "CART_UI | writing src/ui/Cart.tsx",
            "ok       CHECK");
    assertThat(r.out()).doesNotContain("{\"type\"");
    assertThat(repo.resolve("src/api/cart/agent-CART_API.txt")).exists();
    assertThat(repo.resolve("src/ui/Cart.tsx")).exists();

    Path runDir;
    try (Stream<Path> runs = Files.list(repo.resolve(".braid/runs"))) {
      runDir = runs.findFirst().orElseThrow();
    }
    assertThat(Files.readString(runDir.resolve("prompts/CART_UI.md")))
        .contains("# Task CART_UI: Cart page", "- CART_API: Cart API", "- src/ui/Cart.tsx");
    assertThat(Files.readString(runDir.resolve("logs/CART_API.1.log")))
        .as("the raw stream stays in the log")
        .contains("{\"type\":\"result\",\"subtype\":\"success\"");

    Cli.Result events = CliProcess.run(repo, env(), "events", "--json");
    assertThat(events).succeeded();
    List<JsonNode> reports =
        events
            .out()
            .lines()
            .map(AgentRunTest::json)
            .filter(e -> e.path("type").asText().equals("task.succeeded"))
            .filter(e -> e.path("data").has("agent"))
            .toList();
    assertThat(reports).as("the agent's report is recorded with the task's end").hasSize(2);
    JsonNode data = reports.get(0).path("data").path("agent");
    assertThat(data.path("agent").asText()).isEqualTo("claude");
    assertThat(data.path("cost_usd").asDouble()).isEqualTo(0.0125);
    assertThat(data.path("turns").asInt()).isEqualTo(4);
    assertThat(data.path("tokens").path("total").asLong()).isEqualTo(720);

    assertThat(CliProcess.run(repo, env(), "report"))
        .succeeded()
        .printed(
            "CART_API  claude, 4 turns, 720 tokens, $0.0125: Changed src/api/cart/agent-CART_API.txt",
            "agents: 2 tasks, 8 turns, 1,440 tokens, $0.0250");
    JsonNode report = json(CliProcess.run(repo, env(), "report", "--format", "json").out());
    assertThat(report.at("/agent_totals/cost_usd").asDouble()).isEqualTo(0.025);
    assertThat(report.at("/agent_totals/tokens/total").asLong()).isEqualTo(1440);
    assertThat(report.at("/tasks/1/agent/summary").asText())
        .isEqualTo("Changed src/ui/Cart.tsx for CART_UI: Cart page.");
    assertThat(report.at("/tasks/2/agent").isMissingNode()).as("a command task").isTrue();
  }

  @Test
  void inWorktreesAPromptSaysWhatEachDependencyCommitted() throws Exception {
    plan(
        PLAN.replace(
            "    file_scope: [src/ui/Cart.tsx]\n",
            "    file_scope: [src/ui/Cart.tsx]\n    related_specs: [src/api/cart/agent-CART_API.txt]\n"));
    Files.writeString(repo.resolve(".gitignore"), ".braid/\n");
    git("add", "-A");
    git("commit", "-q", "-m", "initial");
    Cli.Result r = CliProcess.run(repo, env(IDENTITY), "run", "--plain", "--agent", "claude");
    assertThat(r).succeeded().printed("CART_UI | writing src/ui/Cart.tsx");
    Path runDir;
    try (Stream<Path> runs = Files.list(repo.resolve(".braid/runs"))) {
      runDir = runs.findFirst().orElseThrow();
    }
    assertThat(Files.readString(runDir.resolve("prompts/CART_UI.md")))
        .contains(
            "- CART_API: Cart API\n"
                + "  Commit message: CART_API: Cart API\n"
                + "  Changed files: src/api/cart/agent-CART_API.txt\n",
            "### src/api/cart/agent-CART_API.txt\n\n```\n// written by the fake agent for CART_API\n```");
    assertThat(git("log", "--all", "--format=%s", "-n", "20")).contains("CART_UI: Cart page");
  }

  static final String[] IDENTITY = {
    "GIT_AUTHOR_NAME", "Braid Test", "GIT_AUTHOR_EMAIL", "test@braid.invalid",
    "GIT_COMMITTER_NAME", "Braid Test", "GIT_COMMITTER_EMAIL", "test@braid.invalid"
  };

  String git(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    for (int i = 0; i < IDENTITY.length; i += 2) {
      pb.environment().put(IDENTITY[i], IDENTITY[i + 1]);
    }
    Process p = pb.start();
    p.getOutputStream().close();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
    return out;
  }

  @Test
  void aMissingAgentIsAnErrorBeforeAnythingStarts() throws Exception {
    plan(PLAN);
    Map<String, String> env = env();
    env.put("PATH", "/usr/bin:/bin");
    Cli.Result r = CliProcess.run(repo, env, "run", "--plain", "--agent", "claude");
    assertThat(r)
        .exitedWith(2)
        .complained(
            "braid: agent 'claude' (used by CART_API, CART_UI): 'claude' is not on PATH; install"
                + " it with: npm install -g @anthropic-ai/claude-code",
            "nothing was started")
        .noStackTrace();
    assertThat(repo.resolve(".braid")).doesNotExist();
  }

  @Test
  void dryRunPrintsEveryCommandAndPromptAndRunsNothing() throws Exception {
    plan(PLAN);
    Map<String, String> env = env();
    env.put("PATH", "/usr/bin:/bin"); // no agent needed to look
    Cli.Result r = CliProcess.run(repo, env, "run", "--dry-run", "--agent", "claude");
    assertThat(r)
        .succeeded()
        .printed(
            "== CART_API  (agent claude)\n"
                + "$ claude -p {prompt} --output-format stream-json --verbose --permission-mode"
                + " acceptEdits\n"
                + "--- prompt ---\n",
            "# Task CART_UI: Cart page",
            "== CHECK\n$ test -f src/ui/Cart.tsx\n",
            "3 tasks, 2 run by agents; nothing was run");
    assertThat(r.err())
        .as("the preview says that a real run here would refuse")
        .contains(
            "braid: a real run would not start here: agent 'claude' (used by CART_API, CART_UI):"
                + " 'claude' is not on PATH; install it with: npm install -g"
                + " @anthropic-ai/claude-code\n`braid doctor` checks the agents");
    assertThat(repo.resolve(".braid")).doesNotExist();
    assertThat(repo.resolve("src")).doesNotExist();
  }

  @Test
  void dryRunShowsWhereThePromptGoesWhenTheProfileNamesNoPlaceholder() throws Exception {
    plan(
        """
        agents:
          by-arg: {command: [my-agent, --fast]}
          by-stdin: {command: [my-agent], prompt_via: stdin}
          by-file: {command: [my-agent], prompt_via: file}
        tasks:
          - {task_id: A, agent: by-arg}
          - {task_id: B, agent: by-stdin}
          - {task_id: C, agent: by-file}
        """);
    Cli.Result r = CliProcess.run(repo, env(), "run", "--dry-run");
    assertThat(r)
        .succeeded()
        .printed(
            "$ my-agent --fast {prompt}\n",
            "$ my-agent < {prompt_file}\n",
            "$ my-agent {prompt_file}\n");
  }

  @Test
  void aTaskWithNothingToRunIsRefusedWithoutADefaultAgent() throws Exception {
    plan(PLAN);
    assertThat(CliProcess.run(repo, env(), "run", "--plain"))
        .exitedWith(2)
        .complained("task CART_UI has nothing to run: give it a command or an agent");
  }

  @Test
  void theBudgetStopsStartingTasksOnceTheReportedCostReachesIt() throws Exception {
    plan(
        """
        defaults: {agent: claude}
        tasks:
          - {task_id: A, file_scope: [a.txt]}
          - {task_id: B, file_scope: [b.txt]}
          - {task_id: C, file_scope: [c.txt]}
        """);
    Cli.Result r =
        CliProcess.run(
            repo, env("FAKE_AGENT_COST", "1.0"), "run", "--plain", "-j", "1", "--max-cost", "1.5");
    assertThat(r)
        .exitedWith(1)
        .printed("--max-cost $1.50 reached ($2.00 reported by the agents): starting no more tasks");
    assertThat(repo.resolve("a.txt")).exists();
    assertThat(repo.resolve("b.txt")).exists();
    assertThat(repo.resolve("c.txt")).doesNotExist();
  }

  @Test
  void aTaskFailingByItselfOnceTheRunStoppedIsStoppedNotRetried() throws Exception {
    // B fails by itself only once braid said it starts no more tasks (in its stdout, a file here):
    // it is not retried in this run, and the console says so.
    plan(
        """
        tasks:
          - {task_id: A, agent: claude, file_scope: [a.txt]}
          - task_id: B
            command: until grep -qs 'starting no more tasks' out*.txt; do sleep 0.02; done; exit 3
            retries: 2
            file_scope: [b.txt]
        """);
    Cli.Result r =
        CliProcess.run(
            repo, env("FAKE_AGENT_COST", "1.0"), "run", "--plain", "-j", "2", "--max-cost", "0.5");
    assertThat(r).exitedWith(1).printed("starting no more tasks; 1 still running", "stopped  B (");
    assertThat(r.out()).doesNotContain("retry");
  }

  @Test
  void anAgentAskingAQuestionGetsNoAnswerInsteadOfHanging() throws Exception {
    plan("tasks:\n  - {task_id: Q, agent: claude, file_scope: [q.txt]}\n");
    assertThat(CliProcess.run(repo, env("FAKE_AGENT_ASK", "1"), "run", "--plain"))
        .succeeded()
        .printed("Q | Nobody answered; using SQLite.");
  }

  @Test
  void anAgentThatFailsFailsItsTaskAndSaysWhy() throws Exception {
    plan("tasks:\n  - {task_id: F, agent: claude, file_scope: [f.txt]}\n");
    assertThat(CliProcess.run(repo, env("FAKE_AGENT_FAIL", "1"), "run", "--plain"))
        .exitedWith(1)
        .printed(
            "FAILED   F", "agent    F: claude, 3 turns", "reported an error, 1 unreadable line");
  }

  @Test
  void agentsThatReportNoCostAddUpInTheJsonReport() throws Exception {
    Path agent = tools.resolve("bin/plain-agent");
    Files.writeString(agent, "#!/bin/sh\necho \"did $BRAID_TASK_ID\"\n");
    agent.toFile().setExecutable(true);
    plan(
        """
        agents:
          plain: {command: [plain-agent]}
        defaults: {agent: plain}
        tasks:
          - {task_id: A, file_scope: [a.txt]}
          - {task_id: B, file_scope: [b.txt], depends_on_tasks: [A]}
        """);
    assertThat(CliProcess.run(repo, env(), "run", "--plain")).succeeded();
    Cli.Result r = CliProcess.run(repo, env(), "report", "--format", "json");
    assertThat(r).succeeded().noStackTrace();
    JsonNode report = json(r.out());
    assertThat(report.at("/agent_totals/tasks").asInt()).isEqualTo(2);
    assertThat(report.at("/agent_totals/cost_usd").isNull()).isTrue();
    assertThat(report.at("/agent_totals/turns").isNull()).isTrue();
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError(line, e);
    }
  }
}
