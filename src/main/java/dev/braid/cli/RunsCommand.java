package dev.braid.cli;

import dev.braid.observe.Json;
import dev.braid.observe.RunReport;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "The runs recorded in the state directory, newest first.")
final class RunsCommand implements Callable<Integer> {

  @Mixin RunSelection selection = new RunSelection();

  @Option(names = "--json", description = "As a JSON array of run summaries.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = selection.stateDir();
    var array = Json.mapper().createArrayNode();
    int listed = 0;
    // No runs yet is an empty list, not an error.
    if (Files.isRegularFile(dir.resolve(Store.DB_FILE))) {
      try (Store store = Store.openReadOnly(dir)) {
        for (RunRecord run : selection.runs(store)) {
          RunReport report = RunReport.summary(store, run);
          listed++;
          if (json) {
            var o = report.json();
            o.remove("tasks");
            array.add(o);
          } else {
            out.println(report.runLine());
          }
        }
      }
    }
    if (json) {
      out.println(Json.write(array));
    } else if (listed == 0) {
      // on stderr, like braid's other notes: stdout stays a list of runs, here an empty one
      spec.commandLine()
          .getErr()
          .println(
              "braid: no runs"
                  + (selection.plan != null ? " of " + selection.plan : "")
                  + " recorded in "
                  + dir
                  + " yet (braid run PLAN starts one)");
    }
    return ExitCodes.OK;
  }
}
