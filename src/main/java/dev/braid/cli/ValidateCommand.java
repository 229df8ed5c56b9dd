package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.ManifestException;
import dev.braid.observe.DiagnosticsView;
import dev.braid.observe.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    description =
        "Check a plan: syntax, ids, dependencies, cycles and the parallel-metadata rules.")
final class ValidateCommand implements Callable<Integer> {

  @Mixin PlanFileOption plan = new PlanFileOption();

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
    try {
      CheckedPlan checked = CheckedPlan.load(file, plan.strict);
      diagnostics = checked.warnings();
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
            + tasks
            + (tasks == 1 ? " task" : " tasks")
            + (diagnostics.isEmpty()
                ? ""
                : ", "
                    + diagnostics.size()
                    + (diagnostics.size() == 1 ? " warning" : " warnings")));
    return ExitCodes.OK;
  }
}
