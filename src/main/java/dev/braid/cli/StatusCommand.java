package dev.braid.cli;

import dev.braid.observe.Json;
import dev.braid.observe.RunReport;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Where the latest run (or --run RUN) stands, per task.")
final class StatusCommand implements Callable<Integer> {

  @Mixin RunSelection selection = new RunSelection();

  @Option(
      names = "--json",
      description =
          "As JSON: {run_id, status, counts, tasks: [{task_id, status}]}; tasks that left the"
              + " plan in removed_tasks, in no count; stopped_by_checkpoint {number, after,"
              + " outcome, culprit, log} when a failed checkpoint stopped the run.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = selection.open()) {
      RunReport report = RunReport.from(store, selection.run(store, null));
      if (json) {
        out.println(Json.write(report.json()));
      } else {
        out.print(report.statusText(Instant.now()));
      }
    }
    return ExitCodes.OK;
  }
}
