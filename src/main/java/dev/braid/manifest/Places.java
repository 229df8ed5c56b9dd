package dev.braid.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where a plan's run works and keeps its state, when the user does not say. */
public final class Places {

  /** The state directory's name, at the repository root or beside the plan. */
  public static final String STATE_DIR = ".braid";

  private Places() {}

  /** The root of the git repository holding {@code dir}, if any (found without running git). */
  public static Optional<Path> repoRoot(Path dir) {
    for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Where a plan's commands run: its repository's root, else the plan's directory. */
  public static Path workDir(Path plan) {
    Path dir = planDir(plan);
    return repoRoot(dir).orElse(dir);
  }

  /** {@code .braid/} at the plan's repository root, else beside the plan. */
  public static Path stateDir(Path plan) {
    return workDir(plan).resolve(STATE_DIR);
  }

  /** The state directory for commands given no plan: the current repository's, else here. */
  public static Path stateDirHere() {
    Path here = Path.of("").toAbsolutePath();
    return repoRoot(here).orElse(here).resolve(STATE_DIR);
  }

  private static Path planDir(Path plan) {
    Path parent = plan.toAbsolutePath().normalize().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }
}
