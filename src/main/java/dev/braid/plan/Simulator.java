package dev.braid.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs the real {@link Scheduler} on estimated durations instead of processes: a discrete-event
 * simulation whose only events are "task ended". Deterministic: ties end in task order.
 */
public final class Simulator {

  private Simulator() {}

  private record Ending(double at, int task) {}

  /** The schedule the runner would follow if every task took exactly its estimate. */
  public static Schedule simulate(TaskGraph graph, int agents) {
    Scheduler scheduler = new Scheduler(graph, agents);
    PriorityQueue<Ending> endings =
        new PriorityQueue<>(Comparator.comparingDouble(Ending::at).thenComparingInt(Ending::task));
    double[] start = new double[graph.size()];
    int[] slot = new int[graph.size()];
    List<Integer> order = new ArrayList<>(graph.size());
    double now = 0;
    while (true) {
      for (Scheduler.Launch launch : scheduler.poll()) {
        start[launch.task()] = now;
        slot[launch.task()] = launch.slot();
        order.add(launch.task());
        endings.add(new Ending(now + graph.minutes(launch.task()), launch.task()));
      }
      Ending next = endings.poll();
      if (next == null) {
        break;
      }
      now = next.at();
      scheduler.succeeded(next.task());
      // everything ending at the same instant ends before anything new starts
      while (!endings.isEmpty() && endings.peek().at() == now) {
        scheduler.succeeded(endings.poll().task());
      }
    }
    List<Schedule.Entry> entries = new ArrayList<>(order.size());
    double makespan = 0;
    for (int t : order) {
      double end = start[t] + graph.minutes(t);
      makespan = Math.max(makespan, end);
      entries.add(new Schedule.Entry(t, graph.id(t), start[t], end, slot[t]));
    }
    return new Schedule(entries, makespan);
  }
}
