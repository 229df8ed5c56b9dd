package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.PlanMetrics;
import dev.braid.manifest.ManifestException;
import dev.braid.observe.AnalysisView;
import dev.braid.observe.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    description =
        "Derive conflicts (with reasons), the critical path, a parallelization score and the"
            + " recommended number of agents.")
final class AnalyzeCommand implements Callable<Integer> {

  @Mixin PlanFileOption plan = new PlanFileOption();

  @Option(
      names = "--format",
      description = "text or json (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  OutputFormat format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    if (format != OutputFormat.text && format != OutputFormat.json) {
      throw new UserException("analyze prints text or json, not " + format);
    }
    CheckedPlan checked = plan.load();
    PlanMetrics metrics =
        PlanMetrics.compute(checked.manifest(), checked.graph(), checked.conflicts());
    AnalysisView view = new AnalysisView(plan.resolve().toString(), checked, metrics);
    var out = spec.commandLine().getOut();
    out.print(format == OutputFormat.json ? Json.write(view.json()) + "\n" : view.text());
    return ExitCodes.OK;
  }
}
