package dev.braid.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.braid.agent.AgentLaunch;
import dev.braid.agent.AgentMonitor;
import dev.braid.agent.AgentProfile;
import dev.braid.agent.AgentProfiles;
import dev.braid.agent.AgentReport;
import dev.braid.agent.DependencyChange;
import dev.braid.agent.Doctor;
import dev.braid.agent.PromptBuilder;
import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.Task;
import dev.braid.plan.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The agent tasks of a run: which profile each one runs, the prompt it gets, how it is launched,
 * and what it reports. Everything that can be wrong with them (an unknown profile, a broken
 * template, a program that is not installed) is found before the run starts.
 */
public final class AgentWork {

  /** Event type of an agent's report (data: {@link AgentReport} as JSON). */
  public static final String TASK_AGENT = "task.agent";

  private final Manifest plan;
  private final Path planDir;
  private final Map<String, AgentProfile> byTask;
  private final PromptBuilder prompts;
  private final List<Diagnostic> warnings;

  /** What tasks that succeeded in this session changed, from their worktree commits. */
  private final Map<String, DependencyChange> committed = new ConcurrentHashMap<>();

  private volatile Function<String, Optional<DependencyChange>> changes =
      id -> Optional.ofNullable(committed.get(id));

  private AgentWork(
      Manifest plan,
      Path planDir,
      Map<String, AgentProfile> byTask,
      PromptBuilder prompts,
      List<Diagnostic> warnings) {
    this.plan = plan;
    this.planDir = planDir;
    this.byTask = Collections.unmodifiableMap(new LinkedHashMap<>(byTask)); // plan order
    this.prompts = prompts;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Resolves every agent task's profile and renders every prompt once, so that a bad profile or
   * template fails before anything runs.
   *
   * @param defaultAgent the agent of tasks with neither command nor agent ({@code --agent}), or
   *     null
   * @param environment where the user's agents file is found ({@code XDG_CONFIG_HOME}, {@code
   *     HOME})
   * @throws ManifestException naming the plan's field at fault
   */
  public static AgentWork of(
      CheckedPlan checked, String defaultAgent, Map<String, String> environment)
      throws ManifestException {
    Manifest plan = checked.manifest();
    AgentProfiles profiles = AgentProfiles.load(plan, environment);
    Map<String, AgentProfile> byTask = profiles.forTasks(plan, defaultAgent);
    Path source = plan.source() == null ? Path.of("braid.yaml") : plan.source();
    Path dir = source.toAbsolutePath().normalize().getParent();
    PromptBuilder prompts = new PromptBuilder(plan, PromptBuilder.specRoots(source));
    AgentWork work = new AgentWork(plan, dir, byTask, prompts, profiles.warnings());
    for (String id : byTask.keySet()) {
      work.prompt(plan.task(id).orElseThrow());
    }
    return work;
  }

  /** Warnings about the user's agents file. */
  public List<Diagnostic> warnings() {
    return warnings;
  }

  /** The profile a task runs with, if it is an agent task. */
  public Optional<AgentProfile> profile(String taskId) {
    return Optional.ofNullable(byTask.get(taskId));
  }

  /** Agent tasks, by id, with their profiles, in plan order. */
  public Map<String, AgentProfile> tasks() {
    return byTask;
  }

  /**
   * Where finished dependencies' changes come from. By default, the commits of tasks that succeeded
   * in this session with worktree isolation (their results' {@code git} details); a dependency
   * without one is listed in the prompt by id and title.
   */
  public void changesFrom(Function<String, Optional<DependencyChange>> source) {
    this.changes = source;
  }

  /**
   * Fails when a profile's program is not installed.
   *
   * @throws dev.braid.agent.AgentException naming each missing agent and the tasks needing it
   */
  public void requireInstalled(Map<String, String> environment) {
    Doctor.requireInstalled(byTask, environment, planDir);
  }

  /** The task's prompt, with what its finished dependencies changed. */
  public String prompt(Task task) throws ManifestException {
    List<DependencyChange> known = new ArrayList<>();
    for (String dep : task.dependsOn()) {
      changes.apply(dep).ifPresent(known::add);
    }
    return prompts.render(task, known);
  }

  /**
   * Writes the task's prompt to {@code promptFile} and returns how to start its agent. Called as
   * each attempt starts; the template was checked by {@link #of}.
   */
  public Command command(Task task, Path promptFile) {
    AgentProfile profile = byTask.get(task.id());
    if (profile == null) {
      throw new IllegalArgumentException(task.id() + " is not an agent task");
    }
    try {
      AgentLaunch launch = profile.launch(prompt(task), promptFile);
      return new Command.Exec(launch.argv(), launch.env(), launch.stdin());
    } catch (ManifestException e) {
      throw new IllegalStateException("the prompt template changed during the run", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the prompt of " + task.id(), e);
    }
  }

  /** Where each agent's report goes when its attempt ends (on the engine's thread). */
  public interface Reports {
    void report(String taskId, int attempt, AgentReport report);
  }

  /**
   * A listener that reads each agent task's output: its activity goes to {@code delegate} in place
   * of the raw output lines (which stay in the task's log), and its report to {@code reports} and
   * {@link RunListener#taskAgentReport} when the attempt ends. Command tasks pass through.
   */
  public RunListener watch(RunListener delegate, Path workDir, Reports reports) {
    return new Watcher(delegate, workDir, reports);
  }

  private final class Watcher implements RunListener {
    private final RunListener delegate;
    private final Path workDir;
    private final Reports reports;
    private final Map<String, AgentMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

    Watcher(RunListener delegate, Path workDir, Reports reports) {
      this.delegate = delegate;
      this.workDir = workDir;
      this.reports = reports;
    }

    @Override
    public void runStarted(RunInfo run) {
      delegate.runStarted(run);
    }

    @Override
    public void taskStarted(String taskId, int attempt, int slot) {
      AgentProfile p = byTask.get(taskId);
      if (p != null) {
        Consumer<String> shown = activity -> delegate.taskOutput(taskId, activity);
        monitors.put(taskId, new AgentMonitor(p, workDir, shown));
        attempts.put(taskId, attempt);
      }
      delegate.taskStarted(taskId, attempt, slot);
    }

    @Override
    public void taskOutput(String taskId, String line) {
      AgentMonitor m = monitors.get(taskId);
      if (m == null) {
        delegate.taskOutput(taskId, line);
      } else {
        m.onLine(line);
      }
    }

    @Override
    public void taskEnded(String taskId, TaskState state, JobResult result, String reason) {
      if (state == TaskState.SUCCEEDED && result != null) {
        commitOf(taskId, result).ifPresent(c -> committed.put(taskId, c));
      }
      delegate.taskEnded(taskId, state, result, reason);
      AgentMonitor m = monitors.remove(taskId);
      if (m != null) {
        AgentReport report = m.report();
        reports.report(taskId, attempts.getOrDefault(taskId, 0), report);
        delegate.taskAgentReport(taskId, report);
      }
    }

    @Override
    public void taskBlocked(String taskId, String blockedBy) {
      delegate.taskBlocked(taskId, blockedBy);
    }

    @Override
    public void note(String message) {
      delegate.note(message);
    }

    @Override
    public void taskAgentReport(String taskId, AgentReport report) {
      delegate.taskAgentReport(taskId, report);
    }

    @Override
    public void runEnded(RunSummary summary) {
      delegate.runEnded(summary);
    }
  }

  /**
   * What a task would run, for {@code braid run --dry-run}.
   *
   * @param agent the agent's profile name, or null for a command task
   * @param command the command, or the agent's command line with its {@code {prompt}} placeholder
   * @param prompt the agent's prompt, or null for a command task
   */
  public record Preview(String taskId, String agent, String command, String prompt) {}

  /** Every task of the plan, in plan order, as it would run now. */
  public List<Preview> preview() throws ManifestException {
    List<Preview> out = new ArrayList<>();
    for (Task t : plan.tasks()) {
      AgentProfile p = byTask.get(t.id());
      out.add(
          p == null
              ? new Preview(t.id(), null, t.command(), null)
              : new Preview(t.id(), p.name(), p.commandLine(), prompt(t)));
    }
    return out;
  }

  /** The cost in a {@link #TASK_AGENT} event's data, 0 when it reports none. */
  public static double cost(String dataJson) {
    try {
      JsonNode node = JSON.readTree(dataJson).get("cost_usd");
      return node != null && node.isNumber() ? node.asDouble() : 0;
    } catch (JsonProcessingException e) {
      return 0;
    }
  }

  /** An agent report recorded in a {@link #TASK_AGENT} event, if the data holds one. */
  public static Optional<AgentReport> report(String dataJson) {
    try {
      return Optional.of(JSON.readValue(dataJson, AgentReport.class));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a task's worktree commit changed, from the details the worktree executor adds. */
  static Optional<DependencyChange> commitOf(String taskId, JobResult result) {
    if (!(result.details().get("git") instanceof Map<?, ?> git)
        || !(git.get("changed") instanceof List<?> changed)) {
      return Optional.empty();
    }
    List<String> files = changed.stream().map(String::valueOf).toList();
    Object message = git.get("message");
    return Optional.of(
        new DependencyChange(taskId, message == null ? "" : message.toString(), files));
  }

  /** {@code $0.18}, {@code $12.40}. */
  public static String dollars(double usd) {
    return String.format(Locale.ROOT, usd < 1 ? "$%.4f" : "$%.2f", usd);
  }
}
