package dev.braid.run;

import dev.braid.git.GitException;
import dev.braid.git.Integration;
import dev.braid.git.RevertResult;
import dev.braid.plan.TaskGraph;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the tasks of one session of a run brought into the integration branch: which commits are
 * whose (to name the task a checkpoint's bisection blames), and how to take a task's work out again
 * along with the work built on it ({@code --on-checkpoint-fail revert}). Owned by the engine's
 * thread, through {@link Checkpoints}.
 */
final class SessionMerges {

  /** A task whose work a revert undoes, and the reason it fails. */
  record RevertedTask(String taskId, String reason) {}

  /** A revert, planned and its commits made, or why it cannot be. */
  sealed interface Revert {
    /**
     * Revert commits are made, the branch not moved yet: {@code tasks} fail, the culprit first.
     *
     * @param checkpoint the number of the checkpoint the culprit broke
     */
    record Ready(
        int checkpoint,
        String culprit,
        String culpritCommit,
        List<RevertedTask> tasks,
        RevertResult.Prepared commits)
        implements Revert {
      public Ready {
        tasks = List.copyOf(tasks);
      }

      /** The tasks reverted along with the culprit, built on its change. */
      List<String> with() {
        return tasks.stream().skip(1).map(RevertedTask::taskId).toList();
      }
    }

    /** The revert cannot be made; nothing was changed. */
    record Impossible(String reason) implements Revert {}
  }

  /** What a task's merge brought into the integration branch: {@code before..after}. */
  private record Merge(String before, String after) {}

  private final TaskGraph graph;
  private final Checkpoints.Place place;
  private final Map<String, String> taskOfHead = new HashMap<>();
  // by task, in merge order
  private final Map<String, Merge> mergeOf = new LinkedHashMap<>();
  private final Set<Integer> succeeded = new HashSet<>();

  SessionMerges(TaskGraph graph, Checkpoints.Place place) {
    this.graph = graph;
    this.place = place;
  }

  /** A task ended; {@code merged} when its work entered the integration branch. */
  void taskEnded(int task, String taskId, JobResult result, boolean merged) {
    if (result.succeeded()) {
      succeeded.add(task);
    }
    if (merged
        && result.details().get("git") instanceof Map<?, ?> git
        && git.get("integration_head") instanceof String head) {
      taskOfHead.put(head, taskId);
      if (git.get("integration_before") instanceof String before) {
        mergeOf.put(taskId, new Merge(before, head));
      }
    }
  }

  /**
   * The task whose merge brought {@code commit}: its last commit, or one of a rebased task's; null
   * when none of this session did.
   */
  String taskOf(String commit) {
    String task = taskOfHead.get(commit);
    if (task != null) {
      return task;
    }
    for (Map.Entry<String, Merge> m : mergeOf.entrySet()) {
      if (place.mergesBetween(m.getValue().before(), m.getValue().after()).contains(commit)) {
        return m.getKey();
      }
    }
    return null;
  }

  /**
   * Plans the revert of {@code culprit}'s merge and of the tasks that succeeded on top of it in
   * this session (its dependents, transitively), and makes its commits, newest merge first, without
   * moving the branch. Call it while no task runs, so that no merge comes in between.
   */
  Revert revert(int checkpoint, String culprit, String culpritCommit, Path log) {
    if (!mergeOf.containsKey(culprit)) {
      return new Revert.Impossible("the merge of " + culprit + " is not one of this session's");
    }
    List<String> order = new ArrayList<>(mergeOf.keySet());
    List<String> reverted = new ArrayList<>();
    reverted.add(culprit);
    builtOn(culprit).stream()
        .map(graph::id)
        .sorted(Comparator.comparingInt(order::indexOf))
        .forEach(reverted::add);
    List<RevertedTask> tasks = new ArrayList<>();
    List<Integration.Change> changes = new ArrayList<>();
    List<String> changedBy = new ArrayList<>();
    String broke = "broke checkpoint " + checkpoint;
    for (String id : reverted) {
      boolean first = id.equals(culprit);
      tasks.add(
          new RevertedTask(
              id,
              first
                  ? broke + " (log: " + log + "); its merge was reverted"
                  : "built on " + culprit + ", whose merge " + broke + ": reverted with it"));
      Merge m = mergeOf.get(id);
      if (m != null) {
        String message =
            "Revert " + id + " (" + (first ? "" : "built on " + culprit + ", which ") + broke + ")";
        // newest first: a dependent's change comes off before the change it was built on
        changes.add(0, new Integration.Change(m.before(), m.after(), message));
        changedBy.add(0, id);
      }
    }
    try {
      return switch (place.prepareRevert(changes)) {
        case RevertResult.Prepared p ->
            new Revert.Ready(checkpoint, culprit, culpritCommit, tasks, p);
        case RevertResult.Conflicted c ->
            new Revert.Impossible(
                "reverting the merge of "
                    + changedBy.get(c.index())
                    + " would conflict in "
                    + String.join(", ", c.files()));
      };
    } catch (GitException e) {
      return new Revert.Impossible("reverting failed: " + e.getMessage());
    }
  }

  /** The revert is recorded: its tasks no longer count as merged or succeeded. */
  void reverted(Revert.Ready ready) {
    for (RevertedTask t : ready.tasks()) {
      mergeOf.remove(t.taskId());
      succeeded.removeIf(i -> graph.id(i).equals(t.taskId()));
    }
  }

  /** The tasks that succeeded in this session and depend, transitively, on {@code task}. */
  private List<Integer> builtOn(String task) {
    int x = 0;
    while (!graph.id(x).equals(task)) {
      x++;
    }
    List<Integer> built = new ArrayList<>();
    ArrayDeque<Integer> todo = new ArrayDeque<>(List.of(x));
    Set<Integer> seen = new HashSet<>(todo);
    while (!todo.isEmpty()) {
      for (int d : graph.dependents(todo.pop())) {
        if (seen.add(d)) {
          todo.push(d);
          if (succeeded.contains(d)) {
            built.add(d);
          }
        }
      }
    }
    return built;
  }
}
