package dev.braid.git;

import java.util.List;
import java.util.Objects;

/**
 * A task's work, committed: {@code head} is the tip of its branch ({@code base} when it changed
 * nothing) and {@code changedFiles} every path added, modified or deleted since {@code base}, in
 * git's order (a rename counts as both paths).
 */
public record TaskCommit(String base, String head, List<String> changedFiles) {

  public TaskCommit {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(head, "head");
    changedFiles = List.copyOf(changedFiles);
  }

  public boolean changedNothing() {
    return head.equals(base);
  }
}
