package dev.braid.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProfilesTest {

  @TempDir Path dir;

  Manifest plan(String yaml) throws Exception {
    Path p = dir.resolve("plan.yaml");
    Files.writeString(p, yaml);
    return ManifestReader.read(p).manifest();
  }

  /** An environment without a user file. */
  Map<String, String> env() {
    return Map.of("HOME", dir.resolve("home").toString(), "PATH", "/usr/bin:/bin");
  }

  @Test
  void builtInsCarryTheirDocumentedFlags() {
    AgentProfiles p = AgentProfiles.builtIn();
    assertThat(p.all())
        .extracting(AgentProfile::name)
        .containsExactly("aider", "claude", "codex", "gemini");
    assertThat(p.find("claude").orElseThrow().commandLine())
        .isEqualTo(
            "claude -p {prompt} --output-format stream-json --verbose --permission-mode acceptEdits");
    assertThat(p.find("claude").orElseThrow().parser()).isEqualTo(ParserKind.CLAUDE_STREAM_JSON);
    assertThat(p.find("codex").orElseThrow().commandLine())
        .isEqualTo("codex exec --json --sandbox workspace-write --skip-git-repo-check {prompt}");
    assertThat(p.find("codex").orElseThrow().parser()).isEqualTo(ParserKind.CODEX_JSON);
    assertThat(p.find("aider").orElseThrow().command())
        .contains(
            "--yes-always",
            "--no-auto-commits",
            "--no-check-update",
            "--no-show-release-notes",
            "--no-analytics",
            "--message");
    assertThat(p.find("gemini").orElseThrow().command())
        .containsSubsequence("--approval-mode", "auto_edit", "-p", "{prompt}");
    assertThat(p.find("gemini").orElseThrow().env())
        .containsEntry("GEMINI_CLI_TRUST_WORKSPACE", "true");
  }

  @Test
  void thePromptIsOneArgumentWhateverItContains() throws Exception {
    AgentProfile claude = AgentProfiles.builtIn().find("claude").orElseThrow();
    String prompt = "Fix it; rm -rf / $(whoami) `id` \"quoted\" '{prompt_file}' {prompt}\n-- done";
    AgentLaunch l = claude.launch(prompt, dir.resolve("prompts/T1.md"));
    assertThat(l.argv())
        .containsExactly(
            "claude",
            "-p",
            prompt,
            "--output-format",
            "stream-json",
            "--verbose",
            "--permission-mode",
            "acceptEdits");
    assertThat(l.stdin()).as("stdin is /dev/null").isNull();
    assertThat(Files.readString(dir.resolve("prompts/T1.md"))).isEqualTo(prompt);
  }

  @Test
  void aPlanRefinesABuiltInWithArgsAndEnv() throws Exception {
    Manifest m =
        plan(
            """
            agents:
              claude: {args: [--model, opus], env: {CLAUDE_CODE_MAX_OUTPUT_TOKENS: 8000}}
            tasks:
              - {task_id: T1, agent: claude}
            """);
    AgentProfile p = AgentProfiles.load(m, env()).forTasks(m, null).get("T1");
    AgentLaunch l = p.launch("do it", dir.resolve("p.md"));
    assertThat(l.argv()).startsWith("claude", "-p", "do it").endsWith("--model", "opus");
    assertThat(l.env()).containsEntry("CLAUDE_CODE_MAX_OUTPUT_TOKENS", "8000");
    assertThat(p.parser()).isEqualTo(ParserKind.CLAUDE_STREAM_JSON);
    assertThat(p.origin()).startsWith("built in, refined in ").endsWith("plan.yaml");
  }

  @Test
  void customProfilesTakeThePromptOnStdinOrAsAFile() throws Exception {
    Manifest m =
        plan(
            """
            agents:
              piped: {command: "my-agent --quiet", prompt_via: stdin, parser: codex-json}
              filed: {command: [my-agent, "--message-file={prompt_file}"]}
              appended: {command: my-agent, prompt_via: file, args: [--fast]}
              local: {command: ./tools/agent.sh}
            tasks:
              - {task_id: A, agent: piped}
              - {task_id: B, agent: filed}
              - {task_id: C, agent: appended}
              - {task_id: D, agent: local}
            """);
    Map<String, AgentProfile> byTask = AgentProfiles.load(m, env()).forTasks(m, null);
    Path file = dir.resolve("prompt.md");
    AgentLaunch a = byTask.get("A").launch("hi", file);
    assertThat(a.argv()).containsExactly("my-agent", "--quiet");
    assertThat(a.stdin()).isEqualTo(file);
    assertThat(a.parser()).isEqualTo(ParserKind.CODEX_JSON);
    assertThat(byTask.get("B").launch("hi", file).argv())
        .containsExactly("my-agent", "--message-file=" + file.toAbsolutePath());
    assertThat(byTask.get("C").launch("hi", file).argv())
        .containsExactly("my-agent", "--fast", file.toAbsolutePath().toString());
    assertThat(byTask.get("C").parser()).isEqualTo(ParserKind.LINES);
    assertThat(byTask.get("D").launch("hi", file).argv())
        .as("a relative program is relative to the plan, and the prompt is appended")
        .containsExactly(dir.resolve("tools/agent.sh").toString(), "hi");
  }

  @Test
  void aPromptTooLongForOneArgumentSaysWhatToDo() {
    AgentProfile claude = AgentProfiles.builtIn().find("claude").orElseThrow();
    String huge = "x".repeat(AgentProfile.MAX_ARGUMENT_BYTES + 1);
    assertThatThrownBy(() -> claude.launch(huge, dir.resolve("p.md")))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("agent 'claude'")
        .hasMessageContaining("set prompt_via: stdin or file");
  }

  @Test
  void unknownAgentsAreReportedWhereThePlanNamesThem() throws Exception {
    Manifest m =
        plan(
            """
            defaults: {agent: clade}
            tasks:
              - {task_id: A, agent: cursor}
              - {task_id: B}
              - {task_id: C, command: make}
            """);
    AgentProfiles profiles = AgentProfiles.load(m, env());
    assertThatThrownBy(() -> profiles.forTasks(m, null))
        .isInstanceOf(ManifestException.class)
        .satisfies(
            e ->
                assertThat(((ManifestException) e).diagnostics())
                    .extracting(d -> d.toString().replace(dir + "/", ""))
                    .containsExactly(
                        "plan.yaml:3:25: error: agent: no agent profile 'cursor'; known: aider,"
                            + " claude, codex, gemini (declare others under agents: in the plan or"
                            + " in ~/.config/braid/agents.yaml)",
                        "plan.yaml:1:19: error: defaults.agent: no agent profile 'clade'; known:"
                            + " aider, claude, codex, gemini (declare others under agents: in the"
                            + " plan or in ~/.config/braid/agents.yaml)"));
  }

  @Test
  void theCommandLineDefaultAgentOnlyCoversTasksWithNothingToRun() throws Exception {
    Manifest m =
        plan(
            """
            tasks:
              - {task_id: A}
              - {task_id: B, command: make}
              - {task_id: C, agent: codex}
            """);
    AgentProfiles profiles = AgentProfiles.load(m, env());
    assertThat(profiles.forTasks(m, null)).containsOnlyKeys("C");
    Map<String, AgentProfile> withDefault = profiles.forTasks(m, "claude");
    assertThat(withDefault).containsOnlyKeys("A", "C");
    assertThat(withDefault.get("A").name()).isEqualTo("claude");
    assertThatThrownBy(() -> profiles.forTasks(m, "nope"))
        .hasMessageContaining("--agent: no agent profile 'nope'");
  }

  @Test
  void theUsersFileSitsBetweenTheBuiltInsAndThePlan() throws Exception {
    Path config = dir.resolve("xdg/braid/agents.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        """
        agents:
          claude: {args: [--model, sonnet]}
          mine: {command: /opt/mine/bin/agent, parser: claude-stream-json}
          theirs: {command: theirs}
        """);
    Manifest m =
        plan(
            """
            agents:
              theirs: {command: [theirs, --plan-wins]}
            tasks:
              - {task_id: A, agent: claude}
              - {task_id: B, agent: mine}
              - {task_id: C, agent: theirs}
            """);
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString());
    assertThat(AgentProfiles.userFile(env)).contains(config);
    Map<String, AgentProfile> byTask = AgentProfiles.load(m, env).forTasks(m, null);
    assertThat(byTask.get("A").extraArgs()).containsExactly("--model", "sonnet");
    assertThat(byTask.get("B").program()).isEqualTo("/opt/mine/bin/agent");
    assertThat(byTask.get("B").origin()).isEqualTo(config.toString());
    assertThat(byTask.get("C").command()).containsExactly("theirs", "--plan-wins");
    assertThat(AgentProfiles.userFile(Map.of("HOME", "/home/u")))
        .contains(Path.of("/home/u/.config/braid/agents.yaml"));
  }

  @Test
  void aNewAgentWithoutCommandIsAnError() throws Exception {
    Manifest m = plan("agents:\n  mine: {args: [-v]}\ntasks: []\n");
    assertThatThrownBy(() -> AgentProfiles.load(m, env()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "plan.yaml:2:9: error: agents.mine.command: missing; 'mine' is not a built-in agent"
                + " (claude, codex, aider, gemini), so it needs a command");
  }

  @Test
  void listsTasksByName() {
    assertThat(Doctor.usedBy(List.of("A", "B"))).isEqualTo("used by A, B");
    assertThat(Doctor.usedBy(List.of("A", "B", "C", "D", "E")))
        .isEqualTo("used by A, B, C and 2 more");
  }
}
