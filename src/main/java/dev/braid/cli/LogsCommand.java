package dev.braid.cli;

import dev.braid.observe.DirectoryWatch;
import dev.braid.observe.EmptyLog;
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
