package dev.braid.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.braid.manifest.Durations;
import dev.braid.run.Checkpoints;
import dev.braid.store.EventRecord;
import dev.braid.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The integration checkpoints of a run, from its {@code checkpoint.*} events. */
public record CheckpointReport(List<Entry> entries) {

  public static final CheckpointReport NONE = new CheckpointReport(List.of());

  public CheckpointReport {
    entries = List.copyOf(entries);
  }

  /**
   * One checkpoint.
   *
   * @param after what it came after: {@code wave 2}, {@code merge of api}, {@code 3 merges}, {@code
   *     end}
   * @param commit the integration commit it checked; null without worktree isolation
   * @param covers the tasks merged since the checkpoint before it
   * @param passed null while it runs, or when the run was stopped (or killed) during it
   * @param duration null while it runs
   * @param exitCode null unless it exited by itself
   * @param culprit for a failed checkpoint, the task whose merge broke it (found by bisecting the
   *     merges since the last passing checkpoint); null when unknown
   * @param revert what {@code --on-checkpoint-fail revert} did about a failed checkpoint; null when
   *     it was not asked to
   * @param onFail for a failed checkpoint, what {@code --on-checkpoint-fail} said to do ({@code
   *     stop}, {@code continue}, {@code revert}); null otherwise
   */
  public record Entry(
      int number,
      Instant startedAt,
      String after,
      String commit,
      List<String> covers,
      Boolean passed,
      String outcome,
      Duration duration,
      Integer exitCode,
      String log,
      String culprit,
      Revert revert,
      String onFail) {

    public Entry {
      covers = List.copyOf(covers);
    }

    Entry with(Revert r) {
      return new Entry(
          number, startedAt, after, commit, covers, passed, outcome, duration, exitCode, log,
          culprit, r, onFail);
    }

    String status() {
      if (passed != null) {
        return passed ? "passed" : "failed";
      }
      return outcome == null ? "unfinished" : "stopped";
    }
  }

  /**
   * A failed checkpoint's revert.
   *
   * @param commit the integration commit after the revert; null when it was not made
   * @param with the tasks reverted along with the culprit, built on its change
   * @param reason why it was not made; null when it was
   */
  public record Revert(String task, String commit, List<String> with, String reason) {
    public Revert {
      with = List.copyOf(with);
    }

    public boolean made() {
      return commit != null;
    }
  }

