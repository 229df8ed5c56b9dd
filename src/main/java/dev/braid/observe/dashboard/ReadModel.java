package dev.braid.observe.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.braid.manifest.Task;
import dev.braid.observe.Json;
import dev.braid.observe.RunReport;
import dev.braid.run.RunService;
import dev.braid.store.AttemptRecord;
import dev.braid.store.EventRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.RunStatus;
import dev.braid.store.Store;
import dev.braid.store.TaskRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Turns the store's records into the page's views. Safe for concurrent use (one store each). */
final class ReadModel {

  private static final int MAX_PROMPT_BYTES = 64 * 1024;

  private final PlanCache plans = new PlanCache();

  /**
   * Reports of finished runs, computed once per ending (a failed run that is resumed ends again,
   * later): keyed by {@link #ending}.
   */
  private final Map<String, JsonNode> finishedSummaries = new ConcurrentHashMap<>();

  /** Their views, likewise (but for the store's last event, read every time). */
  private final Map<String, Views.RunDetail> finishedRuns = new ConcurrentHashMap<>();

  /** The key of a finished run's cached views; null while it runs. */
  private static String ending(RunRecord run) {
    return run.status() == RunStatus.RUNNING || run.endedAt() == null
        ? null
        : run.runId() + "@" + run.endedAt().toEpochMilli();
  }

  /** Every run, newest first, each with its report's figures (no task list). */
  List<JsonNode> history(Store store) {
    List<JsonNode> list = new ArrayList<>();
    for (RunRecord run : store.runs()) {
      list.add(summaryOf(store, run));
    }
    return list;
  }

  private JsonNode summaryOf(Store store, RunRecord run) {
    String key = ending(run);
    JsonNode cached = key == null ? null : finishedSummaries.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode summary = summary(report(store, run));
    if (key != null) {
      finishedSummaries.put(key, summary);
    }
    return summary;
  }

  /** Reads what the first page view needs, so that it finds the plan and reports cached. */
  void warmUp(Store store) {
    List<RunRecord> runs = store.runs();
    history(store);
    if (!runs.isEmpty()) {
      run(store, runs.get(0).runId());
    }
  }

