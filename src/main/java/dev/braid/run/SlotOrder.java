package dev.braid.run;

import dev.braid.plan.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells a slot's next task to the listener only after the end of the task that held the slot before
 * it, with whatever the next one printed meanwhile. The engine learns of a queued task's start
 * before the end of the task whose slot it took (braid-spawn reports them in that order, so that
 * the slot is never seen free), and tells an end only once it is committed: told as they come, a
 * console would show {@code start B [1]} before {@code ok A}, as if two tasks had shared a slot, or
 * a task that runs alone had overlapped another. Likewise a short queued task's output can be read
 * before the turn that hears of its start: it waits for the start. The recorded times are right
 * either way; this only orders what people are told.
 *
 * <p>Starts and ends come on the engine's thread, output from executor threads: synchronized.
 */
final class SlotOrder extends ForwardingRunListener {

  /** A task held back: its start, then what it printed, to be told in that order. */
  private record Held(String taskId, int slot, List<Runnable> calls) {}

  private final Map<Integer, String> holders = new HashMap<>(); // slot -> task told as running
  private final Map<String, Integer> slots = new HashMap<>(); // task -> its slot, while told
  private final Map<Integer, ArrayDeque<Held>> waiting = new HashMap<>(); // slot -> held, in order
  private final Map<String, Held> held = new HashMap<>(); // task -> its calls, while held
  private final Set<String> running = new HashSet<>(); // tasks told as started, not yet ended
  private final Map<String, List<String>> early = new HashMap<>(); // output before its start

  SlotOrder(RunListener inner) {
    super(inner);
  }

  @Override
  public synchronized void taskStarted(String taskId, int attempt, int slot) {
    if (slot > 0 && holders.containsKey(slot)) {
      Held h = new Held(taskId, slot, new ArrayList<>());
      h.calls().add(() -> started(taskId, attempt, slot));
      List<String> lines = early.remove(taskId);
      if (lines != null) {
        lines.forEach(line -> h.calls().add(() -> inner.taskOutput(taskId, line)));
      }
      held.put(taskId, h);
      waiting.computeIfAbsent(slot, s -> new ArrayDeque<>()).add(h);
      return;
    }
    started(taskId, attempt, slot);
  }

  private void started(String taskId, int attempt, int slot) {
    if (slot > 0) {
      holders.put(slot, taskId);
      slots.put(taskId, slot);
    }
    running.add(taskId);
    inner.taskStarted(taskId, attempt, slot);
    List<String> lines = early.remove(taskId);
    if (lines != null) {
      lines.forEach(line -> inner.taskOutput(taskId, line));
    }
  }

  @Override
  public synchronized void taskOutput(String taskId, String line) {
    Held h = held.get(taskId);
    if (h != null) {
      h.calls().add(() -> inner.taskOutput(taskId, line));
    } else if (!running.contains(taskId)) {
      // A queued task's output can be read before the engine's turn that hears of its start.
      early.computeIfAbsent(taskId, t -> new ArrayList<>()).add(line);
    } else {
      inner.taskOutput(taskId, line);
    }
  }

  @Override
  public synchronized void taskEnded(
      String taskId, TaskState state, JobResult result, String reason) {
    unhold(taskId);
    inner.taskEnded(taskId, state, result, reason);
    left(taskId);
  }

  @Override
  public synchronized void taskStopped(String taskId, JobResult result, String reason) {
    unhold(taskId);
    inner.taskStopped(taskId, result, reason);
    left(taskId);
  }

  @Override
  public synchronized void runEnded(RunSummary summary) {
    // Nothing should be held by now; whatever is, is told before the summary.
    for (ArrayDeque<Held> q : waiting.values()) {
      q.forEach(h -> tell(h));
    }
    waiting.clear();
    early.forEach((task, lines) -> lines.forEach(line -> inner.taskOutput(task, line)));
    early.clear();
    inner.runEnded(summary);
  }

  /**
   * A task ending while still held (what held its slot before it has not ended, in what was told):
   * told now, after every task held before it for the same slot.
   */
  private void unhold(String taskId) {
    Held h = held.get(taskId);
    if (h != null) {
      ArrayDeque<Held> q = waiting.get(h.slot());
      Held next;
      do {
        next = q.poll();
        tell(next);
      } while (next != h);
      if (q.isEmpty()) {
        waiting.remove(h.slot());
      }
    }
  }

  /** The task no longer holds its slot: the next task held for it is told, and holds it. */
  private void left(String taskId) {
    running.remove(taskId);
    Integer slot = slots.remove(taskId);
    if (slot == null || !taskId.equals(holders.get(slot))) {
      return;
    }
    holders.remove(slot);
    ArrayDeque<Held> q = waiting.get(slot);
    if (q != null) {
      tell(q.poll());
      if (q.isEmpty()) {
        waiting.remove(slot);
      }
    }
  }

  private void tell(Held h) {
    held.remove(h.taskId());
    h.calls().forEach(Runnable::run); // its start first, then what it printed
  }
}
