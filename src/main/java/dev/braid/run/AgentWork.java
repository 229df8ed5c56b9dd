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
import dev.braid.store.EventRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The agent tasks of a run: which profile each one runs, the prompt it gets, how it is launched,
 * and what it reports. Everything that can be wrong with them (an unknown profile, a broken
 * template, a program that is not installed) is found before the run starts.
 */
public final class AgentWork {

  private final Manifest plan;
  private final Path planDir;
  private final String defaultAgent;
  private final Map<String, AgentProfile> byTask;
  private final PromptBuilder prompts;
  private final List<Diagnostic> warnings;

  /** Where each agent task's prompt is written, as decided by {@link #command(Task, Path)}. */
  private final Map<String, Path> promptFiles = new ConcurrentHashMap<>();

  /** What tasks that succeeded in this session changed, from their worktree commits. */
  private final Map<String, DependencyChange> committed = new ConcurrentHashMap<>();

  private volatile Function<String, Optional<DependencyChange>> changes =
      id -> Optional.ofNullable(committed.get(id));

  private AgentWork(
      Manifest plan,
      String defaultAgent,
      Path planDir,
      Map<String, AgentProfile> byTask,
      PromptBuilder prompts,
      List<Diagnostic> warnings) {
    this.plan = plan;
    this.defaultAgent = defaultAgent;
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
    AgentWork work = new AgentWork(plan, defaultAgent, dir, byTask, prompts, profiles.warnings());
    // Every broken template at once; tasks sharing the plan's template report it once.
    Set<Diagnostic> problems = new LinkedHashSet<>();
    for (String id : byTask.keySet()) {
      try {
        work.prompt(plan.task(id).orElseThrow());
      } catch (ManifestException e) {
        problems.addAll(e.diagnostics());
      }
    }
    if (!problems.isEmpty()) {
      problems.addAll(profiles.warnings());
      throw new ManifestException(List.copyOf(problems));
    }
    return work;
  }