  public static CheckpointReport from(Store store, String runId) {
    List<EventRecord> events = new ArrayList<>();
    long after = 0;
    while (true) {
      List<EventRecord> page = store.events(runId, after, 10_000);
      events.addAll(page);
      if (page.size() < 10_000) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    return from(events);
  }

  static CheckpointReport from(List<EventRecord> events) {
    // numbered per session: a resumed run starts counting again, so entries key on the start event
    Map<Integer, Entry> open = new LinkedHashMap<>();
    List<Entry> all = new ArrayList<>();
    for (EventRecord e : events) {
      boolean started = e.type().equals(Checkpoints.STARTED);
      boolean passed = e.type().equals(Checkpoints.PASSED);
      boolean stopped = e.type().equals(Checkpoints.STOPPED);
      boolean reverted = e.type().equals(Checkpoints.REVERTED);
      boolean notReverted = e.type().equals(Checkpoints.NOT_REVERTED);
      if (!started
          && !passed
          && !stopped
          && !reverted
          && !notReverted
          && !e.type().equals(Checkpoints.FAILED)) {
        continue;
      }
      JsonNode d = read(e.dataJson());
      int n = d.path("number").asInt();
      if (reverted || notReverted) {
        // about the latest checkpoint of that number, which has ended
        for (int i = all.size() - 1; i >= 0; i--) {
          if (all.get(i).number() == n) {
            all.set(
                i,
                all.get(i)
                    .with(
                        new Revert(
                            d.path("task").asText(null),
                            reverted ? d.path("commit").asText(null) : null,
                            strings(d.path("reverted_with")),
                            d.path("reason").asText(null))));
            break;
          }
        }
        continue;
      }
      if (started) {
        Entry x =
            new Entry(
                n,
                e.at(),
                d.path("after").asText(""),
                d.path("commit").asText(null),
                strings(d.path("covers")),
                null,
                null,
                null,
                null,
                d.path("log").asText(null),
                null,
                null,
                null);
        open.put(n, x);
        all.add(x);
        continue;
      }
      Entry s = open.remove(n);
      if (s == null) {
        continue;
      }
      Entry x =
          new Entry(
              n,
              s.startedAt(),
              s.after(),
              s.commit(),
              s.covers(),
              stopped ? null : passed,
              d.path("outcome").asText(null),
              Duration.ofMillis(Math.round(d.path("seconds").asDouble() * 1000)),
              d.hasNonNull("exit_code") ? d.path("exit_code").asInt() : null,
              s.log(),
              d.path("culprit_task").asText(null),
              null,
              d.path("on_fail").asText(null));
      all.set(all.indexOf(s), x);
    }
    return new CheckpointReport(all);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public long failed() {
    return entries.stream().filter(e -> Boolean.FALSE.equals(e.passed())).count();
  }

  /** One line per checkpoint, each starting with {@code bullet}. */
  void lines(StringBuilder b, String bullet) {
    if (entries.isEmpty()) {
      return;
    }
    b.append(bullet)
        .append(
            String.format(
                Locale.ROOT,
                "checkpoints: %d run, %d passed, %d failed%n",
                entries.size(),
                entries.stream().filter(e -> Boolean.TRUE.equals(e.passed())).count(),
                failed()));
    for (Entry e : entries) {
      b.append("  ")
          .append(bullet)
          .append("checkpoint ")
          .append(e.number())
          .append(' ')
          .append(Checkpoints.label(e.after()))
          .append(": ")
          .append(e.status());
      if (e.duration() != null) {
        b.append(" in ").append(Durations.human(e.duration()));
      }
      if (Boolean.FALSE.equals(e.passed())) {
        b.append(" (").append(e.outcome()).append(')');
      }
      if (e.commit() != null) {
        b.append(", ").append(e.commit(), 0, Math.min(10, e.commit().length()));
      }
      if (e.culprit() != null) {
        b.append(", broken by ").append(e.culprit());
      }
      if (e.revert() != null) {
        b.append(", ").append(revertText(e.revert()));
      }
      if (!e.covers().isEmpty()) {
        b.append(", covers ").append(String.join(", ", e.covers()));
      }
      if (Boolean.FALSE.equals(e.passed()) && e.log() != null) {
        b.append(", log ").append(e.log());
      }
      b.append(String.format(Locale.ROOT, "%n"));
    }
  }

  /** {@code reverted x (with y) in 0123456789}, or {@code not reverted: why}. */
  private static String revertText(Revert r) {
    if (!r.made()) {
      return "not reverted: " + r.reason();
    }
    return "reverted "
        + r.task()
        + (r.with().isEmpty() ? "" : " (with " + String.join(", ", r.with()) + ")")
        + " in "
        + r.commit().substring(0, Math.min(10, r.commit().length()));
  }

  /**
   * For {@code braid status}: a line per failed checkpoint, saying what it failed on, where its log
   * is and whether it stopped the run; or, for one {@code --on-checkpoint-fail revert} handled, the
   * revert it made (or could not make).
   */
  void statusLines(StringBuilder b) {
    Entry stopper = stoppedBy();
    for (Entry e : entries) {
      if (e.revert() != null) {
        b.append(
            String.format(
                Locale.ROOT, "checkpoint %d failed: %s%n", e.number(), revertText(e.revert())));
      } else if (Boolean.FALSE.equals(e.passed())) {
        b.append("checkpoint ")
            .append(e.number())
            .append(" (")
            .append(Checkpoints.label(e.after()))
            .append(") failed: ")
            .append(e.outcome());
        if (e.culprit() != null) {
          b.append("; broken by the merge of ").append(e.culprit());
        }
        if (e.log() != null) {
          b.append("; log: ").append(e.log());
        }
        if (e == stopper) {
          b.append("; it stopped the run (--on-checkpoint-fail stop)");
        } else if ("continue".equals(e.onFail())) {
          b.append("; the run went on (--on-checkpoint-fail continue)");
        }
        b.append(String.format(Locale.ROOT, "%n"));
      }
    }
  }

  /**
   * The failed checkpoint that stopped the run ({@code --on-checkpoint-fail stop}), unless a later
   * one passed (a resumed run checks the merges again); null when none did.
   */
  Entry stoppedBy() {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (Boolean.TRUE.equals(e.passed())) {
        return null;
      }
      if (Boolean.FALSE.equals(e.passed()) && e.revert() == null && "stop".equals(e.onFail())) {
        return e;
      }
    }
    return null;
  }

  /** {@link #stoppedBy()} as JSON, or null. */
  ObjectNode stoppedByJson() {
    Entry e = stoppedBy();
    if (e == null) {
      return null;
    }
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("number", e.number());
    o.put("after", e.after());
    o.put("outcome", e.outcome());
    o.put("culprit", e.culprit());
    o.put("log", e.log());
    return o;
  }

  ArrayNode json() {
    ArrayNode a = Json.mapper().createArrayNode();
    for (Entry e : entries) {
      ObjectNode o = a.addObject();
      o.put("number", e.number());
      o.put("started_at", e.startedAt().toString());
      o.put("after", e.after());
      o.put("commit", e.commit());
      ArrayNode covers = o.putArray("covers");
      e.covers().forEach(covers::add);
      o.put("status", e.status());
      o.put("outcome", e.outcome());
      if (e.duration() == null) {
        o.putNull("seconds");
      } else {
        o.put("seconds", e.duration().toMillis() / 1000.0);
      }
      if (e.exitCode() == null) {
        o.putNull("exit_code");
      } else {
        o.put("exit_code", e.exitCode());
      }
      o.put("log", e.log());
      o.put("culprit", e.culprit());
      o.put("on_fail", e.onFail());
      if (e.revert() != null) {
        ObjectNode r = o.putObject("revert");
        r.put("task", e.revert().task());
        r.put("commit", e.revert().commit());
        ArrayNode with = r.putArray("with");
        e.revert().with().forEach(with::add);
        r.put("reason", e.revert().reason());
      }
    }
    return a;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static JsonNode read(String json) {
    if (json == null) {
      return Json.mapper().nullNode();
    }
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      return Json.mapper().nullNode();
    }
  }
}
