package dev.braid.cli;

import static dev.braid.cli.CliResultAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  /** A program in {@code dir/bin} running a shell script. */
  Path program(String name, String script) throws IOException {
    Path p = write("bin/" + name, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  Map<String, String> env() {
    return Map.of(
        "PATH", dir.resolve("bin") + ":/usr/bin:/bin", "HOME", dir.resolve("home").toString());
  }

  @Test
  void promptPrintsTheRenderedPromptOfATask() {
    assertThat(Cli.run("prompt", "CART_API--T01", "examples/shopping-cart.yaml"))
        .succeeded()
        .printed(
            "# Task CART_API--T01: Backend cart API with Redis session storage",
            "- CART_API-AC02: Totals include tax and discount",
            "Change only these paths:\n- src/api/cart/\n- package.json\n",
            "- CART_CONTRACT--T01: Define the cart API contract and data models");
  }

  @Test
  void theAgentExampleIsAValidPlanWhoseAgentIsBundled() {
    assertThat(Cli.run("validate", "examples/agents/shopping-cart.yaml")).succeeded();
    assertThat(Cli.run("doctor", "examples/agents/shopping-cart.yaml"))
        .succeeded()
        .printed("ok       fake  ", "examples/agents/fake-agent", "1 agent: 1 ok");
  }

  @Test
  void promptOfAnUnknownTaskIsAUsageError() {
    assertThat(Cli.run("prompt", "NOPE", "examples/shopping-cart.yaml"))
        .exitedWith(2)
        .complained("braid: no task 'NOPE' in examples/shopping-cart.yaml")
        .noStackTrace();
  }

  @Test
  void promptOfATaskAlreadyDoneSaysSo() throws Exception {
    Path plan = write("checklist.md", "- [x] Write the parser\n- [ ] Test it\n");
    assertThat(Cli.run("prompt", "1", plan.toString()))
        .exitedWith(2)
        .complained(
            "braid: task '1' is already done in " + plan,
            "uncheck it (- [ ]) to run it again and see its prompt")
        .noStackTrace();
    assertThat(Cli.run("prompt", "2", plan.toString())).succeeded().printed("Test it");
  }

  @Test
  void promptReadsRelatedSpecsFromThePlansRepository() throws Exception {
    write("docs/hash.md", "Use SHA-256 over the canonical JSON.\n");
    Path plan =
        write(
            "plans/p.yaml",
            "tasks:\n  - {task_id: T1, related_specs: [docs/hash.md], agent: claude}\n");
    Files.createDirectories(dir.resolve(".git"));
    assertThat(Cli.run("prompt", "T1", plan.toString()))
        .succeeded()
        .printed("### docs/hash.md\n\n```\nUse SHA-256 over the canonical JSON.\n```");
  }

  @Test
  void doctorFindsInstalledAgentsAndTheirVersions() throws Exception {
    program("claude", "echo '2.1.118 (Claude Code)'\n");
    write(
        "braid.yaml",
        """
        tasks:
          - {task_id: T1, agent: claude}
          - {task_id: T2, agent: claude}
          - {task_id: T3, command: make}
        """);
    Cli.Result r = CliProcess.run(dir, env(), "doctor");
    assertThat(r)
        .succeeded()
        .printed(
            "ok       claude  "
                + dir.resolve("bin/claude")
                + "  2.1.118 (Claude Code)  (used by T1, T2)",
            "1 agent: 1 ok");
  }

  @Test
  void doctorExitsTwoNamingWhatIsMissingAndHowToInstallIt() throws Exception {
    program("claude", "echo 2.1.118\n");
    write(
        "braid.yaml",
        """
        agents:
          local: {command: ./tools/my-agent}
        tasks:
          - {task_id: T1, agent: claude}
          - {task_id: T2, agent: codex}
          - {task_id: T3, agent: local}
          - {task_id: T4}
        """);
    Cli.Result r = CliProcess.run(dir, env(), "doctor", "--agent", "codex");
    assertThat(r)
        .exitedWith(2)
        .printed(
            "MISSING  codex   'codex' is not on PATH; install it with: npm install -g @openai/codex"
                + "  (used by T2, T4)",
            "MISSING  local   '"
                + dir.resolve("tools/my-agent")
                + "' does not exist or is not executable",
            "3 agents: 1 ok, 2 missing");
  }

  @Test
  void doctorReadsTheUsersAgentsFile() throws Exception {
    program("fake-agent", "exit 0\n");
    write("xdg/braid/agents.yaml", "agents:\n  fake: {command: fake-agent --json}\n");
    write("braid.yaml", "tasks:\n  - {task_id: T1, agent: fake}\n");
    Map<String, String> env = new java.util.HashMap<>(env());
    env.put("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
    assertThat(CliProcess.run(dir, env, "doctor"))
        .succeeded()
        .printed("ok       fake  " + dir.resolve("bin/fake-agent") + "  (used by T1)");
  }

  @Test
  void doctorReportsUnknownAgentsWhereThePlanNamesThem() throws Exception {
    Path plan = write("p.yaml", "tasks:\n  - task_id: T1\n    agent: cursor\n");
    assertThat(Cli.run("doctor", plan.toString()))
        .exitedWith(2)
        .complained(plan + ":3:12: error: agent: no agent profile 'cursor'")
        .noStackTrace();
  }

  @Test
  void aVersionThatNeverComesDoesNotHangTheDoctor() throws Exception {
    program("claude", "exec sleep 600\n");
    write("braid.yaml", "tasks:\n  - {task_id: T1, agent: claude}\n");
    Cli.Result r = CliProcess.run(dir, env(), "doctor");
    assertThat(r).succeeded().printed("(no answer to --version within 5s)");
    assertThat(r.out()).contains("ok       claude");
  }

  @Test
  void validateRefusesWhatRunRefusesAnUnknownAgentProfile() throws Exception {
    Path plan = write("p.yaml", "tasks:\n  - task_id: T1\n    agent: cursor\n");
    assertThat(Cli.run("validate", plan.toString()))
        .exitedWith(2)
        .complained(plan + ":3:12: error: agent: no agent profile 'cursor'", "1 error")
        .noStackTrace();
  }

  @Test
  void validateReportsEveryBrokenPromptTemplateWhereThePlanNamesIt() throws Exception {
    Path plan =
        write(
            "p.yaml",
            """
            prompt_template: prompts/missing.mustache
            tasks:
              - {task_id: T1, agent: claude, parallel: false}
              - {task_id: T2, agent: claude, parallel: false}
              - task_id: T3
                agent: claude
                parallel: false
                prompt_template: {text: "{{#open}} never closed"}
            """);
    Cli.Result r = Cli.run("validate", plan.toString());
    assertThat(r)
        .exitedWith(2)
        .complained(
            plan
                + ":1:18: error: prompt_template: cannot read "
                + dir.resolve("prompts/missing.mustache")
                + ": no such file",
            plan + ":8:22: error: prompt_template: inline template: ",
            "2 errors")
        .noStackTrace();
    assertThat(r.err().split("missing.mustache", -1)).hasSize(2); // once, not once per task

    JsonNode json = JSON.readTree(Cli.run("validate", plan.toString(), "--format", "json").out());
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("diagnostics").findValuesAsText("field"))
        .containsExactly("prompt_template", "prompt_template");
    assertThat(json.get("diagnostics").findValuesAsText("severity"))
        .containsExactly("error", "error");
  }

  @Test
  void validateWarnsOfATaskWithNothingToRunAsRunRefusesIt() throws Exception {
    Path plan =
        write(
            "p.yaml",
            """
            tasks:
              - {task_id: T1, command: 'true', parallel: false}
              - {task_id: T2, depends_on_tasks: [T1], parallel: false}
            """);
    String nothing =
        "task T2 has nothing to run: give it a command or an agent, or run with --agent NAME";
    assertThat(Cli.run("validate", plan.toString()))
        .succeeded()
        .printed(plan + ": ok, 2 tasks, 1 warning")
        .complained(plan + ":3:5: warning: " + nothing);
    assertThat(Cli.run("validate", plan.toString(), "--strict")).exitedWith(2).complained(nothing);
    JsonNode json = JSON.readTree(Cli.run("validate", plan.toString(), "--format", "json").out());
    assertThat(json.get("valid").asBoolean()).isTrue();
    assertThat(json.at("/diagnostics/0/severity").asText()).isEqualTo("warning");
    assertThat(json.at("/diagnostics/0/message").asText()).isEqualTo(nothing);
    assertThat(
            Cli.run("run", plan.toString(), "--plain", "--state-dir", dir.resolve("s").toString()))
        .exitedWith(2)
        .complained("braid: " + nothing);
    // a dry run refuses it the same way, rather than show a run that would not happen
    Cli.Result dry = Cli.run("run", plan.toString(), "--dry-run");
    assertThat(dry).exitedWith(2).complained("braid: " + nothing).noStackTrace();
    assertThat(dry.out()).isEmpty();
    // what makes a run accept it makes a dry run accept it
    assertThat(Cli.run("run", plan.toString(), "--dry-run", "--command", "true")).succeeded();
  }
}
