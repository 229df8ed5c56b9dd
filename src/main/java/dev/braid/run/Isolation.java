package dev.braid.run;

import dev.braid.git.MergeStrategy;
import java.util.Objects;

/**
 * How a run keeps tasks apart in git: {@code braid run --isolation --merge --on-conflict
 * --strict-scope --land --stash}.
 *
 * @param mode worktree per task, none, or worktree when the plan lives in a repository with a
 *     commit
 * @param merge how task work enters the integration branch
 * @param onConflict what a task whose work would conflict does
 * @param strictScope fail tasks that change files outside their {@code file_scope}
 * @param land merge the integration branch into the starting branch when every task succeeded
 * @param stash stash the user's uncommitted changes instead of refusing to start
 */
public record Isolation(
    Mode mode,
    MergeStrategy merge,
    OnConflict onConflict,
    boolean strictScope,
    boolean land,
    boolean stash) {

  /** Where tasks run. */
  public enum Mode {
    /** {@link #WORKTREE} inside a git repository that has a commit, else {@link #NONE}. */
    AUTO,
    WORKTREE,
    NONE
  }

  /** What happens to a task whose work would conflict with the integration branch. */
  public enum OnConflict {
    /** Run it again, alone, on the current integration head (the seeds' sequential fallback). */
    RETRY,
    /** Fail it and start no more tasks; running ones finish. */
    STOP,
    /** Fail it and go on. */
    SKIP
  }

  public static final Isolation DEFAULT =
      new Isolation(Mode.AUTO, MergeStrategy.MERGE, OnConflict.RETRY, false, false, false);

  public static final Isolation NONE =
      new Isolation(Mode.NONE, MergeStrategy.MERGE, OnConflict.RETRY, false, false, false);

  public Isolation {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(merge, "merge");
    Objects.requireNonNull(onConflict, "onConflict");
  }
}
