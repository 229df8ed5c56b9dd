package dev.braid.manifest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plan: its tasks in file order and the plan-wide settings. {@code sources} locates every value
 * in the file it was read from.
 *
 * @param promptTemplate the plan's agent prompt template, or null for Braid's default
 * @param done the tasks a plan in another notation marks done, left out of {@code tasks}
 */
public record Manifest(
    Path source,
    int version,
    Defaults defaults,
    List<Task> tasks,
    Checkpoint checkpoint,
    Map<String, AgentSpec> agents,
    Map<String, Integer> resources,
    List<String> sharedFiles,
    List<String> frozenFiles,
    PromptTemplate promptTemplate,
    SourceMap sources,
    DoneTasks done) {

  public static final int CURRENT_VERSION = 1;

  public Manifest {
    done = done == null ? DoneTasks.NONE : done;
    defaults = defaults == null ? Defaults.NONE : defaults;
    tasks = List.copyOf(tasks);
    agents = Map.copyOf(agents);
    resources = Map.copyOf(resources);
    sharedFiles = List.copyOf(sharedFiles);
    frozenFiles = List.copyOf(frozenFiles);
    sources = Objects.requireNonNullElseGet(sources, () -> SourceMap.empty(source));
  }

  /** A plan with no tasks marked done outside it (Braid's own notation has no done marks). */
  public Manifest(
      Path source,
      int version,
      Defaults defaults,
      List<Task> tasks,
      Checkpoint checkpoint,
      Map<String, AgentSpec> agents,
      Map<String, Integer> resources,
      List<String> sharedFiles,
      List<String> frozenFiles,
      PromptTemplate promptTemplate,
      SourceMap sources) {
    this(
        source,
        version,
        defaults,
        tasks,
        checkpoint,
        agents,
        resources,
        sharedFiles,
        frozenFiles,
        promptTemplate,
        sources,
        DoneTasks.NONE);
  }

  /** A plan of just these tasks, with no settings; handy for tests and generators. */
  public static Manifest of(List<Task> tasks) {
    return new Manifest(
        null,
        CURRENT_VERSION,
        Defaults.NONE,
        tasks,
        null,
        Map.of(),
        Map.of(),
        List.of(),
        List.of(),
        null,
        null);
  }

  public Optional<Task> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  /** Task index by id; the first one wins when ids repeat (validation reports that). */
  public Map<String, Integer> indexById() {
    Map<String, Integer> index = new HashMap<>(tasks.size() * 2);
    for (int i = 0; i < tasks.size(); i++) {
      index.putIfAbsent(tasks.get(i).id(), i);
    }
    return index;
  }

  public Manifest withTasks(List<Task> newTasks) {
    return new Manifest(
        source,
        version,
        defaults,
        newTasks,
        checkpoint,
        agents,
        resources,
        sharedFiles,
        frozenFiles,
        promptTemplate,
        sources,
        done);
  }

  /**
   * This plan with {@code command} for every task that has neither a command nor an agent, as plans
   * read from notations without commands (tasks.md, tasks.json, checklists) need. The command
   * learns which task it runs from {@code BRAID_TASK_ID}.
   */
  public Manifest withDefaultCommand(String command) {
    java.util.Objects.requireNonNull(command, "command");
    List<Task> out = new java.util.ArrayList<>(tasks.size());
    for (Task t : tasks) {
      out.add(t.command() == null && t.agent() == null ? t.withCommand(command) : t);
    }
    return withTasks(out);
  }

  public Manifest withCheckpoint(Checkpoint c) {
    return new Manifest(
        source,
        version,
        defaults,
        tasks,
        c,
        agents,
        resources,
        sharedFiles,
        frozenFiles,
        promptTemplate,
        sources,
        done);
  }
}
