package dev.braid.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.run.Engine;
import dev.braid.run.RunService;
import dev.braid.store.EventRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * What a run's events say beyond its task and attempt rows: its sessions (the first runner and each
 * resumption), the retries the engine scheduled, and each attempt's own run time.
 *
 * @param sessions in order; never empty
 * @param scheduledRetries attempts the engine started again under a task's {@code retries}
 * @param runTimes each ended attempt's own run time, as the console showed it: the process from
 *     launch to exit, without a worktree's set-up, commit and merge
 */
public record RunHistory(
    List<Session> sessions, int scheduledRetries, Map<Attempt, Duration> runTimes) {

  /** One runner's stretch of a run: from its start or resumption, with its agents. */
  public record Session(Instant startedAt, int agents) {}

  /** One attempt of one task. */
  public record Attempt(String taskId, int attempt) {}

  private static final List<String> TYPES =
      List.of(
          RunService.RUN_STARTED,
          RunService.RUN_RESUMED,
          Engine.TASK_RETRY,
          Engine.TASK_SUCCEEDED,
          Engine.TASK_FAILED,
          Engine.TASK_STOPPED);

  public RunHistory {
    if (sessions.isEmpty()) {
      throw new IllegalArgumentException("a run has at least one session");
    }
    sessions = List.copyOf(sessions);
    runTimes = Map.copyOf(runTimes);
  }

  /** A run known by its row only: one session with the run's agents. */
  public static RunHistory single(RunRecord run) {
    return new RunHistory(List.of(new Session(run.startedAt(), run.agents())), 0, Map.of());
  }

  public static RunHistory read(Store store, RunRecord run) {
    List<Session> sessions = new ArrayList<>();
    int retries = 0;
    Map<Attempt, Duration> runTimes = new HashMap<>();
    for (EventRecord e : store.events(run.runId(), TYPES)) {
      JsonNode data = data(e);
      switch (e.type()) {
        case RunService.RUN_STARTED, RunService.RUN_RESUMED -> {
          // Runs recorded before sessions kept their agents: the run's own.
          int agents = data.path("agents").asInt(run.agents());
          sessions.add(new Session(e.at(), agents < 1 ? run.agents() : agents));
        }
        default -> {
          if (e.type().equals(Engine.TASK_RETRY)) {
            retries++;
          }
          JsonNode seconds = data.get("seconds");
          if (e.taskId() != null && seconds != null && seconds.isNumber()) {
            runTimes.put(
                new Attempt(e.taskId(), data.path("attempt").asInt()),
                Duration.ofMillis(Math.round(seconds.asDouble() * 1000)));
          }
        }
      }
    }
    if (sessions.isEmpty()) {
      sessions.add(new Session(run.startedAt(), run.agents()));
    }
    return new RunHistory(sessions, retries, runTimes);
  }

  private static JsonNode data(EventRecord e) {
    if (e.dataJson() == null) {
      return Json.mapper().createObjectNode();
    }
    try {
      return Json.mapper().readTree(e.dataJson());
    } catch (JsonProcessingException ex) {
      return Json.mapper().createObjectNode(); // the store only takes valid JSON
    }
  }

  /** The index of the session during which something started at {@code at}. */
  int sessionAt(Instant at) {
    int s = 0;
    while (s + 1 < sessions.size() && !sessions.get(s + 1).startedAt().isAfter(at)) {
      s++;
    }
    return s;
  }

  /** "2 agents", or "2 agents, then 1" for a run resumed with fewer. */
  String agentsLabel() {
    return agentsLabel(s -> true);
  }

  /**
   * The same over the sessions {@code ran} holds (those that started tasks: a resumption that only
   * landed or ran a checkpoint used no agents); over all of them if it holds none.
   */
  String agentsLabel(IntPredicate ran) {
    List<Session> counted = new ArrayList<>();
    for (int i = 0; i < sessions.size(); i++) {
      if (ran.test(i)) {
        counted.add(sessions.get(i));
      }
    }
    if (counted.isEmpty()) {
      counted = sessions;
    }
    StringBuilder b = new StringBuilder(Numbers.count(counted.get(0).agents(), "agent"));
    int last = counted.get(0).agents();
    for (Session s : counted) {
      if (s.agents() != last) {
        b.append(", then ").append(s.agents());
        last = s.agents();
      }
    }
    return b.toString();
  }
}
