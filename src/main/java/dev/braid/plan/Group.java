package dev.braid.plan;

import java.util.List;

/**
 * An execution group in the seeds' sense: tasks that run side by side ({@code PARALLEL}) or one
 * after another ({@code SERIAL}); groups run one after another.
 *
 * @param minutes estimated time of the group with the given number of agents
 */
public record Group(Type type, List<Integer> tasks, double minutes) {

  public enum Type {
    PARALLEL,
    SERIAL
  }

  public Group {
    tasks = List.copyOf(tasks);
  }
}
