package dev.braid.run;

import dev.braid.agent.AgentReport;
import dev.braid.plan.TaskState;

/**
 * Passes every event on to another listener; subclasses override what they add. Forwarding lives
 * here once, so a method added to {@link RunListener} reaches every wrapped listener.
 */
public abstract class ForwardingRunListener implements RunListener {

  protected final RunListener inner;

  protected ForwardingRunListener(RunListener inner) {
    this.inner = inner;
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
    inner.taskEnded(taskId, state, result, reason);
  }

  @Override
  public void taskStopped(String taskId, JobResult result, String reason) {
    inner.taskStopped(taskId, result, reason);
  }

  @Override
  public void taskBlocked(String taskId, String blockedBy) {
    inner.taskBlocked(taskId, blockedBy);
  }

  @Override
  public void taskAgentReport(String taskId, AgentReport report) {
    inner.taskAgentReport(taskId, report);
  }

  @Override
  public void note(String message) {
    inner.note(message);
  }

  @Override
  public void turnEnded() {
    inner.turnEnded();
  }

  @Override
  public void runEnded(RunSummary summary) {
    inner.runEnded(summary);
  }
}
