package dev.braid.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.analysis.ConflictMetrics;
import dev.braid.analysis.ScopeSuggestions;
import dev.braid.manifest.Durations;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import dev.braid.store.EventRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The git side of a run, from its audit trail: the integration branch, per task what it changed and
 * how its work was merged, conflicts and how they were resolved, out-of-scope and frozen files,
 * undeclared overlaps, the coordination overhead, and whether the branch landed.
 *
 * @param landed where the branch landed, or null
 * @param notLanded why landing was refused, or null
 * @param tasks per task, the last recorded attempt, in order of their ends
 * @param conflicts every merge conflict of the run, every session's, in order: a task's later
 *     attempt (a resumed run reruns the one a conflict stopped) replaces its entry in {@code
 *     tasks}, but not the conflict its earlier attempt met
 * @param overlaps every undeclared overlap of the run, every session's, each pair once
 */
public record IntegrationReport(
    String branch,
    String strategy,
    String onConflict,
    String landed,
    String notLanded,
    List<TaskGit> tasks,
    List<MergeConflict> conflicts,
    List<Overlap> overlaps) {

  public IntegrationReport {
    tasks = List.copyOf(tasks);
    conflicts = List.copyOf(conflicts);
    overlaps = List.copyOf(overlaps);
  }

  /**
   * Two tasks that ran together and changed the same files none of them declared.
   *
   * @param a the first of the two by id
   * @param files what both changed, as every attempt of theirs that met the other recorded it
   */
  public record Overlap(String a, String b, List<String> files) {
    public Overlap {
      files = List.copyOf(files);
    }
  }

  /**
   * One merge conflict a task's attempt met.
   *
   * @param with the tasks whose merges changed the conflicting files
   * @param resolution {@code retried alone}, {@code skipped} or {@code stopped}; null when not
   *     recorded
   */
  public record MergeConflict(
      String taskId, List<String> files, List<String> with, String resolution) {
    public MergeConflict {
      files = List.copyOf(files);
      with = List.copyOf(with);
    }
  }

  /**
   * One task's integration.
   *
   * @param merge {@code merged}, {@code nothing to merge}, {@code conflict} or {@code not merged}
   * @param conflictWith for a conflict, the tasks whose merges changed the conflicting files
   * @param resolution for a conflict: {@code retried alone}, {@code skipped} or {@code stopped}
   * @param overlaps tasks it ran beside that changed the same undeclared files, and which files
   */
  public record TaskGit(
      String taskId,
      String merge,
      String branch,
      String worktree,
      List<String> changed,
      List<String> outOfScope,
      List<String> frozen,
      List<String> conflictFiles,
      List<String> conflictWith,
      String resolution,
      Map<String, List<String>> overlaps,
      Map<String, Long> overheadMs,
      boolean keptWorktree) {

    public TaskGit {
      changed = List.copyOf(changed);
      outOfScope = List.copyOf(outOfScope);
      frozen = List.copyOf(frozen);
      conflictFiles = List.copyOf(conflictFiles);
      conflictWith = List.copyOf(conflictWith);
      overlaps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overlaps));
      overheadMs = Map.copyOf(overheadMs);
    }

    /** Whether the command ran to a commit (so {@code changed} is known). */
    public boolean committed() {
      return !merge.equals("not merged") || !changed.isEmpty() || !frozen.isEmpty();
    }

    long overheadTotalMs() {
      return overheadMs.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The run's integration, or empty when it ran without worktree isolation. */
  public static Optional<IntegrationReport> from(Store store, String runId) {
    List<EventRecord> events = new ArrayList<>();
    long after = 0;
    while (true) {
      List<EventRecord> page = store.events(runId, after, 10_000);
      events.addAll(page);
      if (page.size() < 10_000) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    return from(events);
  }

  static Optional<IntegrationReport> from(List<EventRecord> events) {
    String branch = null;
    String strategy = null;
    String onConflict = null;
    String landed = null;
    String notLanded = null;
    Map<String, TaskGit> tasks = new LinkedHashMap<>();
    List<MergeConflict> conflicts = new ArrayList<>();
    Map<List<String>, Set<String>> overlaps = new LinkedHashMap<>();
    for (EventRecord e : events) {
      if (e.dataJson() == null) {
        continue;
      }
      JsonNode data = read(e.dataJson());
      switch (e.type()) {
        case "git.started" -> {
          branch = data.path("branch").asText(null);
          strategy = data.path("merge").asText(null);
          onConflict = data.path("on_conflict").asText(null);
        }
        case "git.landed" -> {
          landed = data.path("onto").asText(null);
          notLanded = null;
        }
        case "git.not_landed" -> notLanded = data.path("reason").asText(null);
        default -> {
          JsonNode git = data.path("git");
          if (e.taskId() != null && git.isObject() && git.has("merge")) {
            TaskGit t = task(e.taskId(), git);
            tasks.remove(e.taskId());
            tasks.put(e.taskId(), t);
            if (!t.conflictFiles().isEmpty()) {
              conflicts.add(
                  new MergeConflict(
                      t.taskId(), t.conflictFiles(), t.conflictWith(), t.resolution()));
            }
            t.overlaps()
                .forEach(
                    (other, files) ->
                        overlaps
                            .computeIfAbsent(pair(t.taskId(), other), k -> new LinkedHashSet<>())
                            .addAll(files));
          }
        }
      }
    }
    if (branch == null) {
      return Optional.empty();
    }
    return Optional.of(
        new IntegrationReport(
            branch,
            strategy,
            onConflict,
            landed,
            notLanded,
            new ArrayList<>(tasks.values()),
            conflicts,
            overlaps.entrySet().stream()
                .map(
                    o ->
                        new Overlap(
                            o.getKey().get(0), o.getKey().get(1), List.copyOf(o.getValue())))
                .toList()));
  }

  private static List<String> pair(String a, String b) {
    return a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a);
  }

  private static TaskGit task(String id, JsonNode git) {
    Map<String, Long> overhead = new LinkedHashMap<>();
    git.path("overhead_ms")
        .properties()
        .forEach(f -> overhead.put(f.getKey(), f.getValue().asLong()));
    Map<String, List<String>> overlaps = new LinkedHashMap<>();
    git.path("overlaps")
        .forEach(o -> overlaps.put(o.path("with").asText(), strings(o.path("files"))));
    JsonNode conflict = git.path("conflict");
    return new TaskGit(
        id,
        git.path("merge").asText(),
        git.path("branch").asText(null),
        git.path("worktree").asText(null),
        strings(git.path("changed")),
        strings(git.path("out_of_scope")),
        strings(git.path("frozen")),
        conflict.isObject() ? strings(conflict.path("files")) : strings(git.path("conflict_files")),
        conflict.isObject() ? strings(conflict.path("with")) : strings(git.path("conflict_with")),
        conflict.isObject() ? conflict.path("resolution").asText(null) : null,
        overlaps,
        overhead,
        git.path("kept_worktree").asBoolean(false));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode read(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      return Json.mapper().nullNode();
    }
  }

  // ---------------------------------------------------------------- figures

  /** Merge conflicts detected: every one the run's attempts met, in all its sessions. */
  public List<MergeConflict> mergeConflicts() {
    return conflicts;
  }

  /**
   * Pairs of tasks that ran together and changed the same undeclared file, each pair once: every
   * session's, like {@link #mergeConflicts()}.
   */
  public List<Overlap> undeclaredOverlaps() {
    return overlaps;
  }

  /**
   * Worktree set-up, commits and merges of every task, and the work merge conflicts made tasks
   * redo, summed.
   */
  public Duration overhead() {
    return Duration.ofMillis(tasks.stream().mapToLong(TaskGit::overheadTotalMs).sum());
  }

  /** The run time of tasks' first runs thrown away by merge conflicts (each then reran alone). */
  public Duration redone() {
    return Duration.ofMillis(sum(REDONE));
  }

  /** The part of {@link #overhead} git itself took: worktrees, commits and merges. */
  public Duration gitOverhead() {
    return overhead().minus(redone());
  }

  /**
   * Seed 001's return on coordination: (time saved - overhead) / overhead; null without overhead.
   */
  public Double returnOnOverhead(Duration saved) {
    long o = overhead().toMillis();
    return o == 0 ? null : (saved.toMillis() - o) / (double) o;
  }

  /** What each committed task changed, for {@link ConflictMetrics}. */
  public Map<String, List<String>> changedByTask() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (TaskGit t : tasks) {
      if (t.committed()) {
        out.put(t.taskId(), t.changed());
      }
    }
    return out;
  }

  /**
   * Per task of {@code plan}, the {@code file_scope} entries that would cover what it changed, its
   * {@code frozen_files} apart.
   */
  public Map<String, List<String>> scopeSuggestions(Manifest plan) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Task task : plan.tasks()) {
      tasks.stream()
          .filter(t -> t.taskId().equals(task.id()) && t.committed())
          .findFirst()
          .map(t -> ScopeSuggestions.additions(task, t.changed(), plan.frozenFiles()))
          .filter(a -> !a.isEmpty())
          .ifPresent(a -> out.put(task.id(), a));
    }
    return out;
  }

  // ---------------------------------------------------------------- renderings

  /** The lines the text and markdown reports add, each starting with {@code bullet}. */
  void summary(StringBuilder b, String bullet, Duration saved, ConflictMetrics metrics) {
    b.append(bullet)
        .append("integration branch ")
        .append(branch)
        .append(" (")
        .append(strategy)
        .append(")")
        .append(
            landed != null
                ? ", landed on " + landed
                : notLanded != null ? ", not landed: " + notLanded : ", not landed")
        .append('\n');
    List<MergeConflict> conflicts = mergeConflicts();
    List<Overlap> overlaps = undeclaredOverlaps();
    b.append(bullet)
        .append(
            String.format(
                Locale.ROOT,
                "conflicts detected: %d (%s%s, %s)%n",
                conflicts.size() + overlaps.size(),
                Numbers.count(conflicts.size(), "merge conflict"),
                conflicts.isEmpty() ? "" : ": " + resolutions(conflicts),
                Numbers.count(overlaps.size(), "undeclared overlap")));
    for (MergeConflict c : conflicts) {
      b.append(bullet)
          .append("  ")
          .append(c.taskId())
          .append(": merge conflict in ")
          .append(String.join(", ", c.files()))
          .append(c.with().isEmpty() ? "" : " with " + String.join(", ", c.with()))
          .append(c.resolution() == null ? "" : ", " + c.resolution())
          .append('\n');
    }
    for (Overlap o : overlaps) {
      b.append(bullet)
          .append("  ")
          .append(o.a())
          .append(" and ")
          .append(o.b())
          .append(" ran together and changed the same undeclared ")
          .append(o.files().size() == 1 ? "file: " : "files: ")
          .append(String.join(", ", o.files()))
          .append('\n');
    }
    for (TaskGit t : tasks) {
      if (!t.outOfScope().isEmpty()) {
        b.append(bullet)
            .append("out of scope: ")
            .append(t.taskId())
            .append(" changed ")
            .append(String.join(", ", t.outOfScope()))
            .append('\n');
      }
      if (!t.frozen().isEmpty()) {
        b.append(bullet)
            .append("frozen: ")
            .append(t.taskId())
            .append(" changed ")
            .append(String.join(", ", t.frozen()))
            .append('\n');
      }
    }
    if (metrics != null && metrics.pairs() > 0) {
      b.append(bullet)
          .append(
              String.format(
                  Locale.ROOT,
                  "conflict prediction: %s (%s of %s), %s (%s)%n",
                  Numbers.count(metrics.falsePositives().size(), "false positive"),
                  Numbers.percent(100 * metrics.falsePositiveRate()),
                  Numbers.count(metrics.pairs(), "pair"),
                  Numbers.count(metrics.falseNegatives().size(), "false negative"),
                  Numbers.percent(100 * metrics.falseNegativeRate())));
    }
    Double roi = returnOnOverhead(saved);
    b.append(bullet)
        .append(
            String.format(
                Locale.ROOT,
                "coordination overhead %s (worktrees %s, commits %s, merges %s%s)%s%n",
                Durations.human(overhead()),
                ms("worktree"),
                ms("commit"),
                ms("merge"),
                redone().isZero()
                    ? ""
                    : ", work redone after merge conflicts " + Durations.human(redone()),
                roi == null
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "; time saved %s, return (saved - overhead) / overhead = %s",
                        Durations.human(saved),
                        Numbers.ratio(roi))));
    List<String> kept =
        tasks.stream()
            // once `braid clean` (or the user) removed one, pointing at it would send them nowhere
            .filter(t -> t.keptWorktree() && t.worktree() != null)
            .filter(t -> Files.isDirectory(Path.of(t.worktree())))
            .map(t -> t.taskId() + " (" + t.worktree() + ")")
            .toList();
    if (!kept.isEmpty()) {
      b.append(bullet).append("worktrees kept: ").append(String.join(", ", kept)).append('\n');
    }
  }

  private static final String REDONE = "redone";

  private String ms(String kind) {
    return Durations.human(Duration.ofMillis(sum(kind)));
  }

  private long sum(String kind) {
    return tasks.stream().mapToLong(t -> t.overheadMs().getOrDefault(kind, 0L)).sum();
  }

  private static String resolutions(List<MergeConflict> conflicts) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    conflicts.forEach(
        t -> counts.merge(t.resolution() == null ? "unresolved" : t.resolution(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(v + " " + k));
    return String.join(", ", parts);
  }

  ObjectNode json(Duration saved, ConflictMetrics metrics) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("branch", branch);
    o.put("merge", strategy);
    o.put("on_conflict", onConflict);
    o.put("landed_on", landed);
    o.put("not_landed", notLanded);
    o.put("merge_conflicts", mergeConflicts().size());
    ArrayNode conflictList = o.putArray("conflicts");
    for (MergeConflict c : mergeConflicts()) {
      ObjectNode n = conflictList.addObject();
      n.put("task_id", c.taskId());
      n.set("files", Json.mapper().valueToTree(c.files()));
      n.set("with", Json.mapper().valueToTree(c.with()));
      n.put("resolution", c.resolution());
    }
    o.put("undeclared_overlaps", undeclaredOverlaps().size());
    o.put("overhead_seconds", overhead().toMillis() / 1000.0);
    o.put("redone_seconds", redone().toMillis() / 1000.0);
    Double roi = returnOnOverhead(saved);
    if (roi == null) {
      o.putNull("return_on_overhead");
    } else {
      o.put("return_on_overhead", Numbers.round2(roi));
    }
    if (metrics != null) {
      ObjectNode m = o.putObject("conflict_prediction");
      m.put("pairs", metrics.pairs());
      m.put("predicted", metrics.predicted());
      m.put("false_positives", metrics.falsePositives().size());
      m.put("false_negatives", metrics.falseNegatives().size());
      m.put("false_positive_rate", Numbers.round2(metrics.falsePositiveRate()));
      m.put("false_negative_rate", Numbers.round2(metrics.falseNegativeRate()));
    }
    ArrayNode list = o.putArray("tasks");
    for (TaskGit t : tasks) {
      ObjectNode n = list.addObject();
      n.put("task_id", t.taskId());
      n.put("merge", t.merge());
      n.set("changed", Json.mapper().valueToTree(t.changed()));
      n.set("out_of_scope", Json.mapper().valueToTree(t.outOfScope()));
      n.set("frozen", Json.mapper().valueToTree(t.frozen()));
      n.set("conflict_files", Json.mapper().valueToTree(t.conflictFiles()));
      n.set("conflict_with", Json.mapper().valueToTree(t.conflictWith()));
      n.put("resolution", t.resolution());
      n.set("overlaps", Json.mapper().valueToTree(List.copyOf(t.overlaps().keySet())));
      n.set("overhead_ms", Json.mapper().valueToTree(t.overheadMs()));
    }
    return o;
  }
}
