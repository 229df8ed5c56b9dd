package dev.braid.git;

/** What {@link Repository#land} did. */
public sealed interface LandResult {

  /** The target branch now points at {@code commit}; by fast-forward or by a merge commit. */
  record Landed(String commit, boolean fastForward) implements LandResult {}

  /** The target branch holds the integration branch already. */
  record UpToDate(String commit) implements LandResult {}

  /**
   * Nothing was changed, for {@code reason} (in the user's words, not git's); {@code later} says
   * how to land it by hand, naming the exact command.
   */
  record Refused(String reason, String later) implements LandResult {}
}
