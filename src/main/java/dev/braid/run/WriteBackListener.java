package dev.braid.run;

import dev.braid.manifest.WriteBack;
import dev.braid.plan.TaskState;
import java.io.IOException;

/**
 * Passes every event on to {@code inner} and, when a task succeeds, marks it done in the plan file
 * it came from ({@link WriteBack}). A file that cannot be written is reported as a note; the run
 * goes on.
 */
public final class WriteBackListener extends ForwardingRunListener {

  private final WriteBack writeBack;
  // marked done by this listener: the engine's thread only
  private final java.util.Set<String> marked = new java.util.HashSet<>();

  public WriteBackListener(RunListener inner, WriteBack writeBack) {
    super(inner);
    this.writeBack = writeBack;
  }

  @Override
  public void taskEnded(String taskId, TaskState state, JobResult result, String reason) {
    if (state == TaskState.SUCCEEDED) {
      try {
        if (writeBack.markDone(taskId)) {
          marked.add(taskId);
        }
      } catch (IOException | RuntimeException e) {
        inner.note("could not mark " + taskId + " done in the plan file: " + e.getMessage());
      }
    }
    inner.taskEnded(taskId, state, result, reason);
    if (state == TaskState.FAILED && marked.remove(taskId)) {
      // a checkpoint's revert undid its work after it was marked done
      inner.note(
          taskId
              + " stays marked done in the plan file, but its work was reverted: unmark it there"
              + " so that the next run does it again");
    }
  }
}
