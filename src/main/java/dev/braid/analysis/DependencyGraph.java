package dev.braid.analysis;

import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan's dependency edges as index arrays, fast enough for 100k-task plans. {@code deps(a)}
 * holds every {@code b} such that "a runs after b". Unknown ids and self-edges are left out
 * (validation reports them); duplicates are collapsed.
 */
public final class DependencyGraph {

  private final String[] ids;
  private final int[][] deps;
  private final int[][] dependents;

  private DependencyGraph(String[] ids, int[][] deps, int[][] dependents) {
    this.ids = ids;
    this.deps = deps;
    this.dependents = dependents;
  }

  public static DependencyGraph of(Manifest manifest) {
    List<Task> tasks = manifest.tasks();
    int n = tasks.size();
    Map<String, Integer> index = manifest.indexById();
    String[] ids = new String[n];
    int[][] deps = new int[n][];
    int[] outDegree = new int[n];
    int[] seenBy = new int[n]; // seenBy[j] == i + 1: j is already a dependency of i
    for (int i = 0; i < n; i++) {
      Task t = tasks.get(i);
      ids[i] = t.id();
      int[] d = new int[t.dependsOn().size()];
      int k = 0;
      for (String dep : t.dependsOn()) {
        Integer j = index.get(dep);
        if (j != null && j != i && seenBy[j] != i + 1) {
          seenBy[j] = i + 1;
          d[k++] = j;
        }
      }
      deps[i] = k == d.length ? d : Arrays.copyOf(d, k);
      for (int j : d) {
        outDegree[j]++;
      }
    }
    int[][] dependents = new int[n][];
    for (int i = 0; i < n; i++) {
      dependents[i] = new int[outDegree[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      for (int j : deps[i]) {
        dependents[j][fill[j]++] = i;
      }
    }
    return new DependencyGraph(ids, deps, dependents);
  }

  public int size() {
    return ids.length;
  }

  public String id(int task) {
    return ids[task];
  }

  /** Tasks that {@code task} runs after. Do not modify the returned array. */
  public int[] deps(int task) {
    return deps[task];
  }

  /** Tasks that run after {@code task}. Do not modify the returned array. */
  public int[] dependents(int task) {
    return dependents[task];
  }

  /**
   * Tasks in an order where every task comes after its dependencies (Kahn's algorithm, ties by file
   * order), or empty when the graph has a cycle.
   */
  public Optional<int[]> topologicalOrder() {
    int n = size();
    int[] remaining = new int[n];
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      remaining[i] = deps[i].length;
      if (remaining[i] == 0) {
        ready.add(i);
      }
    }
    int[] order = new int[n];
    int k = 0;
    while (!ready.isEmpty()) {
      int t = ready.poll();
      order[k++] = t;
      for (int d : dependents[t]) {
        if (--remaining[d] == 0) {
          ready.add(d);
        }
      }
    }
    return k == n ? Optional.of(order) : Optional.empty();
  }

  /**
   * Every elementary cycle found by one depth-first pass, each as task indexes with the first
   * repeated at the end ({@code T1 -> T4 -> T2 -> T1}). At least one cycle is reported when the
   * graph is cyclic; cycles sharing edges may be reported once.
   */
  public List<int[]> cycles() {
    int n = size();
    byte[] color = new byte[n]; // 0 white, 1 on stack, 2 done
    int[] stack = new int[n];
    int[] cursor = new int[n];
    List<int[]> found = new ArrayList<>();
    for (int root = 0; root < n; root++) {
      if (color[root] != 0) {
        continue;
      }
      int sp = 0;
      stack[sp++] = root;
      color[root] = 1;
      cursor[root] = 0;
      while (sp > 0) {
        int v = stack[sp - 1];
        if (cursor[v] < deps[v].length) {
          int w = deps[v][cursor[v]++];
          if (color[w] == 0) {
            color[w] = 1;
            cursor[w] = 0;
            stack[sp++] = w;
          } else if (color[w] == 1) {
            // v runs after w, and w is an ancestor on the stack: w ... -> v -> w
            int from = indexOf(stack, sp, w);
            int[] cycle = new int[sp - from + 1];
            System.arraycopy(stack, from, cycle, 0, sp - from);
            cycle[cycle.length - 1] = w;
            found.add(cycle);
          }
        } else {
          color[v] = 2;
          sp--;
        }
      }
    }
    return found;
  }

  private static int indexOf(int[] stack, int size, int value) {
    for (int i = size - 1; i >= 0; i--) {
      if (stack[i] == value) {
        return i;
      }
    }
    throw new IllegalStateException("not on stack: " + value);
  }

  /**
   * For each task, the longest chain of estimated minutes from its start to the end of the plan,
   * itself included (its "bottom level"). Requires an acyclic graph.
   */
  public double[] remainingPathMinutes(double[] minutes) {
    int[] order =
        topologicalOrder().orElseThrow(() -> new IllegalStateException("dependency cycle"));
    double[] level = new double[size()];
    for (int k = order.length - 1; k >= 0; k--) {
      int t = order[k];
      double best = 0;
      for (int d : dependents[t]) {
        best = Math.max(best, level[d]);
      }
      level[t] = minutes[t] + best;
    }
    return level;
  }
}
