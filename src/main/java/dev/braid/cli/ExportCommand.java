package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.export.ExportFormat;
import dev.braid.export.Exporter;
import dev.braid.manifest.ManifestException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(
    name = "export",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Hand the plan to another runner or draw it: a Makefile for make -j, a GitHub Actions"
            + " workflow, a Mermaid or Graphviz graph, or the plan with its conflicts and run"
            + " order as JSON or YAML.")
final class ExportCommand implements Callable<Integer>, SharedOptions.User {

  final PlanFileOption plan = new PlanFileOption();

  final CommandOption command = new CommandOption();

  @Override
  public List<SharedOptions> sharedOptions() {
    return List.of(plan, command);
  }

  @Option(
      names = "--to",
      required = true,
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      completionCandidates = FormatConverter.Labels.class,
      description = "${COMPLETION-CANDIDATES}.")
  ExportFormat to;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of to standard output.")
  Path output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    CheckedPlan checked = plan.load(command.command());
    if (to == ExportFormat.GITHUB_ACTIONS && checked.manifest().tasks().isEmpty()) {
      // GitHub refuses a workflow without jobs; an empty Makefile or graph is still valid
      throw new UserException(
          "--to "
              + to.label()
              + ": "
              + plan.resolve().getFileName()
              + " has no task left to run, and a workflow needs at least one job");
    }
    String text;
    try {
      text =
          Exporter.export(
              checked,
              to,
              plan.resolve().getFileName().toString(),
              output == null ? null : output.toString());
    } catch (IllegalArgumentException e) {
      throw new UserException(
          "--to "
              + to.label()
              + ": "
              + e.getMessage()
              + "; give one with --command CMD (it gets the task id in BRAID_TASK_ID)");
    }
    Output.write(spec.commandLine().getOut(), output, text);
    return ExitCodes.OK;
  }

  static final class FormatConverter implements ITypeConverter<ExportFormat> {
    @Override
    public ExportFormat convert(String value) {
      return ExportFormat.byLabel(value)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "unknown format '"
                          + value
                          + "'; expected one of "
                          + String.join(", ", new Labels())));
    }

    static final class Labels implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        return Arrays.stream(ExportFormat.values()).map(ExportFormat::label).iterator();
      }
    }
  }
}
