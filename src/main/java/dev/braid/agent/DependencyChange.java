package dev.braid.agent;

import java.util.List;
import java.util.Objects;

/**
 * What a finished dependency changed, for the prompt of a task that builds on it: its commit
 * message and the files the commit touched. Supplied by whoever knows the commits (the run's git
 * layer); a dependency without one is listed in the prompt by id and title only.
 */
public record DependencyChange(String taskId, String commitMessage, List<String> files) {

  public DependencyChange {
    Objects.requireNonNull(taskId, "taskId");
    commitMessage = commitMessage == null ? "" : commitMessage.strip();
    files = List.copyOf(files);
  }
}
