package dev.braid.git;

/** How a task's commits enter the integration branch. */
public enum MergeStrategy {
  /** A merge commit per task (never a fast-forward), so each task is one first-parent step. */
  MERGE,
  /** One new commit per task holding its whole change, message: task id and title. */
  SQUASH,
  /** The task's commits replayed on the integration head: a linear history. */
  REBASE
}
