package dev.braid.agent;

import dev.braid.manifest.AgentSpec;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Location;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.SourceMap;
import dev.braid.manifest.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent profiles a plan can use: the built-in ones, then the user's ({@code
 * $XDG_CONFIG_HOME/braid/agents.yaml}), then the plan's ({@code agents:}); a later layer wins. A
 * profile without a command refines the one of the same name below it (its env and args are added,
 * its prompt_via and parser replace).
 */
public final class AgentProfiles {

  /** The user's profiles file, under {@code $XDG_CONFIG_HOME} or {@code ~/.config}. */
  public static final String USER_FILE = "braid/agents.yaml";

  private static final List<String> VERSION = List.of("--version");

  /**
   * The built-in agents. Flags checked against each tool's documentation on 2026-11-23; see
   * docs/agents.md for the versions and sources.
   */
  private static final List<AgentProfile> BUILT_IN =
      List.of(
          new AgentProfile(
              "claude",
              List.of(
                  "claude",
                  "-p",
                  AgentProfile.PROMPT,
                  "--output-format",
                  "stream-json",
                  "--verbose",
                  "--permission-mode",
                  "acceptEdits"),
              PromptVia.ARGUMENT,
              Map.of(),
              List.of(),
              ParserKind.CLAUDE_STREAM_JSON,
              VERSION,
              "built in",
              "npm install -g @anthropic-ai/claude-code"),
          new AgentProfile(
              "codex",
              // --skip-git-repo-check: outside a git repository (a plan run with no isolation)
              // codex exec refuses to start ("Not inside a trusted directory and
              // --skip-git-repo-check was not specified", exit 1); Braid chose the directory.
              // https://developers.openai.com/codex/noninteractive,
              // https://github.com/openai/codex/issues/7522
              List.of(
                  "codex",
                  "exec",
                  "--json",
                  "--sandbox",
                  "workspace-write",
                  "--skip-git-repo-check",
                  AgentProfile.PROMPT),
              PromptVia.ARGUMENT,
              Map.of(),
              List.of(),
              ParserKind.CODEX_JSON,
              VERSION,
              "built in",
              "npm install -g @openai/codex"),
          new AgentProfile(
              "aider",
              // --yes-always answers yes to every question aider asks, not only edits: with a
              // newer release on PyPI it runs "pip install --upgrade aider-chat" and exits 0
              // without doing the task, it opens the release notes in a browser, and it opts the
              // user in to analytics. The three --no- flags keep those questions from being asked.
              // https://aider.chat/docs/config/options.html,
              // https://aider.chat/docs/more/analytics.html
              List.of(
                  "aider",
                  "--yes-always",
                  "--no-auto-commits",
                  "--no-dirty-commits",
                  "--no-pretty",
                  "--no-check-update",
                  "--no-show-release-notes",
                  "--no-analytics",
                  "--message",
                  AgentProfile.PROMPT),
              PromptVia.ARGUMENT,
              Map.of(),
              List.of(),
              ParserKind.LINES,
              VERSION,
              "built in",
              "python -m pip install aider-install && aider-install"),
          new AgentProfile(
              "gemini",
              List.of("gemini", "--approval-mode", "auto_edit", "-p", AgentProfile.PROMPT),
              PromptVia.ARGUMENT,
              // Since 0.39 folders are untrusted by default, and a headless run in one exits 55
              // before doing anything; a task's worktree is a fresh directory nobody trusted.
              // The variable rather than --skip-trust: older versions ignore a variable they do not
              // know, where they may refuse a flag.
              // https://geminicli.com/docs/cli/trusted-folders/#headless-and-automated-environments
              Map.of("GEMINI_CLI_TRUST_WORKSPACE", "true"),
              List.of(),
              ParserKind.LINES,
              VERSION,
              "built in",
              "npm install -g @google/gemini-cli"));

  private final Map<String, AgentProfile> profiles;
  private final List<Diagnostic> warnings;

  private AgentProfiles(Map<String, AgentProfile> profiles, List<Diagnostic> warnings) {
    this.profiles = Map.copyOf(profiles);
    this.warnings = List.copyOf(warnings);
  }

  /** Only the built-in agents. */
  public static AgentProfiles builtIn() {
    Map<String, AgentProfile> all = new LinkedHashMap<>();
    BUILT_IN.forEach(p -> all.put(p.name(), p));
    return new AgentProfiles(all, List.of());
  }

  public static List<String> builtInNames() {
    return BUILT_IN.stream().map(AgentProfile::name).toList();
  }

  /**
   * The profiles {@code plan} can use, reading the user's file found through {@code environment}
   * ({@code XDG_CONFIG_HOME}, {@code HOME}) if it exists.
   *
   * @throws ManifestException for a bad user file or a profile that has no command and refines
   *     nothing, with file, line and column
   */
  public static AgentProfiles load(Manifest plan, Map<String, String> environment)
      throws ManifestException {
    Map<String, AgentProfile> all = new LinkedHashMap<>();
    BUILT_IN.forEach(p -> all.put(p.name(), p));
    List<Diagnostic> warnings = new ArrayList<>();
    List<Diagnostic> errors = new ArrayList<>();
    Optional<Path> user = userFile(environment).filter(Files::isRegularFile);
    if (user.isPresent()) {
      ManifestReader.AgentsFile file = ManifestReader.readAgents(user.get());
      warnings.addAll(file.warnings());
      layer(file.agents(), file.sources(), user.get(), all, errors);
    }
    Path source = plan.source();
    layer(plan.agents(), plan.sources(), source, all, errors);
    if (!errors.isEmpty()) {
      errors.addAll(warnings);
      throw new ManifestException(errors);
    }
    return new AgentProfiles(all, warnings);
  }

