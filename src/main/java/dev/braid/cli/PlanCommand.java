package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.PlanMetrics;
import dev.braid.manifest.ManifestException;
import dev.braid.observe.Json;
import dev.braid.observe.PlanView;
import dev.braid.plan.Forecast;
import dev.braid.plan.Recommendation;
import dev.braid.plan.TaskGraph;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "plan",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Predict a run: execution groups, a schedule from the real scheduler on estimates, a"
            + " Gantt, makespan and savings.")
final class PlanCommand implements Callable<Integer>, SharedOptions.User {

  final PlanFileOption plan = new PlanFileOption();

  @Override
  public List<SharedOptions> sharedOptions() {
    return List.of(plan);
  }

  @Option(
      names = {"-j", "--agents"},
      paramLabel = "N",
      description = "Agents (tasks at once). Default: the plan's recommendation.")
  Integer agents;

  @Option(
      names = "--format",
      description = "text, json, markdown or mermaid (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  OutputFormat format;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    if (agents != null && agents < 1) {
      throw new UserException("--agents must be at least 1, got " + agents);
    }
    CheckedPlan checked = plan.load();
    print(spec.commandLine().getOut(), checked, plan.resolve().toString(), agents, format);
    return ExitCodes.OK;
  }

  static void print(
      PrintWriter out, CheckedPlan checked, String name, Integer agents, OutputFormat format) {
    TaskGraph graph = TaskGraph.of(checked);
    Recommendation recommended = Recommendation.of(graph);
    PlanMetrics metrics =
        PlanMetrics.compute(checked.manifest(), checked.graph(), checked.conflicts(), recommended);
    int n = agents != null ? agents : recommended.agents();
    Forecast forecast = Forecast.of(graph, n);
    PlanView view = new PlanView(name, graph, forecast, metrics, recommended);
    switch (format) {
      case text -> out.print(view.text());
      case json -> out.println(Json.write(view.json()));
      case markdown -> out.print(view.markdown());
      case mermaid -> out.print(view.mermaid());
    }
  }
}
