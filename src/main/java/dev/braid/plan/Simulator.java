package dev.braid.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the real {@link Scheduler} on estimated durations instead of processes: a discrete-event
 * simulation whose only events are "task ended". Deterministic: ties end in task order.
 *
 * <p>O((V + E + C) log V) for V tasks, E dependencies and C conflicting pairs: each task is queued,
 * parked behind a conflict and started a bounded number of times, each a heap operation.
 */
public final class Simulator {

  private Simulator() {}

  /** The schedule the runner would follow if every task took exactly its estimate. */
  public static Schedule simulate(TaskGraph graph, int agents) {
    Run run = new Run(graph, agents, true);
    run.run();
    List<Schedule.Entry> entries = new ArrayList<>(run.started);
    for (int k = 0; k < run.started; k++) {
      int t = run.order[k];
      entries.add(
          new Schedule.Entry(
              t, graph.id(t), run.start[t], run.start[t] + graph.minutes(t), run.slot[t]));
    }
    return new Schedule(entries, run.makespan);
  }

  /** The makespan and the most tasks ever running at once, without building the schedule. */
  record Outcome(double makespanMinutes, int peak) {}

  static Outcome outcome(TaskGraph graph, int agents) {
    Run run = new Run(graph, agents, false);
    run.run();
    return new Outcome(run.makespan, run.peak);
  }

  /** One simulation; with {@code record}, also each task's start and slot in start order. */
  private static final class Run {
    private final TaskGraph graph;
    private final Scheduler scheduler;
    private final Endings endings;
    private final double[] start;
    private final int[] slot;
    private final int[] order;
    private int started;
    private int peak;
    private double makespan;

    Run(TaskGraph graph, int agents, boolean record) {
      int n = graph.size();
      this.graph = graph;
      this.scheduler = new Scheduler(graph, agents);
      this.endings = new Endings(Math.min(n, agents));
      this.start = record ? new double[n] : null;
      this.slot = record ? new int[n] : null;
      this.order = record ? new int[n] : null;
    }

    void run() {
      double now = 0;
      while (true) {
        for (Scheduler.Launch launch : scheduler.poll()) {
          int t = launch.task();
          if (start != null) {
            start[t] = now;
            slot[t] = launch.slot();
            order[started] = t;
          }
          started++;
          double end = now + graph.minutes(t);
          makespan = Math.max(makespan, end);
          endings.add(end, t);
        }
        peak = Math.max(peak, scheduler.running());
        if (endings.isEmpty()) {
          return;
        }
        now = endings.peekTime();
        // everything ending at the same instant ends before anything new starts
        while (!endings.isEmpty() && endings.peekTime() == now) {
          scheduler.succeeded(endings.poll());
        }
      }
    }
  }

  /** Running tasks by end time, then task index: a binary heap over two parallel arrays. */
  private static final class Endings {
    private double[] at;
    private int[] task;
    private int size;

    Endings(int capacity) {
      at = new double[Math.max(4, capacity)];
      task = new int[at.length];
    }

    boolean isEmpty() {
      return size == 0;
    }

    double peekTime() {
      return at[0];
    }

    void add(double time, int t) {
      if (size == at.length) {
        at = Arrays.copyOf(at, size * 2);
        task = Arrays.copyOf(task, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!before(time, t, at[parent], task[parent])) {
          break;
        }
        at[i] = at[parent];
        task[i] = task[parent];
        i = parent;
      }
      at[i] = time;
      task[i] = t;
    }

    /** Removes the earliest ending and returns its task. */
    int poll() {
      int top = task[0];
      size--;
      double lastAt = at[size];
      int lastTask = task[size];
      int i = 0;
      while (2 * i + 1 < size) {
        int child = 2 * i + 1;
        if (child + 1 < size && before(at[child + 1], task[child + 1], at[child], task[child])) {
          child++;
        }
        if (!before(at[child], task[child], lastAt, lastTask)) {
          break;
        }
        at[i] = at[child];
        task[i] = task[child];
        i = child;
      }
      at[i] = lastAt;
      task[i] = lastTask;
      return top;
    }

    private static boolean before(double a, int ta, double b, int tb) {
      return a < b || (a == b && ta < tb);
    }
  }
}
