package dev.braid.observe;

import dev.braid.manifest.Durations;
import dev.braid.plan.TaskState;
import dev.braid.run.RunInfo;
import dev.braid.run.RunSummary;

/** The run's first and last lines, worded the same in every view. */
final class RunLines {

  private RunLines() {}

  static String started(RunInfo run) {
    return "braid: run "
        + run.runId()
        + (run.resumed()
            ? " (resumed, " + (run.alreadyDone() + run.markedDone()) + " already done)"
            : "")
        + ": "
        // the run's tasks: those the file marks done since are out of the graph, not of the run
        + Numbers.count(run.graph().size() + run.markedDone(), "task")
        + ", "
        + Numbers.count(run.agents(), "agent");
  }

  static String ended(RunSummary summary) {
    return "braid: run "
        + summary.runId()
        + " "
        + summary.status().label()
        + " in "
        + Durations.human(summary.wall())
        + ": "
        + summary.counts().get(TaskState.SUCCEEDED)
        + " succeeded, "
        + summary.counts().get(TaskState.FAILED)
        + " failed, "
        + summary.counts().get(TaskState.BLOCKED)
        + " blocked, "
        + summary.counts().get(TaskState.PENDING)
        + " not run";
  }
}
