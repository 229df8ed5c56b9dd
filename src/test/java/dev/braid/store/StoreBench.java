package dev.braid.store;

import dev.braid.plan.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * By hand, not a test: the cost per task of {@code taskStarted + taskEnded + 2 events}, committed
 * one write at a time, one transaction per task, or N tasks per transaction.
 *
 * <pre>java -cp target/test-classes:target/classes:$(deps) dev.braid.store.StoreBench [tasks] [dir]
 * </pre>
 */
final class StoreBench {

  private StoreBench() {}

  public static void main(String[] args) throws IOException {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path root = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("braid-bench");
    int[] batches = {0, 1, 10, 100, 1000};
    // Warm up the JIT on a small run of every mode first.
    for (int batch : batches) {
      measure(root.resolve("warm-" + batch), 2_000, batch);
    }
    System.out.printf("%d tasks, %s%n", tasks, root);
    for (int batch : batches) {
      double[] r = measure(root.resolve("run-" + batch), tasks, batch);
      System.out.printf(
          "%-28s putTasks %6.1f µs/task   start+end+2 events %7.1f µs/task%n",
          batch == 0 ? "autocommit (4 commits/task)" : batch + " task(s)/transaction", r[0], r[1]);
    }
  }

  /** µs per task for putTasks, then for the four writes. */
  private static double[] measure(Path dir, int n, int batch) {
    try (Store store = Store.open(dir)) {
      String run = store.newRunId(Instant.now());
      store.createRun(RunRecord.starting(run, "tasks.yaml", "h", 8, Instant.now(), "{}"));
      List<TaskRecord> defs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        defs.add(TaskRecord.pending(run, "TASK-" + i, "sha256:" + Integer.toHexString(i * 31)));
      }
      long t0 = System.nanoTime();
      store.putTasks(run, defs);
      long t1 = System.nanoTime();
      if (batch == 0) {
        for (int i = 0; i < n; i++) {
          one(store, run, i);
        }
      } else {
        for (int i = 0; i < n; i += batch) {
          int from = i;
          store.transaction(
              () -> {
                for (int j = from; j < Math.min(n, from + batch); j++) {
                  one(store, run, j);
                }
              });
        }
      }
      long t2 = System.nanoTime();
      if (store.tasks(run).stream().anyMatch(t -> t.state() != TaskState.SUCCEEDED)) {
        throw new IllegalStateException("not all tasks ended");
      }
      return new double[] {(t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n};
    }
  }

  private static void one(Store store, String run, int i) {
    String task = "TASK-" + i;
    Instant now = Instant.now();
    store.taskStarted(run, task, 1, i % 8, now, ".braid/logs/" + task + ".1.log");
    store.appendEvent(run, now, "task.started", task, "{\"slot\":" + (i % 8) + "}");
    store.taskEnded(run, task, 1, now, 0, TaskState.SUCCEEDED, null);
    store.appendEvent(run, now, "task.ended", task, "{\"exit\":0,\"ms\":1234}");
  }
}
