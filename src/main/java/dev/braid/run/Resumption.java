package dev.braid.run;

import dev.braid.plan.TaskGraph;
import dev.braid.plan.TaskState;
import dev.braid.store.Store;
import dev.braid.store.TaskRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What resuming a run with the plan as it is now means, decided without touching anything: which
 * tasks stay done, which run (again), which left the plan, and the notes that say why. {@code braid
 * run} records it; {@code braid run --dry-run} shows it.
 *
 * @param rows every task of the plan as the run will record it
 * @param estimates the estimates of the tasks new or changed, by id
 * @param notes one line per task that runs again or left, in plan order
 * @param removed the recorded tasks no longer in the plan
 * @param attempts the attempts each task had, by id (none: new)
 * @param done the tasks (by graph index) that stay done, with their state
 * @param changed how many tasks are new or changed
 * @param markedDone how many of the run's tasks the plan's file marks done (and so left out)
 */
public record Resumption(
    List<TaskRecord> rows,
    Map<String, Double> estimates,
    List<String> notes,
    List<String> removed,
    Map<String, Integer> attempts,
    Map<Integer, TaskState> done,
    int changed,
    int markedDone) {

  /** The reason a task put back by {@code braid reset} carries. */
  public static final String RESET = "reset";

  /** {@link #of} on run {@code runId} as {@code store} records it. */
  public static Resumption read(
      Store store,
      String runId,
      TaskGraph graph,
      Map<String, String> hashes,
      Collection<String> markedDoneInFile) {
    Map<String, TaskRecord> before = new LinkedHashMap<>();
    // Tasks that left the plan on an earlier resumption too: one that is back goes on counting
    // its attempts.
    for (TaskRecord r : store.removedTasks(runId)) {
      before.put(r.taskId(), r);
    }
    List<TaskRecord> recorded = store.tasks(runId);
    for (TaskRecord r : recorded) {
      before.put(r.taskId(), r);
    }
    return of(runId, graph, hashes, before, recorded, markedDoneInFile);
  }

  /**
   * @param before the run's tasks as recorded, those that left the plan on an earlier resumption
   *     included, by id
   * @param recorded the run's tasks still in it
   * @param hashes every task's definition hash now, by id
   * @param markedDoneInFile the ids the plan's file marks done
   */
  public static Resumption of(
      String runId,
      TaskGraph graph,
      Map<String, String> hashes,
      Map<String, TaskRecord> before,
      Collection<TaskRecord> recorded,
      Collection<String> markedDoneInFile) {
    List<String> notes = new ArrayList<>();
    // Tasks no longer in the plan leave the run: its counts and its outcome are the plan's.
    Set<String> inPlan = new HashSet<>();
    for (int t = 0; t < graph.size(); t++) {
      inPlan.add(graph.id(t));
    }
    // Not those the file marks done: they left the plan because they are done.
    Set<String> marked = new HashSet<>(markedDoneInFile);
    List<String> removed = new ArrayList<>();
    for (TaskRecord r : recorded) {
      if (!inPlan.contains(r.taskId()) && !marked.contains(r.taskId())) {
        removed.add(r.taskId());
        notes.add(r.taskId() + " is no longer in the plan");
      }
    }
    List<TaskRecord> rows = new ArrayList<>();
    Map<String, Double> estimates = new HashMap<>();
    Map<String, Integer> attempts = new HashMap<>();
    Map<Integer, TaskState> done = new LinkedHashMap<>();
    int changed = 0;
    for (int t = 0; t < graph.size(); t++) {
      String id = graph.id(t);
      TaskRecord old = before.get(id);
      String hash = hashes.get(id);
      if (old == null) {
        rows.add(TaskRecord.pending(runId, id, hash));
        estimates.put(id, graph.minutes(t));
        notes.add(id + " is new in the plan");
        changed++;
        continue;
      }
      attempts.put(id, old.attempts());
      if (!old.definitionHash().equals(hash)) {
        notes.add(id + " changed since the last run: running it again");
        estimates.put(id, graph.minutes(t));
        rows.add(
            new TaskRecord(
                runId,
                id,
                hash,
                TaskState.PENDING,
                old.attempts(),
                null,
                null,
                null,
                null,
                "definition changed",
                null));
        changed++;
      } else if (old.state().isDone()) {
        done.put(t, old.state());
        rows.add(old);
      } else {
        if (old.state() == TaskState.FAILED || old.state() == TaskState.BLOCKED) {
          notes.add(id + " was " + old.state().label() + ": running it again");
        } else if (old.state() == TaskState.PENDING
            && RESET.equals(old.reason())
            && old.attempts() > 0) {
          notes.add(id + " was reset: running it again");
        } else if (old.state() == TaskState.RUNNING
            || (old.state() == TaskState.PENDING
                && dev.braid.store.Store.INTERRUPTED.equals(old.reason()))) {
          // running when its runner stopped (as recorded, or as the runner recovered it)
          notes.add(id + " was cut short: running it again");
        }
        rows.add(old.withState(TaskState.PENDING, old.reason()));
      }
    }
    // The tasks the file marks done are left out of the plan (PlanDraft); those of this run were
    // marked by its write-back (or by hand since) and are done as well.
    int markedDone = 0;
    for (String id : markedDoneInFile) {
      if (before.containsKey(id)) {
        markedDone++;
      }
    }
    return new Resumption(
        List.copyOf(rows),
        Map.copyOf(estimates),
        List.copyOf(notes),
        List.copyOf(removed),
        Map.copyOf(attempts),
        Collections.unmodifiableMap(done),
        changed,
        markedDone);
  }

  /** The ids of the tasks that stay done ({@link #rows} are in the graph's order). */
  public Set<String> doneIds() {
    Set<String> ids = new HashSet<>();
    for (int t : done.keySet()) {
      ids.add(rows.get(t).taskId());
    }
    return ids;
  }

  /** How many of the plan's tasks stay done. */
  public int alreadyDone() {
    return done.size();
  }

  /** Whether nothing changed and every task stays done. */
  public boolean nothingChanged(int planSize) {
    return changed == 0 && removed.isEmpty() && done.size() == planSize;
  }
}
