package dev.braid.cli;

import dev.braid.observe.Json;
import dev.braid.observe.RunReport;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    description =
        "What a run did: per task estimated against actual time and outcome; makespan, serial"
            + " time, savings, speedup, efficiency, retries, blockers, prediction error.")
final class ReportCommand implements Callable<Integer> {

  enum Format {
    text,
    markdown,
    json,
    junit
  }

  @Mixin RunSelection selection = new RunSelection();

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run id.")
  String run;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text, markdown, json or junit (default: ${DEFAULT-VALUE}).")
  Format format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = selection.open()) {
      RunReport report = RunReport.from(store, selection.run(store, run));
      switch (format) {
        case text -> out.print(report.text());
        case markdown -> out.print(report.markdown());
        case json -> out.println(Json.write(report.json()));
        case junit -> out.print(report.junit());
      }
    }
    return ExitCodes.OK;
  }
}
