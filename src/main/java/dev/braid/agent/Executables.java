package dev.braid.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs the way a shell would, without running one. */
public final class Executables {

  private Executables() {}

  /**
   * The executable file {@code program} names: itself when it contains a slash (relative to {@code
   * baseDir}), else the first match in the {@code PATH} directories.
   */
  public static Optional<Path> find(String program, String path, Path baseDir) {
    try {
      if (program.indexOf('/') >= 0) {
        Path p = baseDir.resolve(program);
        return runnable(p) ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
      }
      if (path == null || program.isEmpty()) {
        return Optional.empty();
      }
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue; // an empty entry means "the current directory": never for agents
        }
        Path p = Path.of(dir, program);
        if (runnable(p)) {
          return Optional.of(p);
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static boolean runnable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
