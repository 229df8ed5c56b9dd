package dev.braid.cli;

import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ScopeEdit;
import dev.braid.manifest.Task;
import dev.braid.observe.IntegrationReport;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "scopes",
    description =
        "Declared file_scope against the files each task really changed in a run (worktree"
            + " isolation records them). --suggest proposes additions; --write puts them in the"
            + " plan.")
final class ScopesCommand implements Callable<Integer> {

  @Mixin RunSelection selection = new RunSelection();

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A run id.")
  String run;

  @Option(names = "--suggest", description = "Propose file_scope additions that cover the changes.")
  boolean suggest;

  @Option(names = "--write", description = "With --suggest: add them to the plan file.")
  boolean write;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    if (write && !suggest) {
      throw new UserException("--write needs --suggest");
    }
    PrintWriter out = spec.commandLine().getOut();
    RunRecord record;
    IntegrationReport git;
    try (Store store = selection.open()) {
      record = selection.run(store, run);
      git =
          IntegrationReport.from(store, record.runId())
              .orElseThrow(
                  () ->
                      new UserException(
                          "run "
                              + record.runId()
                              + " ran without worktree isolation, so its changes are unknown"));
    }
    Path planFile = Path.of(record.manifestPath());
    CheckedPlan plan = CheckedPlan.load(planFile, false);
    if (!suggest) {
      for (Task t : plan.manifest().tasks()) {
        git.tasks().stream()
            .filter(g -> g.taskId().equals(t.id()) && g.committed())
            .findFirst()
            .ifPresent(
                g -> {
                  out.println(t.id() + ": declared " + list(t.fileScope()));
                  out.println("  changed " + list(g.changed()));
                  if (!g.outOfScope().isEmpty()) {
                    out.println("  out of scope " + list(g.outOfScope()));
                  }
                });
      }
      return ExitCodes.OK;
    }
    Map<String, List<String>> additions = git.scopeSuggestions(plan.manifest());
    boolean frozenChanged = false;
    for (Task t : plan.manifest().tasks()) {
      frozenChanged |=
          git.tasks().stream().anyMatch(g -> g.taskId().equals(t.id()) && !g.frozen().isEmpty());
      git.tasks().stream()
          .filter(g -> g.taskId().equals(t.id()) && !g.frozen().isEmpty())
          .findFirst()
          .ifPresent(
              g ->
                  out.println(
                      t.id()
                          + ": changed frozen "
                          + list(g.frozen())
                          + ": not added (frozen_files may not change; undo the change instead)"));
    }
    if (additions.isEmpty()) {
      out.println(
          frozenChanged
              ? "nothing to add to any file_scope in run " + record.runId()
              : "every task stayed within its file_scope in run " + record.runId());
      return ExitCodes.OK;
    }
    additions.forEach((id, add) -> out.println(id + ": add " + String.join(", ", add)));
    if (write) {
      try {
        String text = Files.readString(planFile);
        Map<String, List<String>> editable = new LinkedHashMap<>(additions);
        for (String id : ScopeEdit.aliased(text, plan.manifest(), additions.keySet())) {
          editable.remove(id);
          out.println(id + ": its file_scope is a YAML alias other tasks may share; add by hand");
        }
        if (editable.isEmpty()) {
          return ExitCodes.OK;
        }
        Files.writeString(planFile, ScopeEdit.apply(text, plan.manifest(), editable));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      CheckedPlan.load(planFile, false); // the edit must leave a valid plan
      out.println("updated " + planFile);
    }
    return ExitCodes.OK;
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "(nothing)" : String.join(", ", items);
  }
}
