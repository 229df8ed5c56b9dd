package dev.braid.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.agent.AgentReport;
import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.ConflictMetrics;
import dev.braid.manifest.Durations;
import dev.braid.manifest.ManifestException;
import dev.braid.plan.Forecast;
import dev.braid.plan.TaskGraph;
import dev.braid.plan.TaskState;
import dev.braid.run.AgentWork;
import dev.braid.store.AttemptRecord;
import dev.braid.store.Prediction;
import dev.braid.store.RunRecord;
import dev.braid.store.RunStatus;
import dev.braid.store.Store;
import dev.braid.store.TaskRecord;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What a run did, from its records: per task the estimate against the actual time and the outcome;
 * for the run the makespan, the serial sum of actual durations, savings, speedup, parallel
 * efficiency, blocker rate, retries, and how far the plan's prediction was off.
 *
 * @param estimates estimated minutes per task id, as recorded when the run started (for a run
 *     recorded before Braid kept them: from the plan as it is now, empty when it is gone)
 * @param predictedMinutes the plan's predicted makespan at the run's agents, or null
 * @param predictedSavingsPercent the plan's predicted savings at the run's agents, or null: unlike
 *     the makespan it compares across time scales (a demo whose tasks take seconds, not minutes)
 * @param history the run's sessions, scheduled retries and attempts' own run times; null for a run
 *     known by its row only
 * @param integration the git side of a run with worktree isolation, or null
 * @param conflictMetrics the plan's conflict prediction against the changes, or null
 * @param agents what each agent task's agent reported, its attempts added up, by task id
 * @param checkpoints the run's integration checkpoints
 * @param removed the tasks that left the plan when the run was resumed: shown apart, in no count
 *     (their attempts still count in the run's times, which they took)
 */
public record RunReport(
    RunRecord run,
    List<TaskRecord> tasks,
    List<AttemptRecord> attempts,
    Map<String, Double> estimates,
    Double predictedMinutes,
    Double predictedSavingsPercent,
    RunHistory history,
    IntegrationReport integration,
    ConflictMetrics conflictMetrics,
    Map<String, AgentReport> agents,
    CheckpointReport checkpoints,
    List<TaskRecord> removed) {

  public RunReport {
    checkpoints = checkpoints == null ? CheckpointReport.NONE : checkpoints;
    tasks = List.copyOf(tasks);
    removed = removed == null ? List.of() : List.copyOf(removed);
    attempts = List.copyOf(attempts);
    estimates = Map.copyOf(estimates);
    agents = Map.copyOf(agents);
    history = history == null ? RunHistory.single(run) : history;
  }

  public RunReport(
      RunRecord run,
      List<TaskRecord> tasks,
      List<AttemptRecord> attempts,
      Map<String, Double> estimates,
      Double predictedMinutes,
      Double predictedSavingsPercent) {
    this(
        run,
        tasks,
        attempts,
        estimates,
        predictedMinutes,
        predictedSavingsPercent,
        null,
        null,
        null,
        Map.of(),
        CheckpointReport.NONE,
        List.of());
  }

  /**
   * A run's summary from the store alone, for lists of runs: its times, counts and recorded
   * prediction, without the plan, integration, agents or checkpoints.
   */
  public static RunReport summary(Store store, RunRecord run) {
    Prediction recorded = store.prediction(run.runId()).orElse(null);
    return new RunReport(
        run,
        store.tasks(run.runId()),
        store.attempts(run.runId()),
        recorded == null ? Map.of() : recorded.estimates(),
        recorded == null ? null : recorded.makespanMinutes(),
        recorded == null ? null : recorded.savingsPercent(),
        RunHistory.read(store, run),
        null,
        null,
        Map.of(),
        CheckpointReport.NONE,
        List.of());
  }

  /**
   * The report of a recorded run. Estimates and the prediction are those recorded when it started;
   * for a run recorded before Braid kept them, they come from the run's plan file when it can still
   * be read, and without it the report has actual times only.
   */
  public static RunReport from(Store store, RunRecord run) {
    CheckedPlan plan;
    try {
      plan = CheckedPlan.load(Path.of(run.manifestPath()), false);
    } catch (ManifestException | RuntimeException e) {
      plan = null; // the plan changed or is gone: a report of actual times only
    }
    return from(store, run, plan);
  }

  /** Like {@link #from(Store, RunRecord)}, with the run's plan already read (null when gone). */
  public static RunReport from(Store store, RunRecord run, CheckedPlan plan) {
    Map<String, Double> estimates = new HashMap<>();
    Double predicted = null;
    Double predictedSavings = null;
    IntegrationReport integration = IntegrationReport.from(store, run.runId()).orElse(null);
    ConflictMetrics metrics = null;
    Prediction recorded = store.prediction(run.runId()).orElse(null);
    if (recorded != null) {
      estimates.putAll(recorded.estimates());
      predicted = recorded.makespanMinutes();
      predictedSavings = recorded.savingsPercent();
    }
    if (plan != null && integration != null) {
      try {
        metrics =
            ConflictMetrics.measure(
                plan.manifest(), plan.graph(), plan.conflicts(), integration.changedByTask());
      } catch (RuntimeException e) {
        metrics = null; // the plan no longer fits the run
      }
    }
    if (plan != null && recorded == null) {
      try {
        TaskGraph graph = TaskGraph.of(plan.manifest(), plan.conflicts());
        for (int t = 0; t < graph.size(); t++) {
          estimates.put(graph.id(t), graph.minutes(t));
        }
        Forecast forecast = Forecast.of(graph, run.agents());
        predicted = forecast.makespanMinutes();
        predictedSavings = forecast.savingsPercent();
      } catch (RuntimeException e) {
        // the plan no longer fits the run: a report of actual times only
        estimates.clear();
        predicted = null;
        predictedSavings = null;
      }
    }
    return new RunReport(
        run,
        store.tasks(run.runId()),
        store.attempts(run.runId()),
        estimates,
        predicted,
        predictedSavings,
        RunHistory.read(store, run),
        integration,
        metrics,
        AgentWork.reports(store, run.runId()),
        CheckpointReport.from(store, run.runId()),
        store.removedTasks(run.runId()));
  }

  /** The agents' reports of the whole run added up, or null when no task ran an agent. */
  public AgentReport agentTotals() {
    AgentReport total = null;
    for (AgentReport r : agents.values()) {
      total = total == null ? r : total.plus(r);
    }
    return total;
  }

  /** One task's line of the report. */
  public record Line(
      String taskId,
      TaskState state,
      int attempts,
      Instant startedAt,
      Instant endedAt,
      Integer exitCode,
      Integer slot,
      Double estMinutes,
      Duration actual,
      String reason) {}

  /**
   * Per task, in plan order. The actual time is the sum of every attempt's own run time, as the
   * console showed it (without a worktree's set-up and merge); for attempts recorded before Braid
   * kept that, the attempt's recorded span.
   */
  public List<Line> lines() {
    Map<String, Duration> spent = new HashMap<>();
    Map<String, Instant> firstStart = new HashMap<>();
    for (AttemptRecord a : attempts) {
      Duration own = ownTime(a);
      if (own != null) {
        spent.merge(a.taskId(), own, Duration::plus);
      }
      firstStart.merge(a.taskId(), a.startedAt(), (x, y) -> x.isBefore(y) ? x : y);
    }
    List<Line> lines = new ArrayList<>();
    for (TaskRecord t : tasks) {
      lines.add(
          new Line(
              t.taskId(),
              t.state(),
              t.attempts(),
              firstStart.get(t.taskId()),
              t.endedAt(),
              t.exitCode(),
              t.slot(),
              estimates.get(t.taskId()),
              spent.get(t.taskId()),
              t.reason()));
    }
    return lines;
  }

  /**
   * Per session (the first runner and each resumption), the time from its first task's start to its
   * last task's end. Time between sessions (a run stopped or crashed, then resumed) is not the
   * run's; time inside one (a retry's backoff, waiting for a merge) is. A task starts when its own
   * run time does (its end less that time), as serial time counts it: a worktree's set-up or the
   * launch before it would otherwise make a one-task run slower than serial.
   */
  private Duration[] sessionSpans() {
    int n = history.sessions().size();
    Instant[] from = new Instant[n];
    Instant[] to = new Instant[n];
    for (AttemptRecord a : attempts) {
      int s = history.sessionAt(a.startedAt());
      Instant end = a.endedAt() != null ? a.endedAt() : a.startedAt();
      Duration own = ownTime(a);
      Instant start = a.endedAt() != null && own != null ? end.minus(own) : a.startedAt();
      if (from[s] == null || start.isBefore(from[s])) {
        from[s] = start;
      }
      if (to[s] == null || end.isAfter(to[s])) {
        to[s] = end;
      }
    }
    Duration[] spans = new Duration[n];
    for (int s = 0; s < n; s++) {
      spans[s] = from[s] == null ? Duration.ZERO : Duration.between(from[s], to[s]);
    }
    return spans;
  }

  /** The run's time: each session's, from its first task's start to its last task's end. */
  public Duration makespan() {
    Duration total = Duration.ZERO;
    for (Duration d : sessionSpans()) {
      total = total.plus(d);
    }
    return total;
  }

  /** The agent time the run had: each session's time on that session's agents. */
  public Duration agentTime() {
    Duration[] spans = sessionSpans();
    Duration total = Duration.ZERO;
    for (int s = 0; s < spans.length; s++) {
      total = total.plus(spans[s].multipliedBy(history.sessions().get(s).agents()));
    }
    return total;
  }

  /**
   * An attempt's own run time, as the console showed it (without a worktree's set-up and merge);
   * for attempts recorded before Braid kept that, its recorded span; null while it runs.
   */
  private Duration ownTime(AttemptRecord a) {
    Duration own = history.runTimes().get(new RunHistory.Attempt(a.taskId(), a.attempt()));
    if (own == null && a.endedAt() != null) {
      own = Duration.between(a.startedAt(), a.endedAt());
    }
    return own;
  }

  /**
   * The time one agent alone would have needed: every attempt's own run time, as in the tasks'
   * actual times (a worktree's set-up and merge apart: the summary says when those weigh).
   */
  public Duration serial() {
    Duration sum = Duration.ZERO;
    for (AttemptRecord a : attempts) {
      Duration own = ownTime(a);
      if (own != null) {
        sum = sum.plus(own);
      }
    }
    return sum;
  }

  public double speedup() {
    long m = makespan().toMillis();
    return m == 0 ? 1 : (double) serial().toMillis() / m;
  }

  public double savingsPercent() {
    long s = serial().toMillis();
    return s == 0 ? 0 : 100.0 * (s - makespan().toMillis()) / s;
  }

  /**
   * The share of the agent time the run had that tasks used: 1.0 means every agent was busy all the
   * time. A run resumed with other agents counts each session with its own.
   */
  public double efficiency() {
    long available = agentTime().toMillis();
    return available == 0 ? 1.0 / run.agents() : (double) serial().toMillis() / available;
  }

  /** "2 agents", or "2 agents, then 1" for a run resumed with other agents. */
  public String agentsLabel() {
    Set<Integer> ran = new HashSet<>();
    for (AttemptRecord a : attempts) {
      ran.add(history.sessionAt(a.startedAt()));
    }
    return history.agentsLabel(ran::contains);
  }

  public Map<TaskState, Integer> counts() {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      counts.put(s, 0);
    }
    tasks.forEach(t -> counts.merge(t.state(), 1, Integer::sum));
    return counts;
  }

  /** The attempts the engine started again under a task's {@code retries}. */
  public int retries() {
    return history.scheduledRetries();
  }

  /**
   * The attempts beyond each task's first that were no retry: tasks run again on resumption after
   * they failed or were stopped or interrupted in an earlier session.
   */
  public int resumeReruns() {
    int r = 0;
    for (TaskRecord t : tasks) {
      r += Math.max(0, t.attempts() - 1);
    }
    return Math.max(0, r - retries());
  }

  public double blockerRatePercent() {
    return tasks.isEmpty() ? 0 : 100.0 * counts().get(TaskState.BLOCKED) / tasks.size();
  }

  /** Actual makespan against the prediction, in percent (positive: slower than predicted). */
  public Double predictionErrorPercent() {
    if (predictedMinutes == null || predictedMinutes <= 0) {
      return null;
    }
    double actualMinutes = makespan().toMillis() / 60_000.0;
    return 100.0 * (actualMinutes - predictedMinutes) / predictedMinutes;
  }

  // ------------------------------------------------------------------ renderings

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("run ")
        .append(run.runId())
        .append(": ")
        .append(run.status().label())
        .append(", ")
        .append(agentsLabel())
        .append('\n');
    int width = 4;
    for (TaskRecord t : tasks) {
      width = Math.max(width, t.taskId().length());
    }
    String format = "%-" + width + "s  %-9s  %8s  %8s  %4s  %s%n";
    b.append(String.format(Locale.ROOT, format, "task", "status", "est", "actual", "try", "note"));
    for (Line l : lines()) {
      b.append(
          String.format(
              Locale.ROOT,
              format,
              l.taskId(),
              l.state().label(),
              l.estMinutes() == null ? "-" : Numbers.duration(l.estMinutes()),
              l.actual() == null ? "-" : Durations.human(l.actual()),
              l.attempts(),
              l.reason() == null ? "" : l.reason()));
    }
    removedLines(b, "");
    b.append('\n');
    agentLines(b);
    summary(b, "");
    return b.toString();
  }

  private void agentLines(StringBuilder b) {
    if (agents.isEmpty()) {
      return;
    }
    int width = 4;
    for (String id : agents.keySet()) {
      width = Math.max(width, id.length());
    }
    for (TaskRecord t : tasks) {
      AgentReport r = agents.get(t.taskId());
      if (r != null) {
        b.append(
            String.format(Locale.ROOT, "%-" + width + "s  %s%n", t.taskId(), AgentsView.report(r)));
      }
    }
    AgentReport total = agentTotals();
    b.append(
        String.format(
            Locale.ROOT,
            "agents: %s%s%s%n%n",
            Numbers.count(agents.size(), "task"),
            total.turns() == null ? "" : ", " + Numbers.count(total.turns(), "turn"),
            (total.tokens() == null
                    ? ""
                    : String.format(Locale.ROOT, ", %,d tokens", total.tokens().total()))
                + (total.costUsd() == null ? "" : ", " + AgentWork.dollars(total.costUsd()))));
  }

  /** One line for a list of runs: id, status, start, makespan, counts, plan. */
  public String runLine() {
    Map<TaskState, Integer> c = counts();
    return String.format(
        Locale.ROOT,
        "%s  %-11s  %s  %8s  %d/%d succeeded  %-9s  %s",
        run.runId(),
        run.status().label(),
        run.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        Durations.human(makespan()),
        c.get(TaskState.SUCCEEDED),
        tasks.size(),
        agentsLabel(),
        run.manifestPath());
  }

  /** Where the run stands now: its state and one line per task, running tasks with their time. */
  public String statusText(Instant now) {
    StringBuilder b = new StringBuilder();
    Map<TaskState, Integer> c = counts();
    // a run whose runner is gone (crashed, or stopped before it recorded its tasks' ends): what is
    // recorded as running stopped with it, so it shows as left, without a duration that grows
    boolean gone = run.status() != RunStatus.RUNNING;
    b.append(
        String.format(
            Locale.ROOT,
            "run %s: %s (%d/%d done, %d "
                + (gone && c.get(TaskState.RUNNING) > 0 ? "cut short" : "running")
                + ", %d failed, %d blocked)%n",
            run.runId(),
            run.status().label(),
            c.get(TaskState.SUCCEEDED) + c.get(TaskState.SKIPPED),
            tasks.size(),
            c.get(TaskState.RUNNING),
            c.get(TaskState.FAILED),
            c.get(TaskState.BLOCKED)));
    checkpoints.statusLines(b);
    int width = 4;
    for (TaskRecord t : tasks) {
      width = Math.max(width, t.taskId().length());
    }
    String format = "  %-" + width + "s  %-9s  %s%n";
    for (Line l : lines()) {
      String detail;
      String state = l.state().label();
      if (l.state() == TaskState.RUNNING && gone) {
        state = "cut short";
        detail =
            (l.slot() == null ? "" : "[" + l.slot() + "] ") + "was running when the runner stopped";
      } else if (l.state() == TaskState.RUNNING && l.startedAt() != null) {
        TaskRecord t = tasks.stream().filter(r -> r.taskId().equals(l.taskId())).findFirst().get();
        detail = "[" + l.slot() + "] for " + Durations.human(Duration.between(t.startedAt(), now));
      } else if (l.reason() != null) {
        detail = l.reason();
      } else if (l.actual() != null) {
        detail =
            Durations.human(l.actual())
                + (l.attempts() > 1 ? ", " + l.attempts() + " attempts" : "");
      } else {
        detail = "";
      }
      b.append(String.format(Locale.ROOT, format, l.taskId(), state, detail));
    }
    removedLines(b, "");
    return b.toString();
  }

  /** The tasks that left the plan, apart from the run's and in none of its counts. */
  private void removedLines(StringBuilder b, String bullet) {
    if (removed.isEmpty()) {
      return;
    }
    b.append(bullet).append("removed from the plan (not counted): ");
    for (int i = 0; i < removed.size(); i++) {
      TaskRecord t = removed.get(i);
      b.append(i == 0 ? "" : ", ")
          .append(bullet.isEmpty() ? t.taskId() : Markdown.code(t.taskId()))
          .append(" (was ")
          .append(t.state().label())
          .append(')');
    }
    b.append('\n');
  }

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Run ").append(run.runId()).append(": ").append(run.status().label()).append("\n\n");
    b.append("| task | status | estimate | actual | attempts | note |\n");
    b.append("|---|---|---:|---:|---:|---|\n");
    for (Line l : lines()) {
      b.append("| ")
          .append(Markdown.code(l.taskId()))
          .append(" | ")
          .append(l.state().label())
          .append(" | ")
          .append(l.estMinutes() == null ? "-" : Numbers.duration(l.estMinutes()))
          .append(" | ")
          .append(l.actual() == null ? "-" : Durations.human(l.actual()))
          .append(" | ")
          .append(l.attempts())
          .append(" | ")
          .append(l.reason() == null ? "" : Markdown.cell(l.reason()))
          .append(" |\n");
    }
    b.append('\n');
    if (!agents.isEmpty()) {
      b.append(
          "| task | agent | turns | tokens | cost | summary |\n|---|---|---:|---:|---:|---|\n");
      for (TaskRecord t : tasks) {
        AgentReport r = agents.get(t.taskId());
        if (r != null) {
          String summary = r.summary().strip().lines().findFirst().orElse("");
          b.append("| ")
              .append(Markdown.code(t.taskId()))
              .append(" | ")
              .append(Markdown.cell(r.agent()))
              .append(" | ")
              .append(r.turns() == null ? "-" : r.turns())
              .append(" | ")
              .append(
                  r.tokens() == null ? "-" : String.format(Locale.ROOT, "%,d", r.tokens().total()))
              .append(" | ")
              .append(r.costUsd() == null ? "-" : AgentWork.dollars(r.costUsd()))
              .append(" | ")
              .append(Markdown.cell(summary))
              .append(" |\n");
        }
      }
      b.append('\n');
    }
    summary(b, "- ");
    removedLines(b, "- ");
    return b.toString();
  }

  private void summary(StringBuilder b, String bullet) {
    Map<TaskState, Integer> c = counts();
    b.append(bullet)
        .append(
            String.format(
                Locale.ROOT,
                "%d succeeded, %d failed, %d blocked, %d pending, %d skipped%n",
                c.get(TaskState.SUCCEEDED),
                c.get(TaskState.FAILED),
                c.get(TaskState.BLOCKED),
                c.get(TaskState.PENDING) + c.get(TaskState.RUNNING),
                c.get(TaskState.SKIPPED)));
    b.append(bullet)
        .append(
            String.format(
                Locale.ROOT,
                "makespan %s, serial %s: %s saved, speedup %s, efficiency %s on %s%n",
                Durations.human(makespan()),
                Durations.human(serial()),
                Numbers.percent(savingsPercent()),
                Numbers.ratio(speedup()),
                Numbers.percent(100 * efficiency()),
                agentsLabel()));
    Duration git = integration == null ? Duration.ZERO : integration.gitOverhead();
    Duration redone = integration == null ? Duration.ZERO : integration.redone();
    if (!redone.isZero() || (git.toMillis() * 20 >= serial().toMillis() && !git.isZero())) {
      // 5% or more, or any work thrown away: worth saying that serial time (and so savings,
      // speedup) leaves it out. A serial run would not have redone anything.
      b.append(bullet)
          .append("serial is the tasks' own run time: ")
          .append(
              git.isZero()
                  ? ""
                  : "git set-up, commits and merges took " + Durations.human(git) + " more")
          .append(git.isZero() || redone.isZero() ? "" : "; ")
          .append(
              redone.isZero()
                  ? ""
                  : "the first runs of tasks that then hit a merge conflict took "
                      + Durations.human(redone)
                      + ", thrown away")
          .append('\n');
    }
    int reruns = resumeReruns();
    b.append(bullet)
        .append(
            String.format(
                Locale.ROOT,
                "retries %d%s, blocker rate %s%n",
                retries(),
                reruns == 0 ? "" : ", re-runs on resumption " + reruns,
                Numbers.percent(blockerRatePercent())));
    if (integration != null) {
      integration.summary(b, bullet, saved(), conflictMetrics);
    }
    checkpoints.lines(b, bullet);
    Double error = predictionErrorPercent();
    if (error != null) {
      b.append(bullet)
          .append(
              String.format(
                  Locale.ROOT,
                  "predicted makespan %s, actual %s: %s%s than predicted%n",
                  Numbers.duration(predictedMinutes),
                  Durations.human(makespan()),
                  Numbers.percent(Math.abs(error)),
                  error >= 0 ? " slower" : " faster"));
    }
    if (predictedSavingsPercent != null) {
      b.append(bullet)
          .append(
              String.format(
                  Locale.ROOT,
                  "predicted savings %s, actual %s%n",
                  Numbers.percent(predictedSavingsPercent),
                  Numbers.percent(savingsPercent())));
    }
  }

  /** Serial time less makespan: what running in parallel saved. */
  public Duration saved() {
    return serial().minus(makespan());
  }

  public ObjectNode json() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("run_id", run.runId());
    o.put("status", run.status().label());
    o.put("manifest", run.manifestPath());
    o.put("agents", run.agents());
    if (history.sessions().size() > 1) {
      ArrayNode sessions = o.putArray("agents_per_session");
      history.sessions().forEach(x -> sessions.add(x.agents()));
    }
    o.put("started_at", run.startedAt().toString());
    o.put("ended_at", run.endedAt() == null ? null : run.endedAt().toString());
    o.put("makespan_seconds", secs(makespan()));
    o.put("serial_seconds", secs(serial()));
    o.put("savings_percent", Numbers.round2(savingsPercent()));
    o.put("speedup", Numbers.round2(speedup()));
    o.put("efficiency", Numbers.round2(efficiency()));
    o.put("retries", retries());
    o.put("resume_reruns", resumeReruns());
    o.put("blocker_rate_percent", Numbers.round2(blockerRatePercent()));
    if (predictedMinutes != null) {
      o.put("predicted_makespan_minutes", Numbers.jsonMinutes(predictedMinutes));
      Double error = predictionErrorPercent();
      o.put("prediction_error_percent", error == null ? null : Numbers.round2(error));
    }
    if (predictedSavingsPercent != null) {
      o.put("predicted_savings_percent", Numbers.round2(predictedSavingsPercent));
    }
    if (integration != null) {
      o.set("integration", integration.json(saved(), conflictMetrics));
    }
    if (!checkpoints.isEmpty()) {
      o.set("checkpoints", checkpoints.json());
      ObjectNode stopped = checkpoints.stoppedByJson();
      if (stopped != null) {
        o.set("stopped_by_checkpoint", stopped);
      }
    }
    ObjectNode counts = o.putObject("counts");
    counts().forEach((s, n) -> counts.put(s.label(), n));
    ArrayNode list = o.putArray("tasks");
    for (Line l : lines()) {
      ObjectNode t = list.addObject();
      t.put("task_id", l.taskId());
      t.put("status", l.state().label());
      t.put("attempts", l.attempts());
      t.put("started_at", l.startedAt() == null ? null : l.startedAt().toString());
      t.put("ended_at", l.endedAt() == null ? null : l.endedAt().toString());
      if (l.exitCode() == null) {
        t.putNull("exit_code");
      } else {
        t.put("exit_code", l.exitCode());
      }
      if (l.slot() == null) {
        t.putNull("slot");
      } else {
        t.put("slot", l.slot());
      }
      if (l.estMinutes() == null) {
        t.putNull("est_minutes");
      } else {
        t.put("est_minutes", l.estMinutes());
      }
      if (l.actual() == null) {
        t.putNull("actual_seconds");
      } else {
        t.put("actual_seconds", secs(l.actual()));
      }
      t.put("reason", l.reason());
      AgentReport r = agents.get(l.taskId());
      if (r != null) {
        t.set("agent", Json.mapper().valueToTree(r));
      }
    }
    if (!removed.isEmpty()) {
      ArrayNode gone = o.putArray("removed_tasks");
      for (TaskRecord r : removed) {
        gone.addObject()
            .put("task_id", r.taskId())
            .put("status", r.state().label())
            .put("attempts", r.attempts());
      }
    }
    AgentReport total = agentTotals();
    if (total != null) {
      ObjectNode a = o.putObject("agent_totals");
      a.put("tasks", agents.size());
      if (total.turns() == null) {
        a.putNull("turns");
      } else {
        a.put("turns", total.turns());
      }
      a.set("tokens", Json.mapper().valueToTree(total.tokens()));
      if (total.costUsd() == null) {
        a.putNull("cost_usd");
      } else {
        a.put("cost_usd", total.costUsd());
      }
    }
    return o;
  }

  /** JUnit XML: one test case per task, so CI systems show tasks as tests. */
  public String junit() {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      Map<TaskState, Integer> c = counts();
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", "braid run " + run.runId());
      x.writeAttribute("tests", Integer.toString(tasks.size()));
      x.writeAttribute("failures", Integer.toString(c.get(TaskState.FAILED)));
      x.writeAttribute("errors", "0");
      x.writeAttribute(
          "skipped",
          Integer.toString(
              c.get(TaskState.BLOCKED)
                  + c.get(TaskState.SKIPPED)
                  + c.get(TaskState.PENDING)
                  + c.get(TaskState.RUNNING)));
      x.writeAttribute("time", seconds(makespan()));
      x.writeAttribute("timestamp", run.startedAt().toString());
      x.writeCharacters("\n");
      for (Line l : lines()) {
        x.writeCharacters("  ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "braid");
        x.writeAttribute("name", l.taskId());
        x.writeAttribute("time", l.actual() == null ? "0" : seconds(l.actual()));
        switch (l.state()) {
          case SUCCEEDED -> {}
          case FAILED -> {
            x.writeStartElement("failure");
            x.writeAttribute("message", l.reason() == null ? "failed" : l.reason());
            x.writeCharacters(
                "attempts: "
                    + l.attempts()
                    + (l.exitCode() == null ? "" : ", exit " + l.exitCode()));
            x.writeEndElement();
          }
          case BLOCKED, SKIPPED, PENDING, RUNNING -> {
            x.writeStartElement("skipped");
            x.writeAttribute(
                "message", l.state().label() + (l.reason() == null ? "" : ": " + l.reason()));
            x.writeEndElement();
          }
        }
        x.writeEndElement();
        x.writeCharacters("\n");
      }
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }

  private static double secs(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
  }
}
