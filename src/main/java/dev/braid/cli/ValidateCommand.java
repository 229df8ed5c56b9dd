package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.PlanFormat;
import dev.braid.observe.DiagnosticsView;
import dev.braid.observe.Json;
import dev.braid.observe.Numbers;
import dev.braid.run.AgentWork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    modelTransformer = SharedOptions.Add.class,
    description =
        "Check a plan: syntax, ids, dependencies, cycles, the parallel-metadata rules, agent"
            + " profiles and prompt templates.")
final class ValidateCommand implements Callable<Integer>, SharedOptions.User {

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
    Path file = plan.resolve();
    if (format != OutputFormat.text && format != OutputFormat.json) {
      throw new UserException("validate prints text or json, not " + format);
    }
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    List<Diagnostic> diagnostics;
    boolean valid;
    int tasks = 0;
    ManifestReader.Result read = null;
    try {
      read = plan.read();
      CheckedPlan checked = CheckedPlan.check(read.manifest(), read.warnings(), plan.strict());
      diagnostics = agentsChecked(checked);
      tasks = checked.manifest().tasks().size();
      valid = true;
    } catch (ManifestException e) {
      if (format == OutputFormat.text) {
        throw e;
      }
      diagnostics = e.diagnostics();
      valid = false;
    }
    if (format == OutputFormat.json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", file.toString());
      m.put("valid", valid);
      m.put("tasks", tasks);
      if (read != null) {
        m.put("format", read.format().label());
        m.put("already_done", read.alreadyDone());
      }
      m.put("diagnostics", DiagnosticsView.json(diagnostics));
      out.println(Json.write(m));
      return valid ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }
    for (Diagnostic d : diagnostics) {
      err.println(d);
    }
    out.println(
        file
            + ": ok, "
            + Numbers.count(tasks, "task")
            + formatNote(read)
            + (diagnostics.isEmpty() ? "" : ", " + Numbers.count(diagnostics.size(), "warning")));
    return ExitCodes.OK;
  }

  /**
   * The plan's warnings, with what {@code braid run} checks of its agent tasks before it starts
   * (each task's profile, every prompt template) whatever its options: an error there fails
   * validation too. Tasks without an agent are not checked as agent tasks, as {@code --agent} may
   * name any profile.
   */
  private static List<Diagnostic> agentsChecked(CheckedPlan checked) throws ManifestException {
    List<Diagnostic> all = new ArrayList<>(checked.warnings());
    try {
      all.addAll(AgentWork.of(checked, null, System.getenv()).warnings());
      return all;
    } catch (ManifestException e) {
      all.addAll(e.diagnostics());
      all.sort(
          Comparator.comparing((Diagnostic d) -> String.valueOf(d.location().file()))
              .thenComparingInt(d -> d.location().line())
              .thenComparingInt(d -> d.location().column()));
      throw new ManifestException(all);
    }
  }

  /** {@code (spec-kit, 3 already done)} for plans in another notation. */
  private static String formatNote(ManifestReader.Result read) {
    if (read.format() == PlanFormat.BRAID && read.alreadyDone().isEmpty()) {
      return "";
    }
    int done = read.alreadyDone().size();
    return " (" + read.format().label() + (done == 0 ? "" : ", " + done + " already done") + ")";
  }
}