  /** The agent of tasks with neither command nor agent ({@code --agent}), or null. */
  public String defaultAgent() {
    return defaultAgent;
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

  /** What {@link #requireInstalled} would refuse: one line per agent not installed. */
  public List<String> notInstalled(Map<String, String> environment) {
    return Doctor.missing(byTask, environment, planDir);
  }

  /** The task's prompt, with what its finished dependencies changed. */
  public String prompt(Task task) throws ManifestException {
    return prompt(task, List.of());
  }

  private String prompt(Task task, List<Path> workDirs) throws ManifestException {
    List<DependencyChange> known = new ArrayList<>();
    for (String dep : task.dependsOn()) {
      changes.apply(dep).ifPresent(known::add);
    }
    return prompts.render(task, known, workDirs);
  }

  /**
   * Writes the task's prompt to {@code promptFile} and returns how to start its agent. Called as
   * each attempt starts; the template was checked by {@link #of}.
   */
  public Command command(Task task, Path promptFile) {
    promptFiles.put(task.id(), promptFile);
    return command(task, promptFile, List.of());
  }

  private Command command(Task task, Path promptFile, List<Path> workDirs) {
    AgentProfile profile = byTask.get(task.id());
    if (profile == null) {
      throw new IllegalArgumentException(task.id() + " is not an agent task");
    }
    try {
      AgentLaunch launch = profile.launch(prompt(task, workDirs), promptFile);
      return new Command.Exec(launch.argv(), launch.env(), launch.stdin());
    } catch (ManifestException e) {
      throw new IllegalStateException("the prompt template changed during the run", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the prompt of " + task.id(), e);
    }
  }

  /**
   * Wraps the executor that starts processes (inside any worktree executor, so a job's directory is
   * where its agent works). An agent task's prompt is written again there, its {@code
   * related_specs} read from that directory first (a worktree holds what the dependencies merged).
   * Its output goes through an {@link AgentMonitor}, whose activity replaces the raw lines for the
   * job's line consumer (the raw output stays in the log); when it ends, its {@link AgentReport}
   * joins the result's details under {@code "agent"}, so the engine records it with the task's end,
   * after {@code reported} saw it (on an executor thread, before the engine learns of the end).
   */
  public Executor executor(Executor inner, Consumer<AgentReport> reported) {
    return new Wrapped(inner) {
      @Override
      public Execution start(Job job) {
        AgentProfile profile = byTask.get(job.taskId());
        if (profile == null) {
          return inner.start(job);
        }
        Command command = job.command();
        Path promptFile = promptFiles.get(job.taskId());
        Optional<Task> task = plan.task(job.taskId());
        if (promptFile != null && task.isPresent()) {
          command = command(task.get(), promptFile, List.of(job.workDir()));
        }
        AgentMonitor monitor = new AgentMonitor(profile, job.workDir(), job.lines());
        Execution x =
            inner.start(
                new Job(
                    job.taskId(),
                    job.attempt(),
                    job.slot(),
                    command,
                    job.workDir(),
                    job.env(),
                    job.logFile(),
                    job.timeout(),
                    job.idleTimeout(),
                    monitor::onLine));
        return then(
            x,
            r -> {
              AgentReport report = monitor.report();
              reported.accept(report);
              return r.with(r.outcome(), Map.of("agent", report));
            });
      }
    };
  }

  /**
   * Wraps the run's outermost executor: remembers what each task's worktree commit changed (the
   * {@code "git"} details), for the prompts of the tasks that depend on it, before the engine
   * learns of the end.
   */
  public Executor recordingCommits(Executor outer) {
    return new Wrapped(outer) {
      @Override
      public Execution start(Job job) {
        return then(
            outer.start(job),
            r -> {
              commitOf(job.taskId(), r).ifPresent(c -> committed.put(job.taskId(), c));
              return r;
            });
      }
    };
  }

  /** An executor passing everything to another, whose jobs' ends it may add to. */
  private abstract static class Wrapped implements Executor {
    private final Executor inner;

    Wrapped(Executor inner) {
      this.inner = inner;
    }

    @Override
    public void close() {
      inner.close();
    }

    static Execution then(Execution x, Function<JobResult, JobResult> after) {
      CompletableFuture<JobResult> ended = x.onExit().thenApply(after);
      return new Execution() {
        @Override
        public CompletableFuture<JobResult> onExit() {
          return ended;
        }

        @Override
        public void terminate(String reason) {
          x.terminate(reason);
        }

        @Override
        public void kill(String reason) {
          x.kill(reason);
        }
      };
    }
  }

  /**
   * A listener that also tells {@code delegate} each agent's report ({@link
   * RunListener#taskAgentReport}) right after the task's end.
   */
  public static RunListener reporting(RunListener delegate) {
    return new ForwardingRunListener(delegate) {
      @Override
      public void taskEnded(String taskId, TaskState state, JobResult result, String reason) {
        inner.taskEnded(taskId, state, result, reason);
        report(taskId, result);
      }

      @Override
      public void taskStopped(String taskId, JobResult result, String reason) {
        inner.taskStopped(taskId, result, reason);
        report(taskId, result);
      }

      private void report(String taskId, JobResult result) {
        if (result != null && result.details().get("agent") instanceof AgentReport r) {
          inner.taskAgentReport(taskId, r);
        }
      }
    };
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

  /**
   * What the agents of a recorded run reported, each task's attempts added up, by task id in the
   * order they first ended: from the {@code "agent"} detail of each task's end event.
   */
  public static Map<String, AgentReport> reports(Store store, String runId) {
    Map<String, AgentReport> out = new LinkedHashMap<>();
    long after = 0;
    while (true) {
      List<EventRecord> page = store.events(runId, after, 1000);
      for (EventRecord e : page) {
        after = e.seq();
        if (e.taskId() != null && END_EVENTS.contains(e.type())) {
          report(e.dataJson()).ifPresent(r -> out.merge(e.taskId(), r, AgentReport::plus));
        }
      }
      if (page.size() < 1000) {
        return out;
      }
    }
  }

  private static final Set<String> END_EVENTS =
      Set.of(Engine.TASK_SUCCEEDED, Engine.TASK_FAILED, Engine.TASK_RETRY, Engine.TASK_STOPPED);

  /**
   * The agent report in a task event's data (the {@code "agent"} detail of a task's end), if it
   * holds one.
   */
  public static Optional<AgentReport> report(String dataJson) {
    if (dataJson == null) {
      return Optional.empty();
    }
    try {
      JsonNode agent = Json.MAPPER.readTree(dataJson).get("agent");
      if (agent == null || !agent.isObject()) {
        return Optional.empty();
      }
      return Optional.of(Json.MAPPER.treeToValue(agent, AgentReport.class));
    } catch (JsonProcessingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Created on first use: most runs never read an agent report back. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

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
