package dev.braid.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** What {@code braid clean} removes: the worktrees and branches runs left behind. */
final class Cleanup {

  private Cleanup() {}

  /**
   * Removes the worktrees under {@code worktrees} (of one run, or all when {@code runId} is null)
   * and their task branches. An integration branch is deleted when a branch of the user's holds it
   * already, or when {@code integrationBranches}; otherwise it is kept and reported.
   */
  static CleanReport clean(
      Repository repo, Path worktrees, String runId, boolean integrationBranches) {
    Git git = repo.git();
    Path root = worktrees.toAbsolutePath().normalize();
    Path scope = runId == null ? root : root.resolve(BranchNames.component(runId));
    List<Path> removed = new ArrayList<>();
    for (Repository.WorktreeEntry e : repo.worktrees()) {
      if (e.path().startsWith(scope) && !e.path().equals(repo.root())) {
        git.check("worktree", "remove", "--force", e.path().toString());
        removed.add(e.path());
      }
    }
    if (Files.exists(scope)) {
      deleteTree(scope);
    }
    git.check("worktree", "prune");
    List<String> deleted = new ArrayList<>();
    String taskPrefix = runId == null ? BranchNames.TASK_PREFIX : BranchNames.taskNamespace(runId);
    for (String b : repo.branches(taskPrefix)) {
      git.check("branch", "-D", "-q", b);
      deleted.add(b);
    }
    List<String> kept = new ArrayList<>();
    List<String> integrations =
        runId == null
            ? repo.branches(BranchNames.INTEGRATION_PREFIX)
            : repo.hasIntegration(runId) ? List.of(BranchNames.integration(runId)) : List.of();
    for (String b : integrations) {
      if (integrationBranches || heldByUserBranch(repo, b)) {
        git.check("branch", "-D", "-q", b);
        deleted.add(b);
      } else {
        kept.add(b);
      }
    }
    return new CleanReport(removed, deleted, kept);
  }

  private static boolean heldByUserBranch(Repository repo, String branch) {
    List<String> holders =
        repo.git()
            .check(
                "for-each-ref",
                "--format=%(refname:lstrip=2)",
                "--contains",
                "refs/heads/" + branch,
                "refs/heads/")
            .out()
            .lines()
            .toList();
    return holders.stream()
        .anyMatch(
            h ->
                !h.startsWith(BranchNames.INTEGRATION_PREFIX)
                    && !h.startsWith(BranchNames.TASK_PREFIX));
  }

  /** Deletes a directory and everything below it, without following links. */
  static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
