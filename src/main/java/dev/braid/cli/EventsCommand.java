package dev.braid.cli;

import dev.braid.observe.DirectoryWatch;
import dev.braid.observe.Json;
import dev.braid.run.Engine;
import dev.braid.store.EventRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.Store;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "events",
    description = "The audit trail of the latest run (or --run RUN): every state change, in order.")
final class EventsCommand implements Callable<Integer> {

  private static final int PAGE = 1000;

  @Mixin RunSelection selection = new RunSelection();

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new events until the run ends.")
  boolean follow;

  @Option(names = "--json", description = "One JSON object per line (JSON Lines).")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (Store store = selection.open()) {
      RunRecord run = selection.run(store, null);
      long seq = 0;
      boolean lastPass = false;
      try (DirectoryWatch watch = follow ? new DirectoryWatch(store.stateDir()) : null) {
        while (true) {
          List<EventRecord> page = store.events(run.runId(), seq, PAGE);
          boolean ended = false;
          for (EventRecord e : page) {
            print(out, e);
            seq = e.seq();
            ended |= e.type().equals(Engine.RUN_FINISHED);
          }
          out.flush();
          if (page.size() == PAGE) {
            continue;
          }
          if (!follow || ended || lastPass) {
            break;
          }
          if (!stillRunning(store, run)) {
            lastPass = true; // what it wrote between the read above and its end
            continue;
          }
          watch.await(Duration.ofSeconds(1));
        }
      }
    }
    return ExitCodes.OK;
  }

  private static boolean stillRunning(Store store, RunRecord run) {
    return store.run(run.runId()).map(RunRecord::live).orElse(false);
  }

  private void print(PrintWriter out, EventRecord e) {
    if (json) {
      var o = Json.mapper().createObjectNode();
      o.put("seq", e.seq());
      o.put("run_id", e.runId());
      o.put("at", e.at().toString());
      o.put("type", e.type());
      o.put("task_id", e.taskId());
      if (e.dataJson() != null) {
        try {
          o.set("data", Json.mapper().readTree(e.dataJson()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
          o.put("data", e.dataJson());
        }
      }
      out.println(Json.line(o));
    } else {
      out.println(
          e.at()
              + "  "
              + e.type()
              + (e.taskId() == null ? "" : "  " + e.taskId())
              + (e.dataJson() == null ? "" : "  " + e.dataJson()));
    }
  }
}
