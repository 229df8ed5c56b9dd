package dev.braid.export;

import dev.braid.analysis.CheckedPlan;
import dev.braid.plan.Schedule;
import dev.braid.plan.Simulator;
import dev.braid.plan.TaskGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * A plan as a runner that knows only dependencies can run it safely: besides its dependencies, each
 * task runs after the conflicting tasks that Braid's scheduler would start before it, and a {@code
 * parallel: false} task runs after everything started before it and before everything started after
 * it.
 *
 * <p>The order is the one {@link Simulator} gives with an agent per task: priority first, then the
 * longest chain ahead, then file order. Added edges always point from earlier to later in it, so
 * they never make a cycle. Edges already implied by others are left out for plans of up to {@value
 * #REDUCE_UP_TO} tasks.
 *
 * <p>The tasks of a mutex ({@link TaskGraph#mutexes}: a glob, file, table or capability they all
 * share) run one after another in this order, so each runs after the one before it, which implies
 * the rest: a mutex of 20,000 tasks gives 20,000 candidate edges, not 200 million.
 */
final class RunOrder {

  /** Above this many tasks, implied edges are kept (the check needs a bit set per task). */
  static final int REDUCE_UP_TO = 20_000;

  final TaskGraph graph;

  /** Tasks in the order the schedule starts them. */
  final int[] order;

  /** Per task: the tasks it must run after beyond its dependencies, earliest first. */
  final int[][] after;

  private RunOrder(TaskGraph graph, int[] order, int[][] after) {
    this.graph = graph;
    this.order = order;
    this.after = after;
  }

  static RunOrder of(CheckedPlan plan) {
    TaskGraph graph = TaskGraph.of(plan.manifest(), plan.conflicts());
    int n = graph.size();
    Schedule schedule = Simulator.simulate(graph, Math.max(1, n));
    int[] order = new int[n];
    int[] position = new int[n];
    int k = 0;
    for (Schedule.Entry e : schedule.entries()) {
      order[k] = e.task();
      position[e.task()] = k++;
    }
    boolean reduce = n <= REDUCE_UP_TO;
    BitSet[] before = reduce ? new BitSet[n] : null;
    int[][] after = new int[n][];
    int lastAlone = -1; // position of the latest parallel: false task
    int[] lastOf = new int[graph.mutexCount()]; // per mutex: position of its latest task, or -1
    Arrays.fill(lastOf, -1);
    for (int p = 0; p < n; p++) {
      int t = order[p];
      List<Integer> candidates = new ArrayList<>();
      for (int c : graph.pairConflicts(t)) {
        if (position[c] < p) {
          candidates.add(c);
        }
      }
      for (int m : graph.mutexes(t)) {
        if (lastOf[m] >= 0 && !candidates.contains(order[lastOf[m]])) {
          candidates.add(order[lastOf[m]]);
        }
        lastOf[m] = p;
      }
      if (graph.exclusive(t)) {
        for (int q = Math.max(lastAlone, 0); q < p; q++) {
          candidates.add(order[q]);
        }
        lastAlone = p;
      } else if (lastAlone >= 0) {
        candidates.add(order[lastAlone]);
      }
      candidates.sort((a, b) -> Integer.compare(position[b], position[a]));
      BitSet mine = reduce ? new BitSet(n) : null;
      int[] deps = graph.deps(t);
      if (reduce) {
        for (int d : deps) {
          mine.or(before[d]);
          mine.set(d);
        }
      }
      List<Integer> added = new ArrayList<>();
      for (int c : candidates) {
        boolean implied =
            reduce ? mine.get(c) : Arrays.stream(deps).anyMatch(d -> d == c) || added.contains(c);
        if (!implied) {
          added.add(c);
          if (reduce) {
            mine.or(before[c]);
            mine.set(c);
          }
        }
      }
      if (reduce) {
        before[t] = mine;
      }
      added.sort((a, b) -> Integer.compare(position[a], position[b]));
      after[t] = added.stream().mapToInt(Integer::intValue).toArray();
    }
    return new RunOrder(graph, order, after);
  }
}
