package dev.braid.observe;

import dev.braid.plan.TaskGraph;
import dev.braid.plan.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the live view shows, kept up to date by run events. Counts change on the engine thread; last
 * output lines arrive from executor threads; the view reads a consistent-enough snapshot.
 */
final class RunProgress {

  /** A busy agent slot. */
  record Busy(String taskId, int slot, int attempt, Instant since, double estMinutes) {}

  private final TaskGraph graph;
  private final int agents;
  private final Map<String, Busy> busy = new ConcurrentHashMap<>();
  private final Map<String, String> lastLine = new ConcurrentHashMap<>();
  private final java.util.Set<String> succeededIds = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> index;
  private volatile int succeeded;
  private volatile int failed;
  private volatile int blocked;
  private volatile double doneEstMinutes;
  private volatile double doneActualMinutes;
  private volatile double remainingEstMinutes;
  private final Instant started;

  RunProgress(TaskGraph graph, int agents, int alreadyDone, Instant started) {
    this.graph = graph;
    this.agents = agents;
    this.started = started;
    this.succeeded = alreadyDone;
    this.index = new java.util.HashMap<>();
    double total = 0;
    for (int t = 0; t < graph.size(); t++) {
      index.put(graph.id(t), t);
      total += graph.minutes(t);
    }
    this.remainingEstMinutes = total;
  }

  int total() {
    return graph.size();
  }

  int agents() {
    return agents;
  }

  Instant started() {
    return started;
  }

  void started(String id, int attempt, int slot, Instant now) {
    busy.put(id, new Busy(id, slot, attempt, now, graph.minutes(index.get(id))));
  }

  void output(String id, String line) {
    if (!line.isBlank()) {
      lastLine.put(id, line);
    }
  }

  synchronized void ended(String id, TaskState state, Instant now) {
    Busy b = busy.remove(id);
    if (state == TaskState.PENDING) {
      return; // retried, or stopped: it starts again in this run or on resume
    }
    lastLine.remove(id);
    if (b == null && state == TaskState.FAILED && succeededIds.remove(id)) {
      // a checkpoint's revert undid its work after it succeeded
      succeeded--;
      failed++;
      return;
    }
    double est = graph.minutes(index.get(id));
    remainingEstMinutes = Math.max(0, remainingEstMinutes - est);
    switch (state) {
      case SUCCEEDED, SKIPPED -> {
        succeeded++;
        succeededIds.add(id);
        if (b != null) {
          doneEstMinutes += est;
          doneActualMinutes += Duration.between(b.since(), now).toMillis() / 60_000.0;
        }
      }
      case FAILED -> failed++;
      case BLOCKED -> blocked++;
      case PENDING, RUNNING -> {}
    }
  }

  synchronized void blocked(String id) {
    blocked++;
    remainingEstMinutes = Math.max(0, remainingEstMinutes - graph.minutes(index.get(id)));
  }

  int succeeded() {
    return succeeded;
  }

  int failed() {
    return failed;
  }

  int blocked() {
    return blocked;
  }

  int running() {
    return busy.size();
  }

  int pending() {
    return Math.max(0, total() - succeeded - failed - blocked - busy.size());
  }

  List<Busy> busy() {
    List<Busy> list = new ArrayList<>(busy.values());
    list.sort(Comparator.comparingInt(Busy::slot));
    return list;
  }

  String lastLine(String id) {
    return lastLine.getOrDefault(id, "");
  }

  /**
   * Time left: the estimated work left spread over the agents, scaled by how actual durations
   * compared with estimates so far. Null until one task has finished.
   */
  Duration eta() {
    if (doneEstMinutes <= 0) {
      return null;
    }
    double factor = doneActualMinutes / doneEstMinutes;
    double minutes = remainingEstMinutes / Math.max(1, agents) * factor;
    return Duration.ofMillis((long) (minutes * 60_000));
  }
}
