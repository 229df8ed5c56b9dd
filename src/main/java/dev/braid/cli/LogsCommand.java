package dev.braid.cli;

import dev.braid.observe.DirectoryWatch;
import dev.braid.observe.EmptyLog;
import dev.braid.plan.TaskState;
import dev.braid.store.AttemptRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    description =
        "A task's output (its latest attempt unless --attempt); says so when it printed nothing,"
            + " and fails when its log is lost.")
final class LogsCommand implements Callable<Integer> {

  @Mixin RunSelection selection = new RunSelection();

  @Parameters(index = "0", paramLabel = "TASK", description = "The task id.")
  String taskId;

  @Option(names = "--attempt", paramLabel = "N", description = "Which attempt (default: latest).")
  Integer attempt;

  @Option(
      names = {"-f", "--follow"},
      description =
          "Keep printing new output while the run runs the task: waits for it to start, follows"
              + " its retries (with --attempt: until that attempt ends).")
  boolean follow;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = selection.open()) {
      RunRecord run = selection.run(store, null);
      if (store.task(run.runId(), taskId).isEmpty()) {
        throw new UserException("run " + run.runId() + " has no task '" + taskId + "'");
      }
      if (follow && attempt == null) {
        followTask(store, run, out);
        return ExitCodes.OK;
      }
      AttemptRecord chosen = find(store, run);
      Path log = Path.of(chosen.logPath());
      long offset = 0;
      try (DirectoryWatch watch = follow ? new DirectoryWatch(log.getParent()) : null) {
        while (true) {
          offset = copy(log, offset, out);
          if (!follow || !EmptyLog.running(store, chosen)) {
            copy(log, offset, out); // what was written between the last copy and the end
            break;
          }
          watch.await(Duration.ofSeconds(1));
        }
      }
      if (offset == 0) {
        explainNothing(store, chosen, log);
      }
    }
    return ExitCodes.OK;
  }

  /** The log gave nothing: says why, the way the dashboard does; a lost log fails. */
  private void explainNothing(Store store, AttemptRecord chosen, Path log) {
    EmptyLog why = EmptyLog.of(store, chosen, log);
    if (why.kind() == EmptyLog.Kind.LOST) {
      throw new UserException(why.message());
    }
    spec.commandLine().getErr().println("braid: " + why.message());
  }

  /**
   * {@code --follow} without {@code --attempt}: the task's output for as long as the run may still
   * run it. A task that has not started yet is waited for, and a retry's output follows the failed
   * attempt's, like {@code tail -F}; it ends once the task has ended for good or the run has.
   */
  private void followTask(Store store, RunRecord run, PrintWriter out) throws InterruptedException {
    AttemptRecord current = null;
    long offset = 0;
    // the state directory changes with every start and end; the log's directory with its output
    try (DirectoryWatch watch = new DirectoryWatch(store.stateDir())) {
      while (true) {
        // The run's and the task's state first, the attempts after: read in that order, a task
        // seen ended has its last attempt among them (a retry can start and end in one commit).
        // A runner killed outright leaves its run and attempt recorded as running: see the
        // process too.
        boolean live = store.run(run.runId()).map(RunRecord::live).orElse(false);
        boolean taskOngoing =
            store.task(run.runId(), taskId).map(t -> !t.state().isTerminal()).orElse(false);
        List<AttemptRecord> mine = store.attempts(run.runId(), taskId);
        AttemptRecord latest = mine.isEmpty() ? null : mine.get(mine.size() - 1);
        if (latest != null && (current == null || latest.attempt() != current.attempt())) {
          if (current != null) {
            copy(Path.of(current.logPath()), offset, out);
          }
          current = latest;
          offset = 0;
        }
        if (current != null) {
          watch.add(Path.of(current.logPath()).getParent());
          offset = copy(Path.of(current.logPath()), offset, out);
        }
        boolean ongoing = current != null && latest.state() == TaskState.RUNNING || taskOngoing;
        if (!live || !ongoing) {
          if (current == null) {
            throw new UserException(
                taskId + " has not started in run " + run.runId() + " (no log)");
          }
          offset = copy(Path.of(current.logPath()), offset, out); // written since the last copy
          if (offset == 0) {
            explainNothing(store, current, Path.of(current.logPath()));
          }
          return;
        }
        watch.await(Duration.ofSeconds(1));
      }
    }
  }

  private AttemptRecord find(Store store, RunRecord run) {
    List<AttemptRecord> mine = store.attempts(run.runId(), taskId);
    if (mine.isEmpty()) {
      throw new UserException(taskId + " has not started in run " + run.runId() + " (no log)");
    }
    if (attempt == null) {
      return mine.get(mine.size() - 1);
    }
    return mine.stream()
        .filter(a -> a.attempt() == attempt)
        .findFirst()
        .orElseThrow(
            () ->
                new UserException(
                    taskId + " has no attempt " + attempt + " (it has " + mine.size() + ")"));
  }

  /** Prints the log from {@code offset} on; returns the new offset. */
  private static long copy(Path log, long offset, PrintWriter out) {
    if (!Files.isRegularFile(log)) {
      return offset;
    }
    try (InputStream in = Files.newInputStream(log)) {
      in.skipNBytes(offset);
      byte[] bytes = in.readAllBytes();
      out.print(new String(bytes, StandardCharsets.UTF_8));
      out.flush();
      return offset + bytes.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
