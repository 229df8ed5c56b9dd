package dev.braid.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Follows one agent's output: keeps its current activity for the live view and, when it ends, its
 * {@link AgentReport}. Feed it every output line in order ({@link #onLine}, from the one thread
 * that reads the output); {@link #activity()} may be read from any thread. A line it cannot read is
 * a warning in the report, never a failure of the task.
 */
public final class AgentMonitor {

  /** Warnings kept word for word; the rest are only counted. */
  static final int KEPT_WARNINGS = 5;

  /** Longest summary kept. */
  static final int MAX_SUMMARY = 4000;

  private final String agent;
  private final OutputParser parser;
  private final Consumer<String> onActivity;

  private volatile String activity = "";
  private String lastMessage;
  private AgentEvent.Result result;
  private Tokens turnTokens = Tokens.ZERO;
  private int turnCount;
  private final List<String> warnings = new ArrayList<>();
  private int warningCount;

  /**
   * @param workDir the task's directory: paths inside it are shown relative to it
   * @param onActivity called with each new activity, on the thread that calls {@link #onLine}; it
   *     must be quick
   */
  public AgentMonitor(AgentProfile profile, Path workDir, Consumer<String> onActivity) {
    this(profile.name(), profile.parser(), workDir, onActivity);
  }

  public AgentMonitor(String agent, ParserKind parser, Path workDir, Consumer<String> onActivity) {
    this.agent = Objects.requireNonNull(agent, "agent");
    this.parser = OutputParser.of(parser, workDir);
    this.onActivity = onActivity == null ? a -> {} : onActivity;
  }

  /** One line of the agent's output, without its terminator. */
  public void onLine(String line) {
    List<AgentEvent> events;
    try {
      events = parser.parse(line);
    } catch (RuntimeException e) {
      // A parser bug must not fail the agent's task: the line is still in the log.
      events = List.of(new AgentEvent.Problem("could not read a line: " + e));
    }
    String shown = null;
    synchronized (this) {
      for (AgentEvent event : events) {
        switch (event) {
          case AgentEvent.Activity a -> {
            if (!a.text().isBlank() && !a.text().equals(activity)) {
              activity = a.text();
              shown = a.text();
            }
          }
          case AgentEvent.Message m -> lastMessage = m.text();
          case AgentEvent.TurnUsage u -> {
            turnTokens = turnTokens.plus(u.tokens());
            turnCount++;
          }
          case AgentEvent.Result r -> result = r;
          case AgentEvent.Problem p -> {
            warningCount++;
            if (warnings.size() < KEPT_WARNINGS) {
              warnings.add(p.message());
            }
          }
        }
      }
    }
    if (shown != null) {
      onActivity.accept(shown);
    }
  }

  /** What the agent is doing now; empty before its first output. */
  public String activity() {
    return activity;
  }

  /** The agent's account so far; complete once its output has ended. */
  public synchronized AgentReport report() {
    String summary =
        result != null && result.summary() != null && !result.summary().isBlank()
            ? result.summary()
            : lastMessage;
    Tokens tokens = result != null && result.tokens() != null ? result.tokens() : null;
    Integer turns = result != null ? result.turns() : null;
    if (tokens == null && turnCount > 0) {
      tokens = turnTokens;
    }
    if (turns == null && turnCount > 0) {
      turns = turnCount;
    }
    return new AgentReport(
        agent,
        summary == null ? "" : Text.shorten(summary, MAX_SUMMARY),
        result == null ? null : result.costUsd(),
        tokens,
        turns,
        result != null && result.error(),
        warnings,
        warningCount);
  }
}
