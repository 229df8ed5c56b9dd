package dev.braid.cli;

import dev.braid.observe.DirectoryWatch;
import dev.braid.plan.TaskState;
import dev.braid.store.AttemptRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.RunStatus;
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
      description = "Keep printing new output until the attempt ends.")
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
      AttemptRecord chosen = find(store, run);
      Path log = Path.of(chosen.logPath());
      long offset = 0;
      try (DirectoryWatch watch = follow ? new DirectoryWatch(log.getParent()) : null) {
        while (true) {
          offset = copy(log, offset, out);
          if (!follow || !running(store, run, chosen)) {
            copy(log, offset, out); // what was written between the last copy and the end
            break;
          }
          watch.await(Duration.ofSeconds(1));
        }
      }
      if (offset == 0) {
        explainNothing(store, run, chosen, log);
      }
    }
    return ExitCodes.OK;
  }

  /**
   * The log gave nothing: braid-spawn creates a log with a task's first output, so a silent task
   * has none, and a log that is gone reads the same. The output's size, recorded at the end, tells
   * them apart.
   */
  private void explainNothing(Store store, RunRecord run, AttemptRecord chosen, Path log) {
    PrintWriter err = spec.commandLine().getErr();
    AttemptRecord a =
        store.attempts(run.runId(), taskId).stream()
            .filter(x -> x.attempt() == chosen.attempt())
            .findFirst()
            .orElse(chosen);
    String which = "attempt " + a.attempt();
    if (running(store, run, a)) {
      err.println("braid: " + taskId + " has printed nothing yet (" + which + " is running)");
      return;
    }
    Long printed = a.outputBytes();
    if (printed == null) {
      err.println(
          "braid: "
              + taskId
              + " "
              + which
              + " left nothing in "
              + log
              + " (its output was not counted: it printed nothing, or the log was lost)");
    } else if (printed == 0) {
      err.println(
          "braid: "
              + taskId
              + " printed nothing ("
              + which
              + (a.reason() == null ? "" : ", " + a.reason())
              + ")");
    } else {
      throw new UserException(
          "log of "
              + taskId
              + " "
              + which
              + " is "
              + (Files.exists(log) ? "empty" : "missing")
              + ": "
              + log
              + " (it printed "
              + printed
              + (printed == 1 ? " byte)" : " bytes)"));
    }
  }

  private AttemptRecord find(Store store, RunRecord run) {
    List<AttemptRecord> mine =
        store.attempts(run.runId()).stream().filter(a -> a.taskId().equals(taskId)).toList();
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

  private static boolean running(Store store, RunRecord run, AttemptRecord a) {
    // A run whose runner is gone reads as crashed: its attempts stay "running" in the record.
    if (store.run(run.runId()).map(r -> r.status() != RunStatus.RUNNING).orElse(true)) {
      return false;
    }
    return store.attempts(run.runId()).stream()
        .anyMatch(
            x ->
                x.taskId().equals(a.taskId())
                    && x.attempt() == a.attempt()
                    && x.state() == TaskState.RUNNING);
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
