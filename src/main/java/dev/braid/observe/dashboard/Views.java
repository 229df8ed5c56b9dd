package dev.braid.observe.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What the page reads, as JSON (Jackson, snake_case). Times are epoch milliseconds. Tasks are
 * referred to by their position in {@link RunDetail#tasks()} where a list of them would be long.
 */
final class Views {

  private Views() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RunRow(
      String runId, String status, String manifest, int agents, long startedAt, Long endedAt) {}

  /**
   * A task as last recorded, with its estimate and title from the plan when it can be read.
   *
   * @param level its dependency depth in the plan, for the graph; 0 without a plan
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record TaskRow(
      String taskId,
      String title,
      String state,
      int attempts,
      Integer slot,
      Long startedAt,
      Long endedAt,
      Integer exitCode,
      String reason,
      Double estMinutes,
      int level) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record AttemptRow(
      String taskId,
      int attempt,
      int slot,
      long startedAt,
      Long endedAt,
      Integer exitCode,
      String state,
      String reason) {}

  /** Edges of the plan graph as pairs of task positions: {@code [from, to]}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Graph(List<int[]> dependsOn, List<int[]> conflicts) {}

  /**
   * Everything the page draws for one run.
   *
   * @param lastSeq the newest event of the store before this was read: the live stream resumes
   *     after it
   * @param graph null when the plan cannot be read ({@code planProblem} says why)
   * @param report the run's report ({@code braid report --format json}) without its task list
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record RunDetail(
      long lastSeq,
      long now,
      RunRow run,
      List<TaskRow> tasks,
      List<AttemptRow> attempts,
      Graph graph,
      String planProblem,
      JsonNode report) {

    RunDetail at(long lastSeq, long now) {
      return new RunDetail(lastSeq, now, run, tasks, attempts, graph, planProblem, report);
    }
  }

  /** The plan's side of a task. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record PlanTask(
      String title,
      String description,
      String command,
      String agent,
      List<String> dependsOn,
      List<ConflictView> conflicts,
      List<String> fileScope,
      double estMinutes,
      String risk,
      int priority,
      int retries,
      String timeout) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record ConflictView(String taskId, String reasons) {}

  /** One audit-trail entry with its data as the runner wrote it, whatever its fields. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record EventView(long seq, String runId, long at, String type, String taskId, JsonNode data) {}

  /**
   * A task's detail.
   *
   * @param prompt the prompt an agent task was given in this run (its start, when long), or null
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record TaskDetail(
      RunRow run,
      TaskRow task,
      PlanTask plan,
      String planProblem,
      String prompt,
      List<AttemptRow> attempts,
      List<EventView> events) {}

  /**
   * A live update: an event, and the task it is about as it stands now; for run events the run, and
   * its report once it is over (pushed, since {@code braid run --dashboard} stops serving right
   * after).
   *
   * @param attempts every attempt of that task
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Update(
      EventView event, TaskRow task, List<AttemptRow> attempts, RunRow run, JsonNode report) {}

  /** A chunk of a log; {@code skipped} bytes before it were left out (the start of a long log). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record LogChunk(String text, long offset, long skipped) {}

  /**
   * The end of a log stream: the attempt is over.
   *
   * @param empty when the log gave nothing, why ({@link dev.braid.observe.EmptyLog.Kind#label}:
   *     silent, uncounted or lost), else null
   * @param note that reason for people, as {@code braid logs} says it, else null
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record LogEnd(int attempt, String empty, String note) {}
}
