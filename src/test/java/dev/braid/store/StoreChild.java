package dev.braid.store;

import dev.braid.plan.TaskState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A second process for the lock and crash tests; it reports on stdout, one line per fact, and
 * flushes after each so the test can wait on its lines.
 *
 * <ul>
 *   <li>{@code hold DIR}: takes the lock, prints {@code locked}, holds it until stdin closes.
 *   <li>{@code try DIR}: prints {@code locked} or {@code busy <message>}, then exits.
 *   <li>{@code write DIR RUN}: takes the lock, then ends task after task, each in one transaction
 *       with its events, printing {@code ended <task>} after each commit, until killed.
 * </ul>
 */
final class StoreChild {

  private StoreChild() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[1]);
    switch (args[0]) {
      case "hold" -> {
        try (RunLock lock = Store.lock(dir)) {
          say("locked " + lock.pid());
          while (System.in.read() >= 0) {
            // Hold until the parent closes our stdin (or kills us).
          }
        }
      }
      case "try" -> {
        try (RunLock lock = Store.lock(dir)) {
          say("locked " + lock.pid());
        } catch (LockedException e) {
          say("busy " + e.getMessage());
        }
      }
      case "write" -> write(dir, args[2]);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void write(Path dir, String runId) {
    try (RunLock lock = Store.lock(dir);
        Store store = Store.open(dir)) {
      store.createRun(RunRecord.starting(runId, "tasks.yaml", "h", 4, Instant.now(), null));
      say("started " + lock.pid());
      for (int i = 0; ; i++) {
        String task = "T" + i;
        int slot = i % 4;
        store.transaction(
            () -> {
              store.putTasks(runId, List.of(TaskRecord.pending(runId, task, "d" + task)));
              Instant now = Instant.now();
              store.taskStarted(runId, task, 1, slot, now, "logs/" + task + ".log");
              store.appendEvent(runId, now, "task.started", task, null);
              store.taskEnded(runId, task, 1, now, 0, TaskState.SUCCEEDED, null);
              store.appendEvent(runId, now, "task.ended", task, "{\"exit\":0}");
            });
        say("ended " + task);
      }
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
