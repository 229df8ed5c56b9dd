package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.Counts;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.ManifestWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "convert",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Write a plan of any format (tasks.md, tasks.json, micro-tasks, checklist) as a Braid"
            + " manifest. Tasks already done are left out.")
final class ConvertCommand implements Callable<Integer>, SharedOptions.User {

  enum Target {
    yaml,
    json
  }

  final PlanFileOption plan = new PlanFileOption();

  final CommandOption command = new CommandOption();

  @Override
  public List<SharedOptions> sharedOptions() {
    return List.of(plan, command);
  }

  @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "yaml or json.")
  Target to;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of to standard output.")
  Path output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    ManifestReader.Result read = plan.read();
    var manifest =
        command.command() == null
            ? read.manifest()
            : read.manifest().withDefaultCommand(command.command());
    CheckedPlan checked = CheckedPlan.check(manifest, read.warnings(), plan.strict());
    String text =
        switch (to) {
          case yaml -> ManifestWriter.toYaml(checked.manifest());
          case json -> ManifestWriter.toJson(checked.manifest());
        };
    Output.write(spec.commandLine().getOut(), output, text);
    if (!read.alreadyDone().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "braid: left out "
                  + Counts.count(read.alreadyDone().size(), "task")
                  + " already done: "
                  + String.join(", ", read.alreadyDone()));
    }
    return ExitCodes.OK;
  }
}
