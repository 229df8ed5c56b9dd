package dev.braid.run;

import java.util.ArrayList;
import java.util.List;

/**
 * One turn of the engine for several events that a thread delivers together: braid-spawn's replies
 * come in bursts when tasks are short (a read of the pipe often holds the ends and starts of
 * several), and a turn per reply paid the store's commit, the console's flush and the scheduler's
 * look-ahead once per task. While a thread is in {@link #deliver}, a post to the engine queues the
 * event and asks for its turn afterwards, once.
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
    }
    after.forEach(Runnable::run);
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