  Optional<Views.RunDetail> run(Store store, String runId) {
    long lastSeq = store.lastEventSeq();
    Optional<RunRecord> found = store.run(runId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    RunRecord run = found.get();
    String key = ending(run);
    Views.RunDetail cached = key == null ? null : finishedRuns.get(key);
    if (cached != null) {
      return Optional.of(cached.at(lastSeq, Instant.now().toEpochMilli()));
    }
    PlanCache.Found plan = plans.get(run.manifestPath());
    RunReport report =
        RunReport.from(store, run, plan.plan() == null ? null : plan.plan().checked());
    List<Views.TaskRow> tasks = new ArrayList<>(report.tasks().size());
    Map<String, Integer> position = new HashMap<>();
    for (TaskRecord t : report.tasks()) {
      position.put(t.taskId(), tasks.size());
      tasks.add(row(t, plan.plan()));
    }
    List<Views.AttemptRow> attempts = report.attempts().stream().map(ReadModel::row).toList();
    Views.Graph graph = plan.plan() == null ? null : graph(plan.plan(), report.tasks(), position);
    Views.RunDetail detail =
        new Views.RunDetail(
            lastSeq,
            Instant.now().toEpochMilli(),
            row(run),
            tasks,
            attempts,
            graph,
            plan.problem(),
            summary(report));
    if (key != null) {
      finishedRuns.put(key, detail);
    }
    return Optional.of(detail);
  }

  Optional<Views.TaskDetail> task(Store store, String runId, String taskId) {
    Optional<RunRecord> run = store.run(runId);
    if (run.isEmpty()) {
      return Optional.empty();
    }
    Optional<TaskRecord> task = store.task(runId, taskId);
    if (task.isEmpty()) {
      return Optional.empty();
    }
    PlanCache.Found plan = plans.get(run.get().manifestPath());
    Views.PlanTask planTask = plan.plan() == null ? null : planTask(plan.plan(), taskId);
    List<Views.EventView> events =
        store.taskEvents(runId, taskId).stream().map(ReadModel::event).toList();
    return Optional.of(
        new Views.TaskDetail(
            row(run.get()),
            row(task.get(), plan.plan()),
            planTask,
            planTask == null
                ? (plan.problem() != null ? plan.problem() : "the plan no longer has this task")
                : null,
            prompt(RunService.promptFile(store.stateDir(), runId, taskId)),
            attempts(store, runId, taskId),
            events));
  }

  /** The live update for an event: the task as it stands now, or the run for run events. */
  Views.Update update(Store store, EventRecord e, Map<String, PlanCache.Found> planOfRun) {
    Optional<RunRecord> run = store.run(e.runId());
    if (e.taskId() == null || run.isEmpty()) {
      JsonNode report =
          run.isPresent() && run.get().status() != RunStatus.RUNNING
              ? summaryOf(store, run.get())
              : null;
      return new Views.Update(event(e), null, null, run.map(ReadModel::row).orElse(null), report);
    }
    PlanCache.Found plan =
        planOfRun.computeIfAbsent(e.runId(), id -> plans.get(run.get().manifestPath()));
    Views.TaskRow task =
        store.task(e.runId(), e.taskId()).map(t -> row(t, plan.plan())).orElse(null);
    return new Views.Update(event(e), task, attempts(store, e.runId(), e.taskId()), null, null);
  }

  private static String prompt(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAX_PROMPT_BYTES + 1);
      int n = Math.min(head.length, MAX_PROMPT_BYTES);
      String text = new String(head, 0, n, StandardCharsets.UTF_8);
      return head.length > MAX_PROMPT_BYTES ? text + "\n[... see " + file + "]" : text;
    } catch (IOException e) {
      return null;
    }
  }

  static List<Views.AttemptRow> attempts(Store store, String runId, String taskId) {
    return store.attempts(runId, taskId).stream().map(ReadModel::row).toList();
  }

  private RunReport report(Store store, RunRecord run) {
    PlanCache.Found plan = plans.get(run.manifestPath());
    return RunReport.from(store, run, plan.plan() == null ? null : plan.plan().checked());
  }

  private static ObjectNode summary(RunReport report) {
    ObjectNode json = report.json();
    json.remove("tasks");
    return json;
  }

  private static Views.Graph graph(
      PlanCache.Plan plan, List<TaskRecord> tasks, Map<String, Integer> position) {
    List<int[]> deps = new ArrayList<>();
    List<int[]> conflicts = new ArrayList<>();
    for (TaskRecord r : tasks) {
      Integer t = plan.indexOf(r.taskId());
      if (t == null) {
        continue;
      }
      int to = position.get(r.taskId());
      for (int d : plan.graph().deps(t)) {
        Integer from = position.get(plan.graph().id(d));
        if (from != null) {
          deps.add(new int[] {from, to});
        }
      }
      for (int c : plan.graph().conflicts(t)) {
        Integer other = position.get(plan.graph().id(c));
        if (other != null && other > to) {
          conflicts.add(new int[] {to, other});
        }
      }
    }
    return new Views.Graph(deps, conflicts);
  }

  private static Views.PlanTask planTask(PlanCache.Plan plan, String taskId) {
    Integer t = plan.indexOf(taskId);
    if (t == null) {
      return null;
    }
    Task task = plan.graph().task(t);
    List<Views.ConflictView> conflicts = new ArrayList<>();
    for (int c : plan.graph().conflicts(t)) {
      conflicts.add(new Views.ConflictView(plan.graph().id(c), plan.conflictReasons(t, c)));
    }
    return new Views.PlanTask(
        task.title(),
        task.description(),
        task.command(),
        task.agent(),
        task.dependsOn(),
        conflicts,
        task.fileScope(),
        plan.graph().minutes(t),
        task.risk() == null ? null : task.risk().name(),
        task.priority(),
        task.retries(),
        task.timeout() == null ? null : human(task.timeout()));
  }

  private static String human(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  static Views.RunRow row(RunRecord r) {
    return new Views.RunRow(
        r.runId(),
        r.status().label(),
        r.manifestPath(),
        r.agents(),
        r.startedAt().toEpochMilli(),
        millis(r.endedAt()));
  }

  private static Views.TaskRow row(TaskRecord t, PlanCache.Plan plan) {
    Integer index = plan == null ? null : plan.indexOf(t.taskId());
    return new Views.TaskRow(
        t.taskId(),
        index == null ? null : plan.graph().task(index).title(),
        t.state().label(),
        t.attempts(),
        t.slot(),
        millis(t.startedAt()),
        millis(t.endedAt()),
        t.exitCode(),
        t.reason(),
        index == null ? null : plan.graph().minutes(index),
        index == null ? 0 : plan.level()[index]);
  }

  private static Views.AttemptRow row(AttemptRecord a) {
    return new Views.AttemptRow(
        a.taskId(),
        a.attempt(),
        a.slot(),
        a.startedAt().toEpochMilli(),
        millis(a.endedAt()),
        a.exitCode(),
        a.state().label(),
        a.reason());
  }

  static Views.EventView event(EventRecord e) {
    JsonNode data = null;
    if (e.dataJson() != null) {
      try {
        data = Json.mapper().readTree(e.dataJson());
      } catch (JsonProcessingException bad) {
        data = TextNode.valueOf(e.dataJson());
      }
    }
    return new Views.EventView(
        e.seq(), e.runId(), e.at().toEpochMilli(), e.type(), e.taskId(), data);
  }

  private static Long millis(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }
}
