package dev.braid.analysis;

import dev.braid.manifest.Manifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The seeds' conflict metrics, from what a run really changed: how good the plan's conflict
 * prediction was.
 *
 * <p>Only tasks whose changes are known (they ran and were committed) count, and only pairs that no
 * dependency chain orders (those never run side by side anyway).
 *
 * <ul>
 *   <li>a <b>false positive</b> is a pair kept apart for a file reason ({@code conflicts_with},
 *       overlapping {@code file_scope}s, a shared file) whose changed files turned out disjoint:
 *       parallelism lost for nothing. Pairs kept apart only by a database table or a capability are
 *       not judged by files.
 *   <li>a <b>false negative</b> is a pair not kept apart at all whose changed files overlap: a
 *       conflict nobody declared.
 * </ul>
 *
 * Rates follow seed 002 ("false positive conflicts / total task pairs"): each count divided by
 * {@code pairs}, the number of unordered pairs of counted tasks.
 *
 * @param tasks tasks whose changes are known
 * @param pairs unordered pairs of those tasks: {@code tasks * (tasks - 1) / 2}
 * @param predicted pairs no dependency orders that the plan kept apart for a file reason
 * @param overlapping pairs no dependency orders whose changes shared a file
 * @param falsePositives predicted pairs whose changes did not overlap, as task id pairs
 * @param falseNegatives overlapping pairs the plan did not keep apart, with the shared files
 */
public record ConflictMetrics(
    int tasks,
    long pairs,
    int predicted,
    int overlapping,
    List<Pair> falsePositives,
    List<Pair> falseNegatives) {

  /** Two tasks in plan order, and the files both changed (empty for a false positive). */
  public record Pair(String a, String b, List<String> sharedFiles) {
    public Pair {
      sharedFiles = List.copyOf(sharedFiles);
    }
  }

  public ConflictMetrics {
    falsePositives = List.copyOf(falsePositives);
    falseNegatives = List.copyOf(falseNegatives);
  }

  public double falsePositiveRate() {
    return pairs == 0 ? 0 : falsePositives.size() / (double) pairs;
  }

  public double falseNegativeRate() {
    return pairs == 0 ? 0 : falseNegatives.size() / (double) pairs;
  }

  /**
   * Measures the plan's prediction against {@code changed}: for each task that ran, the files it
   * changed (paths relative to the repository root). Ids not in the plan are ignored.
   */
  public static ConflictMetrics measure(
      Manifest plan,
      DependencyGraph graph,
      Conflicts conflicts,
      Map<String, ? extends Collection<String>> changed) {
    Map<String, Integer> index = plan.indexById();
    int n = plan.tasks().size();
    List<Set<String>> files = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      files.add(null);
    }
    int counted = 0;
    for (Map.Entry<String, ? extends Collection<String>> e : changed.entrySet()) {
      Integer i = index.get(e.getKey());
      if (i != null && files.get(i) == null) {
        files.set(i, new LinkedHashSet<>(e.getValue()));
        counted++;
      }
    }
    Order order = new Order(graph);

    int predicted = 0;
    List<Pair> falsePositives = new ArrayList<>();
    for (Conflict c : conflicts.pairs()) {
      Set<String> fa = files.get(c.a());
      Set<String> fb = files.get(c.b());
      if (fa == null || fb == null || !judgedByFiles(c) || order.ordered(c.a(), c.b())) {
        continue;
      }
      predicted++;
      if (shared(fa, fb).isEmpty()) {
        falsePositives.add(
            new Pair(plan.tasks().get(c.a()).id(), plan.tasks().get(c.b()).id(), List.of()));
      }
    }

    Map<String, List<Integer>> byFile = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (files.get(i) != null) {
        for (String f : files.get(i)) {
          byFile.computeIfAbsent(f, k -> new ArrayList<>()).add(i);
        }
      }
    }
    Set<Long> seen = new HashSet<>();
    TreeMap<Long, Pair> negatives = new TreeMap<>();
    int overlapping = 0;
    for (List<Integer> holders : byFile.values()) {
      for (int x = 0; x < holders.size(); x++) {
        for (int y = x + 1; y < holders.size(); y++) {
          int a = Math.min(holders.get(x), holders.get(y));
          int b = Math.max(holders.get(x), holders.get(y));
          long key = ((long) a << 32) | b;
          if (!seen.add(key) || order.ordered(a, b)) {
            continue;
          }
          overlapping++;
          if (conflicts.between(a, b).isEmpty()) {
            negatives.put(
                key,
                new Pair(
                    plan.tasks().get(a).id(),
                    plan.tasks().get(b).id(),
                    shared(files.get(a), files.get(b))));
          }
        }
      }
    }
    long pairs = (long) counted * (counted - 1) / 2;
    return new ConflictMetrics(
        counted, pairs, predicted, overlapping, falsePositives, List.copyOf(negatives.values()));
  }

  private static boolean judgedByFiles(Conflict c) {
    for (Conflict.Reason r : c.reasons()) {
      boolean byFiles =
          switch (r) {
            case Conflict.Reason.Explicit e -> true;
            case Conflict.Reason.FileScope f -> true;
            case Conflict.Reason.SharedFile s -> true;
            case Conflict.Reason.SharedTable t -> false;
            case Conflict.Reason.SameCapability s -> false;
          };
      if (byFiles) {
        return true;
      }
    }
    return false;
  }

  private static List<String> shared(Set<String> a, Set<String> b) {
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    List<String> out = new ArrayList<>();
    for (String f : small) {
      if (large.contains(f)) {
        out.add(f);
      }
    }
    out.sort(null);
    return out;
  }

  /** Whether a dependency chain orders two tasks. */
  private static final class Order {
    private final DependencyGraph graph;
    private final int[] position;

    Order(DependencyGraph graph) {
      this.graph = graph;
      int[] topo = graph.topologicalOrder().orElse(null);
      position = new int[graph.size()];
      if (topo != null) {
        for (int k = 0; k < topo.length; k++) {
          position[topo[k]] = k;
        }
      }
    }

    boolean ordered(int a, int b) {
      return position[a] < position[b] ? reaches(b, a) : reaches(a, b);
    }

    /** Whether {@code from} runs after {@code to}, searching only tasks placed after {@code to}. */
    private boolean reaches(int from, int to) {
      ArrayList<Integer> stack = new ArrayList<>();
      Set<Integer> seen = new HashSet<>();
      stack.add(from);
      seen.add(from);
      while (!stack.isEmpty()) {
        int v = stack.remove(stack.size() - 1);
        for (int d : graph.deps(v)) {
          if (d == to) {
            return true;
          }
          if (position[d] > position[to] && seen.add(d)) {
            stack.add(d);
          }
        }
      }
      return false;
    }
  }
}
