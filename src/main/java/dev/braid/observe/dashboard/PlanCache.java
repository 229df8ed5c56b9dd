package dev.braid.observe.dashboard;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflict;
import dev.braid.manifest.ManifestException;
import dev.braid.plan.TaskGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plans of the runs shown, read once per version of the file: a page of a 2,000-task run, its
 * history and each task's detail all want the same plan.
 */
final class PlanCache {

  /**
   * A plan as the dashboard uses it.
   *
   * @param level each task's dependency depth (0 for tasks that depend on nothing), for the graph
   */
  record Plan(CheckedPlan checked, TaskGraph graph, Map<String, Integer> index, int[] level) {

    Integer indexOf(String taskId) {
      return index.get(taskId);
    }

    String conflictReasons(int a, int b) {
      return checked
          .conflicts()
          .between(a, b)
          .map(c -> String.join("; ", c.reasons().stream().map(Conflict.Reason::describe).toList()))
          .orElse("");
    }
  }

  /** A plan, or why there is none. */
  record Found(Plan plan, String problem) {}

  private record Entry(Object version, Found found) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  Found get(String manifestPath) {
    Path file = Path.of(manifestPath);
    Object version;
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      version = a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
    } catch (IOException e) {
      return new Found(null, "the plan " + manifestPath + " is gone");
    }
    // compute: requests that want the same plan at once wait for one reading of it
    return entries
        .compute(
            manifestPath,
            (path, old) ->
                old != null && old.version().equals(version) ? old : new Entry(version, load(file)))
        .found();
  }

  private static Found load(Path file) {
    try {
      CheckedPlan checked = CheckedPlan.load(file, false);
      TaskGraph graph = TaskGraph.of(checked.manifest(), checked.conflicts());
      Map<String, Integer> index = new HashMap<>();
      for (int t = 0; t < graph.size(); t++) {
        index.put(graph.id(t), t);
      }
      return new Found(new Plan(checked, graph, Map.copyOf(index), levels(graph)), null);
    } catch (ManifestException e) {
      return new Found(
          null, "the plan " + file + " no longer reads: " + e.diagnostics().get(0).toString());
    } catch (RuntimeException e) {
      return new Found(null, "the plan " + file + " no longer reads: " + e.getMessage());
    }
  }

  /** Longest chain of dependencies before each task (Kahn's order; a valid plan has no cycle). */
  private static int[] levels(TaskGraph graph) {
    int n = graph.size();
    int[] level = new int[n];
    int[] waiting = new int[n];
    Deque<Integer> ready = new ArrayDeque<>();
    for (int t = 0; t < n; t++) {
      waiting[t] = graph.deps(t).length;
      if (waiting[t] == 0) {
        ready.add(t);
      }
    }
    while (!ready.isEmpty()) {
      int t = ready.poll();
      for (int d : graph.dependents(t)) {
        level[d] = Math.max(level[d], level[t] + 1);
        if (--waiting[d] == 0) {
          ready.add(d);
        }
      }
    }
    return level;
  }
}
