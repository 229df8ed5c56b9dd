package dev.braid.git;

/** What {@link Repository#land} did. */
public sealed interface LandResult {

  /** The target branch now points at {@code commit}; by fast-forward or by a merge commit. */
  record Landed(String commit, boolean fastForward) implements LandResult {}

  /** The target branch holds the integration branch already. */
  record UpToDate(String commit) implements LandResult {}

  /** Nothing was changed, for {@code reason}. */
  record Refused(String reason) implements LandResult {}
}