  /** {@code $XDG_CONFIG_HOME/braid/agents.yaml}, else {@code $HOME/.config/braid/agents.yaml}. */
  public static Optional<Path> userFile(Map<String, String> environment) {
    String xdg = environment.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg).resolve(USER_FILE));
    }
    String home = environment.get("HOME");
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home, ".config").resolve(USER_FILE));
    }
    return Optional.empty();
  }

  private static void layer(
      Map<String, AgentSpec> specs,
      SourceMap sources,
      Path file,
      Map<String, AgentProfile> into,
      List<Diagnostic> errors) {
    String origin = file == null ? "the plan" : file.toString();
    Path dir = file == null ? Path.of("") : file.toAbsolutePath().getParent();
    // File order is not kept by the manifest's map; sorted names keep messages stable.
    for (AgentSpec spec :
        specs.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
      AgentProfile base = into.get(spec.name());
      String pointer = "/agents/" + SourceMap.escape(spec.name());
      if (spec.command().isEmpty() && base == null) {
        errors.add(
            Diagnostic.error(
                sources.locate(pointer),
                SourceMap.field(pointer + "/command"),
                "missing; '"
                    + spec.name()
                    + "' is not a built-in agent ("
                    + String.join(", ", builtInNames())
                    + "), so it needs a command"));
        continue;
      }
      into.put(spec.name(), profile(spec, base, origin, dir));
    }
  }

  private static AgentProfile profile(AgentSpec spec, AgentProfile base, String origin, Path dir) {
    PromptVia via = PromptVia.parse(spec.promptVia());
    ParserKind parser = ParserKind.parse(spec.parser());
    if (spec.command().isEmpty()) {
      Map<String, String> env = new LinkedHashMap<>(base.env());
      env.putAll(spec.env());
      List<String> args = new ArrayList<>(base.extraArgs());
      args.addAll(spec.extraArgs());
      return new AgentProfile(
          spec.name(),
          base.command(),
          via != null ? via : base.promptVia(),
          env,
          args,
          parser != null ? parser : base.parser(),
          base.versionArgs(),
          base.origin() + ", refined in " + origin,
          base.installHint());
    }
    List<String> command = new ArrayList<>(spec.command());
    String program = command.get(0);
    // A path (not a bare name) is the user's own tool: relative to the file that declared it, so
    // it is found from every task's worktree.
    if (program.contains("/") && !Path.of(program).isAbsolute()) {
      command.set(0, dir.resolve(program).normalize().toString());
    }
    return new AgentProfile(
        spec.name(),
        command,
        via != null ? via : PromptVia.ARGUMENT,
        spec.env(),
        spec.extraArgs(),
        parser != null ? parser : ParserKind.LINES,
        List.of(),
        origin,
        null);
  }

  public Optional<AgentProfile> find(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  /** Every profile, sorted by name. */
  public List<AgentProfile> all() {
    return profiles.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
  }

  /** Warnings from the user's file (unknown fields). */
  public List<Diagnostic> warnings() {
    return warnings;
  }

  /**
   * The agent a task runs: its own {@code agent}, else {@code defaultAgent} when it has no command
   * either (the plan's {@code defaults.agent} is already applied by the reader); null for a command
   * task or a task with nothing to run.
   */
  public static String agentOf(Task task, String defaultAgent) {
    if (task.agent() != null) {
      return task.agent();
    }
    return task.command() == null ? defaultAgent : null;
  }

  /**
   * The profile of every agent task, by task id in plan order.
   *
   * @param defaultAgent the agent for tasks with neither command nor agent ({@code --agent}), or
   *     null
   * @throws ManifestException naming every unknown agent where the plan (or {@code --agent}) names
   *     it
   */
  public Map<String, AgentProfile> forTasks(Manifest plan, String defaultAgent)
      throws ManifestException {
    Map<String, AgentProfile> out = new LinkedHashMap<>();
    Set<Diagnostic> errors = new LinkedHashSet<>();
    SourceMap sources = plan.sources();
    List<Task> tasks = plan.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      String name = agentOf(t, defaultAgent);
      if (name == null) {
        continue;
      }
      AgentProfile p = profiles.get(name);
      if (p != null) {
        out.put(t.id(), p);
        continue;
      }
      String own = SourceMap.task(i, "agent");
      Location at;
      String field;
      if (sources.find(own).isPresent()) {
        at = sources.locate(own);
        field = "agent";
      } else if (t.command() == null
          && t.agent() != null
          && sources.find("/defaults/agent").isPresent()) {
        at = sources.locate("/defaults/agent");
        field = "defaults.agent";
      } else {
        at = Location.of(plan.source());
        field = "--agent";
      }
      errors.add(Diagnostic.error(at, field, unknown(name)));
    }
    if (!errors.isEmpty()) {
      throw new ManifestException(List.copyOf(errors));
    }
    return out;
  }

  private String unknown(String name) {
    return "no agent profile '"
        + name
        + "'; known: "
        + String.join(", ", profiles.keySet().stream().sorted().toList())
        + " (declare others under agents: in the plan or in ~/.config/"
        + USER_FILE
        + ")";
  }
}
