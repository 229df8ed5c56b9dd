package dev.braid.agent;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Doctor} found for one agent profile a plan uses.
 *
 * @param tasks the ids of the tasks that use it, in plan order
 * @param executable where its program is, or null when it was not found
 * @param version the first line the program printed for its version, or null
 * @param problem why it cannot run, or null when it can
 */
public record ProfileCheck(
    AgentProfile profile, List<String> tasks, Path executable, String version, String problem) {

  public ProfileCheck {
    Objects.requireNonNull(profile, "profile");
    tasks = List.copyOf(tasks);
  }

  public boolean ok() {
    return problem == null;
  }
}
