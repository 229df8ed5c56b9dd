package dev.braid.observe;

import dev.braid.agent.AgentReport;
import dev.braid.agent.Doctor;
import dev.braid.agent.ProfileCheck;
import dev.braid.run.AgentWork;
import java.util.List;
import java.util.Locale;

/** What {@code braid doctor} prints about the agents a plan uses. */
public final class AgentsView {

  private AgentsView() {}

  /** One line per agent, then a total. */
  public static String doctor(String plan, List<ProfileCheck> checks) {
    if (checks.isEmpty()) {
      return plan + ": no task runs an agent\n";
    }
    int width = checks.stream().mapToInt(c -> c.profile().name().length()).max().orElse(0);
    StringBuilder b = new StringBuilder();
    for (ProfileCheck c : checks) {
      b.append(c.ok() ? "ok       " : "MISSING  ")
          .append(pad(c.profile().name(), width))
          .append("  ");
      if (c.ok()) {
        b.append(c.executable());
        if (c.version() != null) {
          b.append("  ").append(c.version());
        }
      } else {
        b.append(c.problem());
      }
      if (!c.tasks().isEmpty()) {
        b.append("  (").append(Doctor.usedBy(c.tasks())).append(')');
      }
      b.append('\n');
    }
    long missing = checks.stream().filter(c -> !c.ok()).count();
    b.append(Numbers.count(checks.size(), "agent"))
        .append(": ")
        .append(checks.size() - missing)
        .append(" ok");
    if (missing > 0) {
      b.append(", ").append(missing).append(" missing");
    }
    return b.append('\n').toString();
  }

  /**
   * One line about an agent's report: {@code claude, 7 turns, 92,032 tokens, $0.1834: Added iat to
   * every token}.
   */
  public static String report(AgentReport r) {
    StringBuilder b = new StringBuilder(r.agent());
    if (r.turns() != null) {
      b.append(", ").append(Numbers.count(r.turns(), "turn"));
    }
    if (r.tokens() != null) {
      b.append(", ")
          .append(String.format(Locale.ROOT, "%,d", r.tokens().total()))
          .append(" tokens");
    }
    if (r.costUsd() != null) {
      b.append(", ").append(AgentWork.dollars(r.costUsd()));
    }
    if (r.agentError()) {
      b.append(", reported an error");
    }
    if (r.warningCount() > 0) {
      b.append(", ")
          .append(r.warningCount())
          .append(r.warningCount() == 1 ? " unreadable line" : " unreadable lines");
    }
    String summary = r.summary().strip();
    int nl = summary.indexOf('\n');
    String first = nl < 0 ? summary : summary.substring(0, nl);
    if (!first.isEmpty()) {
      b.append(": ").append(first.length() > 120 ? first.substring(0, 119) + "…" : first);
    }
    return b.toString();
  }

  /** {@code braid run --dry-run}: each task's command and, for agent tasks, its prompt. */
  public static String dryRun(List<AgentWork.Preview> tasks) {
    StringBuilder b = new StringBuilder();
    for (AgentWork.Preview p : tasks) {
      b.append("== ").append(p.taskId());
      if (p.agent() != null) {
        b.append("  (agent ").append(p.agent()).append(')');
      }
      b.append('\n');
      b.append("$ ").append(p.command() == null ? "(nothing to run)" : p.command()).append('\n');
      if (p.prompt() != null) {
        b.append("--- prompt ---\n").append(p.prompt());
        if (!p.prompt().endsWith("\n")) {
          b.append('\n');
        }
      }
      b.append('\n');
    }
    b.append(Numbers.count(tasks.size(), "task"))
        .append(", ")
        .append(tasks.stream().filter(p -> p.agent() != null).count())
        .append(" run by agents; nothing was run\n");
    return b.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
