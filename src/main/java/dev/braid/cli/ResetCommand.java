package dev.braid.cli;

import dev.braid.plan.TaskState;
import dev.braid.store.LockedException;
import dev.braid.store.RunLock;
import dev.braid.store.RunRecord;
import dev.braid.store.RunStatus;
import dev.braid.store.Store;
import dev.braid.store.TaskRecord;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "reset",
    description =
        "Put tasks of the latest run (or --run RUN) back to pending, so the next `braid run`"
            + " runs them again.")
final class ResetCommand implements Callable<Integer> {

  /** The audit trail's record of a reset. */
  static final String TASK_RESET = "task.reset";

  @Mixin RunSelection selection = new RunSelection();

  @Parameters(arity = "1..*", paramLabel = "TASK", description = "Task ids.")
  List<String> taskIds;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    var dir = selection.recordedStateDir();
    RunLock lock;
    try {
      lock = Store.lock(dir);
    } catch (LockedException e) {
      throw new UserException(e.getMessage() + "; reset tasks once it has ended");
    }
    try (lock;
        Store store = Store.open(dir)) {
      RunRecord run = selection.run(store, null);
      Map<String, TaskRecord> tasks = new LinkedHashMap<>();
      store.tasks(run.runId()).forEach(t -> tasks.put(t.taskId(), t));
      // `reset A A` resets A once: a second move from pending to pending is no transition
      List<String> ids = List.copyOf(new LinkedHashSet<>(taskIds));
      for (String id : ids) {
        if (!tasks.containsKey(id)) {
          boolean removed =
              store.removedTasks(run.runId()).stream().anyMatch(t -> t.taskId().equals(id));
          throw new UserException(
              removed
                  ? id
                      + " is no longer in the plan of run "
                      + run.runId()
                      + ": nothing would run it"
                  : "run " + run.runId() + " has no task '" + id + "'");
        }
        if (tasks.get(id).state() == TaskState.RUNNING) {
          throw new UserException(id + " is recorded as running; `braid run` recovers it");
        }
      }
      boolean reopens =
          (run.status() == RunStatus.SUCCEEDED || run.status() == RunStatus.FAILED)
              && ids.stream().anyMatch(id -> tasks.get(id).state() != TaskState.PENDING);
      store.transaction(
          () -> {
            for (String id : ids) {
              TaskState was = tasks.get(id).state();
              if (was != TaskState.PENDING) {
                store.setTaskState(run.runId(), id, TaskState.PENDING, "reset");
              }
              store.appendEventData(
                  run.runId(), Instant.now(), TASK_RESET, id, Map.of("was", was.label()));
            }
            if (reopens) {
              // A run with a task to do again has not finished: it no longer claims how it
              // ended, and reads as stopped until the next `braid run` resumes it.
              store.finishRun(
                  run.runId(),
                  RunStatus.INTERRUPTED,
                  run.endedAt() != null ? run.endedAt() : Instant.now());
            }
          });
      for (String id : ids) {
        out.println(
            "reset " + id + " (was " + tasks.get(id).state().label() + ") in run " + run.runId());
      }
    }
    return ExitCodes.OK;
  }
}
