package dev.braid.run;

import dev.braid.agent.AgentReport;
import dev.braid.manifest.WriteBack;
import dev.braid.plan.TaskState;
import java.io.IOException;

/**
 * Passes every event on to {@code inner} and, when a task succeeds, marks it done in the plan file
 * it came from ({@link WriteBack}). A file that cannot be written is reported as a note; the run
 * goes on.
 */
public final class WriteBackListener implements RunListener {

  private final RunListener inner;
  private final WriteBack writeBack;

  public WriteBackListener(RunListener inner, WriteBack writeBack) {
    this.inner = inner;
    this.writeBack = writeBack;
  }

  @Override
  public void runStarted(RunInfo run) {
    inner.runStarted(run);
  }

  @Override
  public void taskStarted(String taskId, int attempt, int slot) {
    inner.taskStarted(taskId, attempt, slot);
  }

  @Override
  public void taskOutput(String taskId, String line) {
    inner.taskOutput(taskId, line);
  }

  @Override
  public void taskEnded(String taskId, TaskState state, JobResult result, String reason) {
    if (state == TaskState.SUCCEEDED) {
      try {
        writeBack.markDone(taskId);
      } catch (IOException | RuntimeException e) {
        inner.note("could not mark " + taskId + " done in the plan file: " + e.getMessage());
      }
    }
    inner.taskEnded(taskId, state, result, reason);
  }

  @Override
  public void taskAgentReport(String taskId, AgentReport report) {
    inner.taskAgentReport(taskId, report);
  }

  @Override
  public void taskBlocked(String taskId, String blockedBy) {
    inner.taskBlocked(taskId, blockedBy);
  }

  @Override
  public void note(String message) {
    inner.note(message);
  }

  @Override
  public void runEnded(RunSummary summary) {
    inner.runEnded(summary);
  }
}
