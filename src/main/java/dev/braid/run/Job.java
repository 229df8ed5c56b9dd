package dev.braid.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One attempt of one task, as handed to an {@link Executor}. Task ids reach the command only
 * through {@code env}, never through its text.
 *
 * @param lines receives each output line as it arrives, on an executor thread
 * @param timeout null for none
 * @param idleTimeout null for none: how long the job may print nothing
 */
public record Job(
    String taskId,
    int attempt,
    int slot,
    Command command,
    Path workDir,
    Map<String, String> env,
    Path logFile,
    Duration timeout,
    Duration idleTimeout,
    Consumer<String> lines) {

  public Job {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(workDir, "workDir");
    env = Map.copyOf(env);
    Objects.requireNonNull(logFile, "logFile");
    lines = lines == null ? line -> {} : lines;
  }
}
