package dev.braid.run;

import dev.braid.agent.AgentReport;
import dev.braid.plan.TaskState;

/**
 * What a run tells the people watching it. Called on the engine's thread, except {@link
 * #taskOutput}, which comes from executor threads.
 */
public interface RunListener {

  default void runStarted(RunInfo run) {}

  default void taskStarted(String taskId, int attempt, int slot) {}

  default void taskOutput(String taskId, String line) {}

  /**
   * A task reached a final state, or PENDING again when a retry is scheduled; or FAILED after
   * SUCCEEDED, with a null result, when a failing integration checkpoint reverted its work.
   */
  default void taskEnded(String taskId, TaskState state, JobResult result, String reason) {}

  /**
   * A task ended while the run was stopping ({@code --fail-fast}, {@code --on-conflict stop}, a
   * budget, Ctrl-C), whether Braid stopped it or it ended by itself: it is PENDING again, not
   * retried in this run, and runs again when the run is resumed.
   */
  default void taskStopped(String taskId, JobResult result, String reason) {}

  default void taskBlocked(String taskId, String blockedBy) {}

  /**
   * What an agent task's agent said about its work (summary, cost, tokens, turns), right after
   * {@link #taskEnded} for its attempt. For agent tasks, {@link #taskOutput} carries the agent's
   * current activity rather than its raw output.
   */
  default void taskAgentReport(String taskId, AgentReport report) {}

  /** One line of news: a retry, a held start, a signal. */
  default void note(String message) {}

  default void runEnded(RunSummary summary) {}

  /**
   * What one turn of the engine had to tell has been told: a console that holds back its lines (one
   * write per turn instead of one per line) writes them now.
   */
  default void turnEnded() {}

  RunListener NONE = new RunListener() {};
}
