package dev.braid.manifest;

import java.util.List;
import java.util.Map;

/**
 * The tasks a plan in another notation marks done, which its reader leaves out of the plan ({@link
 * PlanDraft}), and what the open tasks wrote about them: their dependencies and conflicts as in the
 * file, for the tasks where naming a done task changed them (a dependency on a done task is
 * replaced by that task's own, a conflict with one is dropped).
 *
 * <p>A run hashes each task {@link #asWritten}: the done marks Braid writes back after a task
 * succeeds change which tasks are left out, and so the dependencies of the tasks after them, but
 * not what the user wrote.
 *
 * @param ids the tasks the file marks done, in file order
 * @param dependsOn by task id, its dependencies as written, where they differ from the plan's
 * @param conflictsWith by task id, its conflicts as written, where they differ from the plan's
 */
public record DoneTasks(
    List<String> ids,
    Map<String, List<String>> dependsOn,
    Map<String, List<String>> conflictsWith) {

  public static final DoneTasks NONE = new DoneTasks(List.of(), Map.of(), Map.of());

  public DoneTasks {
    ids = List.copyOf(ids);
    dependsOn = Map.copyOf(dependsOn);
    conflictsWith = Map.copyOf(conflictsWith);
  }

  /** {@code task} with its dependencies and conflicts as the file writes them. */
  public Task asWritten(Task task) {
    List<String> deps = dependsOn.get(task.id());
    List<String> conflicts = conflictsWith.get(task.id());
    Task t = deps == null ? task : task.withDependsOn(deps);
    return conflicts == null ? t : t.withConflictsWith(conflicts);
  }
}
