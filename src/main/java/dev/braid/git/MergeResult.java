package dev.braid.git;

import java.util.List;

/** What happened when a task's work was brought into the integration branch. */
public sealed interface MergeResult {

  /** The integration branch moved from {@code before} to {@code after}. */
  record Merged(String before, String after) implements MergeResult {}

  /** Nothing to bring in: the task changed nothing, or its work is there already. */
  record UpToDate(String head) implements MergeResult {}

  /**
   * The merge would conflict in {@code files}; nothing was changed: the integration branch stayed
   * at {@code head} and the task's branch keeps its work.
   */
  record Conflicted(String head, List<String> files) implements MergeResult {
    public Conflicted {
      files = List.copyOf(files);
    }
  }
}
