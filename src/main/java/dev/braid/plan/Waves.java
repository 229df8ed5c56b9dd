package dev.braid.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The seeds' wave-by-wave execution: tasks are levelled by dependency depth; within a level,
 * conflicting tasks, and tasks that together need more of a resource than its capacity, are split
 * into successive parallel groups, and the {@code parallel: false} tasks become a serial group.
 * Every group waits for the one before it to end, which is what a person coordinating batches by
 * hand does, and what the dynamic schedule improves on.
 */
public final class Waves {

  private Waves() {}

  public static List<Group> of(TaskGraph graph, int agents) {
    int n = graph.size();
    int[] order = graph.dependencies().topologicalOrder().orElseThrow();
    int[] level = new int[n];
    int levels = 0;
    for (int t : order) {
      int l = 0;
      for (int d : graph.deps(t)) {
        l = Math.max(l, level[d] + 1);
      }
      level[t] = l;
      levels = Math.max(levels, l + 1);
    }
    List<List<Integer>> byLevel = new ArrayList<>(levels);
    for (int l = 0; l < levels; l++) {
      byLevel.add(new ArrayList<>());
    }
    for (int t = 0; t < n; t++) {
      byLevel.get(level[t]).add(t);
    }
    List<Group> groups = new ArrayList<>();
    int[] color = new int[n];
    Arrays.fill(color, -1);
    // per mutex: the groups of this level holding one of its tasks; touched: those set this level
    BitSet[] taken = new BitSet[graph.mutexCount()];
    List<BitSet> touched = new ArrayList<>();
    for (List<Integer> tasks : byLevel) {
      List<List<Integer>> parallel = new ArrayList<>();
      List<int[]> used = new ArrayList<>(); // per parallel group: units held of each resource
      List<Integer> serial = new ArrayList<>();
      for (int t : tasks) {
        if (graph.exclusive(t)) {
          serial.add(t);
          continue;
        }
        // first group (greedy colouring) holding no task that conflicts with t and with room
        // left in every resource t needs; an empty group always has room (demand <= capacity)
        int c = 0;
        while (c < parallel.size()) {
          int free = c;
          for (int m : graph.mutexes(t)) {
            free = taken[m] == null ? free : Math.max(free, taken[m].nextClearBit(free));
          }
          if (free != c) {
            c = free; // past the groups holding a task of t's mutexes, in one step
          } else if (clashes(graph, t, c, level, color) || !fits(graph, t, used.get(c))) {
            c++;
          } else {
            break;
          }
        }
        c = Math.min(c, parallel.size());
        for (int m : graph.mutexes(t)) {
          if (taken[m] == null) {
            taken[m] = new BitSet();
          }
          if (taken[m].isEmpty()) {
            touched.add(taken[m]);
          }
          taken[m].set(c);
        }
        if (c == parallel.size()) {
          parallel.add(new ArrayList<>());
          used.add(new int[graph.resourceCount()]);
        }
        color[t] = c;
        parallel.get(c).add(t);
        int[] d = graph.demand(t);
        for (int k = 0; k < d.length; k += 2) {
          used.get(c)[d[k]] += d[k + 1];
        }
      }
      touched.forEach(BitSet::clear);
      touched.clear();
      for (List<Integer> g : parallel) {
        groups.add(new Group(Group.Type.PARALLEL, g, makespan(graph, g, agents)));
      }
      if (!serial.isEmpty()) {
        double sum = 0;
        for (int t : serial) {
          sum += graph.minutes(t);
        }
        groups.add(new Group(Group.Type.SERIAL, serial, sum));
      }
    }
    return groups;
  }

  private static boolean clashes(TaskGraph graph, int t, int group, int[] level, int[] color) {
    for (int other : graph.pairConflicts(t)) {
      if (level[other] == level[t] && color[other] == group) {
        return true;
      }
    }
    return false;
  }

  private static boolean fits(TaskGraph graph, int t, int[] used) {
    int[] d = graph.demand(t);
    for (int k = 0; k < d.length; k += 2) {
      if (used[d[k]] + d[k + 1] > graph.capacity(d[k])) {
        return false;
      }
    }
    return true;
  }

  public static double totalMinutes(List<Group> groups) {
    return groups.stream().mapToDouble(Group::minutes).sum();
  }

  /** Longest-first list scheduling of independent tasks on {@code agents}. */
  private static double makespan(TaskGraph graph, List<Integer> tasks, int agents) {
    if (tasks.size() <= agents) {
      return tasks.stream().mapToDouble(graph::minutes).max().orElse(0);
    }
    double[] sorted = tasks.stream().mapToDouble(graph::minutes).sorted().toArray();
    PriorityQueue<Double> lanes = new PriorityQueue<>(Comparator.naturalOrder());
    for (int i = 0; i < agents; i++) {
      lanes.add(0.0);
    }
    for (int i = sorted.length - 1; i >= 0; i--) {
      lanes.add(lanes.poll() + sorted[i]);
    }
    double max = 0;
    for (double l : lanes) {
      max = Math.max(max, l);
    }
    return max;
  }
}
