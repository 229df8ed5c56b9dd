package dev.braid.observe.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.braid.store.AttemptRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/runs}: the history, one run, one task, and a task's log. Every id in a path is looked
 * up in the store; anything unknown is 404.
 *
 * <pre>
 * /api/runs                                  every run with its report's figures
 * /api/runs/RUN                              the run: tasks, attempts, plan graph, report
 * /api/runs/RUN/tasks/TASK                   the task: plan fields, attempts, events
 * /api/runs/RUN/tasks/TASK/log?attempt=N     its log (default: latest attempt), plain text
 * /api/runs/RUN/tasks/TASK/log/stream        the same, live (Server-Sent Events)
 * </pre>
 */
final class RunsApi implements HttpHandler {

  static final String PATH = "/api/runs";

  private final Path stateDir;
  private final ReadModel model;
  private final LogTail logs;

  RunsApi(Path stateDir, ReadModel model, LogTail logs) {
    this.stateDir = stateDir;
    this.model = model;
    this.logs = logs;
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    Optional<List<String>> parsed = Http.segments(x.getRequestURI(), PATH);
    if (parsed.isEmpty()) {
      Http.notFound(x);
      return;
    }
    List<String> s = parsed.get();
    Optional<Store> opened = Stores.open(stateDir);
    if (opened.isEmpty()) {
      if (s.isEmpty()) {
        Http.json(x, List.of());
      } else {
        Http.notFound(x);
      }
      return;
    }
    try (Store store = opened.get()) {
      if (s.isEmpty()) {
        Http.json(x, model.history(store));
      } else if (s.size() == 1) {
        reply(x, model.run(store, s.get(0)));
      } else if (s.size() >= 3 && s.get(1).equals("tasks")) {
        task(x, store, s.get(0), s.get(2), s.subList(3, s.size()));
      } else {
        Http.notFound(x);
      }
    }
  }

  private void task(HttpExchange x, Store store, String runId, String taskId, List<String> rest)
      throws IOException {
    if (rest.isEmpty()) {
      reply(x, model.task(store, runId, taskId));
      return;
    }
    boolean whole = rest.equals(List.of("log"));
    boolean live = rest.equals(List.of("log", "stream"));
    if (!whole && !live) {
      Http.notFound(x);
      return;
    }
    String number = Http.query(x.getRequestURI()).get("attempt");
    Optional<AttemptRecord> a = LogTail.attempt(store, runId, taskId, number);
    if (a.isEmpty()) {
      Http.notFound(x);
    } else if (whole) {
      logs.whole(x, store, a.get());
    } else {
      logs.stream(x, store, a.get());
    }
  }

  private static void reply(HttpExchange x, Optional<?> view) throws IOException {
    if (view.isPresent()) {
      Http.json(x, view.get());
    } else {
      Http.notFound(x);
    }
  }
}
