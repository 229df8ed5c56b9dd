package dev.braid.plan;

import dev.braid.analysis.Conflicts;
import dev.braid.analysis.DependencyGraph;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the scheduler needs to know about a valid plan, as index arrays: dependencies,
 * conflicts, who runs alone, resource demands, priorities and the critical-path rank.
 */
public final class TaskGraph {

  private final Manifest manifest;
  private final DependencyGraph deps;
  private final int[][] conflicts;
  private final boolean[] exclusive;
  private final int[] priority;
  private final double[] minutes;
  private final double[] rank;
  private final String[] resourceNames;
  private final int[] capacity;
  private final int[][] demand; // per task: pairs (resource, amount) flattened

  private TaskGraph(Manifest manifest, DependencyGraph deps, Conflicts conflictSet) {
    this.manifest = manifest;
    this.deps = deps;
    int n = deps.size();
    this.conflicts = conflictSet.adjacency(n);
    this.exclusive = new boolean[n];
    this.priority = new int[n];
    this.minutes = new double[n];
    Map<String, Integer> resourceIndex = new LinkedHashMap<>();
    manifest.resources().keySet().stream().sorted().forEach(r -> resourceIndex.put(r, 0));
    int r = 0;
    for (String name : resourceIndex.keySet()) {
      resourceIndex.put(name, r++);
    }
    this.resourceNames = resourceIndex.keySet().toArray(String[]::new);
    this.capacity = new int[resourceNames.length];
    for (int i = 0; i < resourceNames.length; i++) {
      capacity[i] = manifest.resources().get(resourceNames[i]);
    }
    this.demand = new int[n][];
    List<Task> tasks = manifest.tasks();
    for (int i = 0; i < n; i++) {
      Task t = tasks.get(i);
      exclusive[i] = !t.parallel();
      priority[i] = t.priority();
      minutes[i] = t.estimatedMinutes();
      List<Integer> d = new ArrayList<>();
      for (Map.Entry<String, Integer> e : t.resources().entrySet()) {
        Integer idx = resourceIndex.get(e.getKey());
        if (idx != null && e.getValue() > 0) {
          d.add(idx);
          d.add(Math.min(e.getValue(), capacity[idx]));
        }
      }
      demand[i] = d.stream().mapToInt(Integer::intValue).toArray();
    }
    this.rank = deps.remainingPathMinutes(minutes);
  }

  /** The graph of a validated (acyclic) plan with its derived conflicts. */
  public static TaskGraph of(Manifest manifest, Conflicts conflicts) {
    return new TaskGraph(manifest, DependencyGraph.of(manifest), conflicts);
  }

  public Manifest manifest() {
    return manifest;
  }

  public DependencyGraph dependencies() {
    return deps;
  }

  public int size() {
    return deps.size();
  }

  public String id(int task) {
    return deps.id(task);
  }

  public Task task(int task) {
    return manifest.tasks().get(task);
  }

  public int[] deps(int task) {
    return deps.deps(task);
  }

  public int[] dependents(int task) {
    return deps.dependents(task);
  }

  /** Tasks that must never run at the same time as {@code task}. */
  public int[] conflicts(int task) {
    return conflicts[task];
  }

  /** A {@code parallel: false} task: runs only when nothing else does. */
  public boolean exclusive(int task) {
    return exclusive[task];
  }

  /** 1 (highest) to 5. */
  public int priority(int task) {
    return priority[task];
  }

  public double minutes(int task) {
    return minutes[task];
  }

  /** Estimated minutes from this task's start to the end of the plan along its longest chain. */
  public double rank(int task) {
    return rank[task];
  }

  public int resourceCount() {
    return resourceNames.length;
  }

  public String resourceName(int resource) {
    return resourceNames[resource];
  }

  public int capacity(int resource) {
    return capacity[resource];
  }

  /** Pairs {@code (resource, amount)}, flattened. */
  int[] demand(int task) {
    return demand[task];
  }

  /** Sum of all estimates: the time a single agent would take. */
  public double totalMinutes() {
    double sum = 0;
    for (double m : minutes) {
      sum += m;
    }
    return sum;
  }

  /** The longest chain of estimates through the plan. */
  public double criticalPathMinutes() {
    double best = 0;
    for (double r : rank) {
      best = Math.max(best, r);
    }
    return best;
  }
}
