package dev.braid.observe;

import dev.braid.agent.Doctor;
import dev.braid.agent.ProfileCheck;
import java.util.List;

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
    b.append(checks.size())
        .append(checks.size() == 1 ? " agent: " : " agents: ")
        .append(checks.size() - missing)
        .append(" ok");
    if (missing > 0) {
      b.append(", ").append(missing).append(" missing");
    }
    return b.append('\n').toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
