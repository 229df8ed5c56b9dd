package dev.braid.observe;

import dev.braid.agent.AgentReport;
import dev.braid.manifest.Durations;
import dev.braid.plan.TaskState;
import dev.braid.run.JobResult;
import dev.braid.run.RunInfo;
import dev.braid.run.RunSummary;
import java.io.PrintWriter;

/**
 * One line per event, for logs and CI: output lines prefixed with the task id, state changes as
 * single lines. Thread-safe: output lines come from several threads.
 */
public final class PlainConsole implements Consoles.Console {

  private final PrintWriter out;
  private final boolean color;
  private final boolean showOutput;

  public PlainConsole(PrintWriter out, boolean color, boolean showOutput) {
    // Not the caller's autoflush: a line of a burst of starts and ends is written when its engine
    // turn ends (turnEnded), a line of anything else when it is printed.
    this.out = new PrintWriter(out, false);
    this.color = color;
    this.showOutput = showOutput;
  }

  @Override
  public synchronized void runStarted(RunInfo run) {
    out.println(RunLines.started(run));
    out.flush();
  }

  @Override
  public synchronized void taskStarted(String taskId, int attempt, int slot) {
    out.println(
        "start    " + taskId + " [" + slot + "]" + (attempt > 1 ? " attempt " + attempt : ""));
  }

  @Override
  public synchronized void taskOutput(String taskId, String line) {
    if (showOutput) {
      out.println(taskId + " | " + line);
      out.flush();
    }
  }

  @Override
  public synchronized void taskEnded(
      String taskId, TaskState state, JobResult result, String reason) {
    String word =
        switch (state) {
          case SUCCEEDED -> paint("ok      ", Ansi.GREEN);
          case FAILED -> paint("FAILED  ", Ansi.RED);
          case PENDING -> paint("retry   ", Ansi.YELLOW);
          case BLOCKED -> paint("blocked ", Ansi.YELLOW);
          case SKIPPED -> "skipped ";
          case RUNNING -> "running ";
        };
    line(word, taskId, result, reason);
  }

  @Override
  public synchronized void taskStopped(String taskId, JobResult result, String reason) {
    line(paint("stopped ", Ansi.YELLOW), taskId, result, reason);
  }

  private void line(String word, String taskId, JobResult result, String reason) {
    String took = result == null ? "" : " (" + Durations.human(result.duration()) + ")";
    out.println(word + " " + taskId + took + (reason == null ? "" : ": " + reason));
  }

  @Override
  public synchronized void taskAgentReport(String taskId, AgentReport report) {
    out.println("agent    " + taskId + ": " + AgentsView.report(report));
    out.flush();
  }

  @Override
  public synchronized void taskBlocked(String taskId, String blockedBy) {
    out.println(paint("blocked ", Ansi.YELLOW) + " " + taskId + ": depends on " + blockedBy);
  }

  /** Starts, ends and blocks are written once per engine turn: one write for a burst of them. */
  @Override
  public synchronized void turnEnded() {
    out.flush();
  }

  @Override
  public synchronized void note(String message) {
    out.println("braid: " + message);
    out.flush();
  }

  @Override
  public synchronized void runEnded(RunSummary summary) {
    out.println(RunLines.ended(summary));
    out.flush();
  }

  private String paint(String s, String code) {
    return color ? code + s + Ansi.RESET : s;
  }

  @Override
  public synchronized void close() {
    out.flush();
  }
}
