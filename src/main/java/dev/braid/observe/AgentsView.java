package dev.braid.observe;

import dev.braid.agent.AgentReport;
import dev.braid.agent.Doctor;
import dev.braid.agent.ProfileCheck;
import dev.braid.run.AgentWork;
import dev.braid.run.Resumption;
import dev.braid.run.RunService;
import java.util.List;
import java.util.Locale;
import java.util.Set;

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
    return dryRun(tasks, null);
  }

  /**
   * The same for a run that would resume {@code resume} (null: a new run): which run, what stays
   * done and why the others run, then only the tasks that would run.
   */
  public static String dryRun(List<AgentWork.Preview> tasks, RunService.Resume resume) {
    StringBuilder b = new StringBuilder();
    if (resume != null) {
      if (resume.nothingToDo()) {
        return "braid: every task of run "
            + resume.runId()
            + " already succeeded; a run would do nothing (--fresh runs the plan again)\n";
      }
      Resumption r = resume.resumption();
      b.append("braid: would resume run ")
          .append(resume.runId())
          .append(" (--fresh starts a new one): ")
          .append(Numbers.count(r.alreadyDone(), "task"))
          .append(r.alreadyDone() == 1 ? " stays done" : " stay done")
          .append('\n');
      r.notes().forEach(n -> b.append("  ").append(n).append('\n'));
      if (resume.toLand()) {
        b.append("  its work is not landed yet: --land lands it\n");
      }
      b.append('\n');
      Set<String> done = r.doneIds();
      tasks = tasks.stream().filter(p -> !done.contains(p.taskId())).toList();
    }
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
