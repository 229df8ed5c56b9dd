package dev.braid.cli;

import dev.braid.agent.PromptBuilder;
import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.ManifestReader;
import dev.braid.manifest.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "prompt",
    description =
        "Print the prompt an agent gets for a task: its template filled with the task's title,"
            + " description, acceptance criteria, file scope, related specs and checks.")
final class PromptCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "TASK", description = "The task's id.")
  String taskId;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PLAN",
      description =
          "The plan file, in any format Braid reads (detected by content). Default: braid.yaml,"
              + " braid.yml or braid.json.")
  Path file;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws ManifestException {
    Path path = PlanFileOption.resolve(file);
    ManifestReader.Result read = ManifestReader.read(path);
    CheckedPlan checked = CheckedPlan.check(read.manifest(), read.warnings(), false);
    Task task = checked.manifest().task(taskId).orElseThrow(() -> missing(path, read));
    PromptBuilder prompts = new PromptBuilder(checked.manifest(), PromptBuilder.specRoots(path));
    // Outside a run no dependency has committed anything yet: they are listed by id and title.
    spec.commandLine().getOut().print(prompts.render(task, List.of()));
    return ExitCodes.OK;
  }

  /** A task the file marks done is left out of the plan: say so, not that there is no such task. */
  private UserException missing(Path path, ManifestReader.Result read) {
    if (!read.alreadyDone().contains(taskId)) {
      return new UserException("no task '" + taskId + "' in " + path);
    }
    String undo =
        switch (read.format()) {
          case CHECKLIST, SPEC_KIT -> "uncheck it (- [ ])";
          case TASK_MASTER -> "set its status to pending";
          case BRAID, MICRO_TASKS -> "mark it not done";
        };
    return new UserException(
        "task '"
            + taskId
            + "' is already done in "
            + path
            + ", so the plan leaves it out; "
            + undo
            + " to run it again and see its prompt");
  }
}
