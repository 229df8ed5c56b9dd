package dev.braid.plan;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflicts;
import dev.braid.analysis.DependencyGraph;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the scheduler needs to know about a valid plan, as index arrays: dependencies,
 * conflicts, who runs alone, resource demands, priorities and the critical-path rank.
 *
 * <p>Conflicts come in two forms: pairs ({@link #pairConflicts}) and mutexes ({@link #mutexes}),
 * groups of tasks that all conflict with each other (a shared glob, file, table or capability), of
 * which at most one runs at a time. A mutex of 20,000 tasks is 20,000 ints, not 200 million pairs.
 */
public final class TaskGraph {

  private final Manifest manifest;
  private final DependencyGraph deps;
  private final int[][] pairConflicts; // per task, ascending; may repeat a mutex's pairs
  private final int[][] mutexMembers; // per mutex: its tasks, ascending
  private final int[][] mutexesOf; // per task: its mutexes, ascending
  private final boolean[] exclusive;
  private final int[] priority;
  private final double[] minutes;
  private final double[] rank;
  private final String[] resourceNames;
  private final int[] capacity;
  private final int[][] demand; // per task: pairs (resource, amount) flattened
  private final int[] order; // tasks from most to least preferred when several are ready
  private final int[] position; // position[task]: its place in order

  private TaskGraph(Manifest manifest, DependencyGraph deps, Conflicts conflictSet) {
    this.manifest = manifest;
    this.deps = deps;
    int n = deps.size();
    this.pairConflicts = conflictSet.storedAdjacency(n);
    this.mutexMembers = conflictSet.cliques();
    this.mutexesOf = Conflicts.membership(Arrays.asList(mutexMembers), n);
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
      demand[i] = demand(t.resources(), resourceIndex);
    }
    this.rank = deps.remainingPathMinutes(minutes);
    this.order = preferenceOrder(priority, rank);
    this.position = new int[n];
    for (int k = 0; k < n; k++) {
      position[order[k]] = k;
    }
  }

  private static final int[] NO_DEMAND = {};

  private int[] demand(Map<String, Integer> resources, Map<String, Integer> resourceIndex) {
    if (resources.isEmpty()) {
      return NO_DEMAND;
    }
    int[] d = new int[2 * resources.size()];
    int k = 0;
    for (Map.Entry<String, Integer> e : resources.entrySet()) {
      Integer idx = resourceIndex.get(e.getKey());
      if (idx != null && e.getValue() > 0) {
        d[k++] = idx;
        d[k++] = Math.min(e.getValue(), capacity[idx]);
      }
    }
    return k == d.length ? d : Arrays.copyOf(d, k);
  }

  /**
   * Tasks by the scheduler's preference: priority (1 first), then the longest estimated chain ahead
   * (critical path first), then file order. One primitive sort of packed keys: priority, the rank's
   * place among distinct ranks (longest first), task index.
   */
  private static int[] preferenceOrder(int[] priority, double[] rank) {
    int n = rank.length;
    if (n >= 1 << 28) {
      throw new IllegalArgumentException("too many tasks: " + n);
    }
    double[] distinct = rank.clone();
    Arrays.sort(distinct);
    int u = 0;
    for (int k = 0; k < n; k++) {
      if (k == 0 || distinct[k] != distinct[u - 1]) {
        distinct[u++] = distinct[k];
      }
    }
    long[] keys = new long[n];
    for (int t = 0; t < n; t++) {
      long longestFirst = u - 1 - Arrays.binarySearch(distinct, 0, u, rank[t]);
      keys[t] = ((long) Math.clamp(priority[t], 0, 7) << 60) | (longestFirst << 31) | t;
    }
    Arrays.sort(keys);
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = (int) (keys[k] & 0x7fffffff);
    }
    return order;
  }

  /** The graph of a validated (acyclic) plan with its derived conflicts. */
  public static TaskGraph of(Manifest manifest, Conflicts conflicts) {
    return new TaskGraph(manifest, DependencyGraph.of(manifest), conflicts);
  }

  /** The graph of a checked plan, reusing its dependency graph and conflicts. */
  public static TaskGraph of(CheckedPlan plan) {
    return new TaskGraph(plan.manifest(), plan.graph(), plan.conflicts());
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

  /**
   * Tasks that must never run at the same time as {@code task}, ascending: its pairs and the other
   * members of its mutexes, made on each call (the scheduler uses {@link #pairConflicts} and {@link
   * #mutexes}).
   */
  public int[] conflicts(int task) {
    int[] mine = mutexesOf[task];
    if (mine.length == 0) {
      return pairConflicts[task];
    }
    int size = pairConflicts[task].length;
    for (int m : mine) {
      size += mutexMembers[m].length;
    }
    int[] all = Arrays.copyOf(pairConflicts[task], size);
    int k = pairConflicts[task].length;
    for (int m : mine) {
      System.arraycopy(mutexMembers[m], 0, all, k, mutexMembers[m].length);
      k += mutexMembers[m].length;
    }
    Arrays.sort(all);
    int u = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] != task && (u == 0 || all[i] != all[u - 1])) {
        all[u++] = all[i];
      }
    }
    return Arrays.copyOf(all, u);
  }

  /** Tasks that conflict with {@code task} pairwise, ascending; see also {@link #mutexes}. */
  public int[] pairConflicts(int task) {
    return pairConflicts[task];
  }

  /** The mutexes {@code task} is in, ascending: at most one task of each runs at a time. */
  public int[] mutexes(int task) {
    return mutexesOf[task];
  }

  /** How many mutexes the plan has. */
  public int mutexCount() {
    return mutexMembers.length;
  }

  /** The tasks of mutex {@code mutex}, ascending. */
  public int[] mutexMembers(int mutex) {
    return mutexMembers[mutex];
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

  /** The task at {@code position} in the scheduler's order of preference. */
  int taskAt(int position) {
    return order[position];
  }

  /** Where {@code task} stands in the scheduler's order of preference: 0 is taken first. */
  int position(int task) {
    return position[task];
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
