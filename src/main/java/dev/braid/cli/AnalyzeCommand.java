package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.PlanMetrics;
import dev.braid.manifest.ManifestException;
import dev.braid.observe.AnalysisView;
import dev.braid.observe.Json;
import dev.braid.plan.Recommendation;
import dev.braid.plan.TaskGraph;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Derive conflicts (with reasons), the critical path, a parallelization score and the"
            + " recommended number of agents.")
final class AnalyzeCommand implements Callable<Integer>, SharedOptions.User {

  final PlanFileOption plan = new PlanFileOption();

  @Override
  public List<SharedOptions> sharedOptions() {
    return List.of(plan);
  }

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
    AnalysisView view = view(plan.resolve().toString(), checked);
    var out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      Json.write(out, view.json());
    } else {
      out.print(view.text());
    }
    return ExitCodes.OK;
  }

  /** Metrics scored with the recommendation, which simulates the plan with the real scheduler. */
  static AnalysisView view(String name, CheckedPlan checked) {
    Recommendation recommended = Recommendation.of(TaskGraph.of(checked));
    PlanMetrics metrics =
        PlanMetrics.compute(checked.manifest(), checked.graph(), checked.conflicts(), recommended);
    return new AnalysisView(name, checked, metrics, recommended);
  }
}
