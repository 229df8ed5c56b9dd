package dev.braid.observe.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.braid.store.EventRecord;
import dev.braid.store.Store;
import dev.braid.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * {@code /api/events}: the audit trail of every run, pushed as Server-Sent Events as the runner
 * appends it. A client resumes after the {@code seq} of its {@code Last-Event-ID} (or {@code
 * ?after=}), so it gets each event once; each event comes with its task as it stands now.
 */
final class EventStream implements HttpHandler {

  private static final int PAGE = 500;
  private static final long KEEP_ALIVE_NANOS = 15_000_000_000L;

  private final Path stateDir;
  private final ReadModel model;
  private final Changes changes;

  EventStream(Path stateDir, ReadModel model, Changes changes) {
    this.stateDir = stateDir;
    this.model = model;
    this.changes = changes;
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    if (!x.getRequestURI().getRawPath().equals("/api/events")) {
      Http.notFound(x);
      return;
    }
    String resume = x.getRequestHeaders().getFirst("Last-Event-ID");
    long after =
        Http.number(resume != null ? resume : Http.query(x.getRequestURI()).get("after"), 0);
    OutputStream out = Http.startEvents(x);
    Store store = null;
    try {
      long quietSince = System.nanoTime();
      while (true) {
        long generation = changes.generation();
        // After close, one last read: what the runner wrote before it stopped still goes out.
        boolean last = changes.isClosed();
        if (store == null) {
          try {
            store = Stores.open(stateDir).orElse(null);
          } catch (StoreException notYet) {
            // a runner is creating the database: read it at the next change
          }
        }
        if (store != null) {
          List<EventRecord> page = store.events(after, PAGE);
          var plans = new HashMap<String, PlanCache.Found>();
          for (EventRecord e : page) {
            Http.event(out, Long.toString(e.seq()), "update", model.update(store, e, plans));
            after = e.seq();
          }
          if (!page.isEmpty()) {
            out.flush();
            quietSince = System.nanoTime();
            if (page.size() == PAGE) {
              continue;
            }
          }
        }
        if (last) {
          return;
        }
        if (System.nanoTime() - quietSince > KEEP_ALIVE_NANOS) {
          Http.keepAlive(out);
          quietSince = System.nanoTime();
        }
        changes.await(generation);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (store != null) {
        store.close();
      }
      out.close();
      x.close();
    }
  }
}
