package dev.braid.git;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code braid clean} did: worktrees removed, branches deleted, and integration branches kept
 * because their work is on no branch of the user's yet.
 */
public record CleanReport(List<Path> worktrees, List<String> deletedBranches, List<String> kept) {

  public CleanReport {
    worktrees = List.copyOf(worktrees);
    deletedBranches = List.copyOf(deletedBranches);
    kept = List.copyOf(kept);
  }
}
