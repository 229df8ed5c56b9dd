package dev.braid.plan;

import java.util.List;

/**
 * When each task starts and ends, in minutes from the start of the run, and in which agent slot.
 */
public record Schedule(List<Entry> entries, double makespanMinutes) {

  public Schedule {
    entries = List.copyOf(entries);
  }

  /** One task's place in the schedule. */
  public record Entry(int task, String taskId, double start, double end, int slot) {}
}
