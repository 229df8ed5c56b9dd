package dev.braid.git;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one task works: its own checkout {@code dir} on branch {@code branch}, created from the
 * integration head {@code base}.
 */
public record TaskWorktree(String taskId, String branch, Path dir, String base) {

  public TaskWorktree {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(base, "base");
  }
}
