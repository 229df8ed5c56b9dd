package dev.braid.run;

import java.util.ArrayList;
import java.util.List;

/**
 * One turn of the engine for several events that a thread delivers together: braid-spawn's replies
 * come in bursts when tasks are short (a read of the pipe often holds the ends and starts of
 * several), and a turn per reply paid the store's commit, the console's flush and the scheduler's
 * look-ahead once per task. While a thread is in {@link #deliver}, the engine gathers what it is
 * posted and takes it as one batch afterwards, in one turn: a turn on another thread meanwhile
 * cannot split a read (a task's end from the start of the next task in its slot).
 */
final class Batches {

  private static final ThreadLocal<List<Runnable>> AFTER = new ThreadLocal<>();

  private Batches() {}

  /** Runs {@code deliveries}, then each action {@link #defer}red meanwhile, once, in order. */
  static void deliver(Runnable deliveries) {
    List<Runnable> after = new ArrayList<>(1);
    AFTER.set(after);
    try {
      deliveries.run();
    } finally {
      AFTER.remove();
      after.forEach(Runnable::run); // also after a failed delivery: what it posted is not lost
    }
  }

  /**
   * Whether this thread is delivering a batch; if so, {@code action} (compared by identity) runs
   * once after it.
   */
  static boolean defer(Runnable action) {
    List<Runnable> after = AFTER.get();
    if (after == null) {
      return false;
    }
    for (Runnable r : after) {
      if (r == action) {
        return true;
      }
    }
    after.add(action);
    return true;
  }
}
