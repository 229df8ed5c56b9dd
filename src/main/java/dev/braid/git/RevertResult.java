package dev.braid.git;

import java.util.List;

/** What {@link Integration#prepareRevert} made of a list of changes to undo. */
public sealed interface RevertResult {

  /**
   * Revert commits were made on top of {@code before}, one per change, in order; {@code head} is
   * the last. The integration branch has not moved: {@link Integration#advance} moves it.
   */
  record Prepared(String before, String head, List<String> commits) implements RevertResult {
    public Prepared {
      commits = List.copyOf(commits);
    }
  }

  /**
   * Undoing change {@code index} of the list would conflict in {@code files} with what the
   * integration branch holds; nothing was changed.
   */
  record Conflicted(int index, List<String> files) implements RevertResult {
    public Conflicted {
      files = List.copyOf(files);
    }
  }
}
