package dev.braid.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.braid.agent.AgentMonitor;
import dev.braid.agent.AgentProfile;
import dev.braid.agent.AgentProfiles;
import dev.braid.agent.Executables;
import dev.braid.analysis.CheckedPlan;
import dev.braid.manifest.ManifestException;
import dev.braid.plan.TaskState;
import dev.braid.run.RunService;
import dev.braid.store.AttemptRecord;
import dev.braid.store.RunRecord;
import dev.braid.store.RunStatus;
import dev.braid.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code braid tmux}: a tmux session with one pane per agent slot of a run, each following the task
 * in its slot (seed 004's terminal monitoring). A pane's title names its task and changes as tasks
 * come and go; an agent task shows its activity, a command task its output.
 */
public final class TmuxMonitor {

  private TmuxMonitor() {}

  /** The tmux program, if installed. */
  public static Optional<Path> tmux(Map<String, String> environment) {
    return Executables.find("tmux", environment.get("PATH"), Path.of("").toAbsolutePath());
  }

  /** The session of a run: {@code braid-RUN}. */
  public static String sessionName(String runId) {
    return "braid-" + runId.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  /**
   * Creates the run's session (unless it exists) with one pane per slot, each running {@code self}
   * (the command that starts Braid) with {@code tmux --slot K}.
   *
   * @return the session's name
   */
  public static String open(Path tmux, List<String> self, Path stateDir, RunRecord run)
      throws IOException, InterruptedException {
    String session = sessionName(run.runId());
    if (tmux(tmux, "has-session", "-t", "=" + session) == 0) {
      return session;
    }
    check(
        tmux,
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "200",
        "-y",
        "50",
        follower(self, stateDir, run.runId(), 1));
    check(tmux, "set-option", "-t", session, "remain-on-exit", "on");
    check(tmux, "set-option", "-t", session, "pane-border-status", "top");
    check(tmux, "set-option", "-t", session, "pane-border-format", " #{pane_title} ");
    for (int slot = 2; slot <= run.agents(); slot++) {
      check(tmux, "split-window", "-t", session, follower(self, stateDir, run.runId(), slot));
      check(tmux, "select-layout", "-t", session, "tiled");
    }
    return session;
  }

  /** One shell command for tmux: every word single-quoted, so no path or id is ever parsed. */
  private static String follower(List<String> self, Path stateDir, String runId, int slot) {
    List<String> argv = new ArrayList<>(self);
    argv.addAll(
        List.of(
            "tmux",
            "--slot",
            Integer.toString(slot),
            "--run",
            runId,
            "--state-dir",
            stateDir.toAbsolutePath().toString()));
    return String.join(" ", argv.stream().map(TmuxMonitor::quote).toList());
  }

  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static void check(Path tmux, String... args) throws IOException, InterruptedException {
    if (tmux(tmux, args) != 0) {
      throw new IOException("tmux " + args[0] + " failed");
    }
  }

  private static int tmux(Path tmux, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(tmux.toString());
    argv.addAll(List.of(args));
    Process p =
        new ProcessBuilder(argv)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    return p.waitFor();
  }

  /**
   * Follows slot {@code slot} of a run until the run ends: each task that takes the slot gets a
   * header, its output (an agent's activity), and a closing line; the terminal's title names it.
   */
  public static void follow(
      Store store, String runId, int slot, PrintWriter out, Map<String, String> environment)
      throws InterruptedException {
    Agents agents = Agents.of(store, runId, environment);
    Path logs = RunService.logDir(store.stateDir(), runId);
    title(out, "[" + slot + "] waiting");
    Following current = null;
    try (DirectoryWatch watch =
        new DirectoryWatch(Files.isDirectory(logs) ? logs : store.stateDir())) {
      while (true) {
        AttemptRecord now = runningIn(store, runId, slot);
        if (current != null && (now == null || !current.is(now))) {
          current.drain(out);
          AttemptRecord ended = attempt(store, runId, current.attempt);
          out.println(
              "-- "
                  + current.attempt.taskId()
                  + " "
                  + (ended == null ? "ended" : ended.state().label())
                  + (ended != null && ended.reason() != null ? ": " + ended.reason() : ""));
          out.println();
          title(out, "[" + slot + "] idle");
          current = null;
        }
        if (current == null && now != null) {
          current = new Following(now, agents.monitor(now.taskId(), out));
          out.println(
              "== ["
                  + slot
                  + "] "
                  + now.taskId()
                  + " (attempt "
                  + now.attempt()
                  + agents.label(now.taskId())
                  + ")");
          title(out, "[" + slot + "] " + now.taskId());
        }
        if (current != null) {
          current.copy(out);
        }
        RunRecord run = store.run(runId).orElseThrow();
        if (current == null && run.status() != RunStatus.RUNNING) {
          out.println("run " + runId + " " + run.status().label());
          title(out, "[" + slot + "] done");
          out.flush();
          return;
        }
        out.flush();
        watch.await(Duration.ofSeconds(1));
      }
    }
  }

  /** Sets the terminal's title (tmux: the pane's title). */
  private static void title(PrintWriter out, String title) {
    out.print("\u001b]2;" + title.replaceAll("\\p{Cntrl}", " ") + "\u001b\\");
    out.flush();
  }

  private static AttemptRecord runningIn(Store store, String runId, int slot) {
    return store.attempts(runId).stream()
        .filter(a -> a.slot() == slot && a.state() == TaskState.RUNNING)
        .max(Comparator.comparing(AttemptRecord::startedAt))
        .orElse(null);
  }

  private static AttemptRecord attempt(Store store, String runId, AttemptRecord a) {
    return store.attempts(runId).stream()
        .filter(x -> x.taskId().equals(a.taskId()) && x.attempt() == a.attempt())
        .findFirst()
        .orElse(null);
  }

  /** The agent task profiles of a run's plan, when the plan can still be read. */
  private record Agents(Map<String, AgentProfile> byTask) {
    static Agents of(Store store, String runId, Map<String, String> environment) {
      try {
        RunRecord run = store.run(runId).orElseThrow();
        String defaultAgent = null;
        if (run.optionsJson() != null) {
          JsonNode agent = Json.mapper().readTree(run.optionsJson()).get("agent");
          defaultAgent = agent != null && agent.isTextual() ? agent.asText() : null;
        }
        CheckedPlan plan = CheckedPlan.load(Path.of(run.manifestPath()), false);
        return new Agents(
            AgentProfiles.load(plan.manifest(), environment)
                .forTasks(plan.manifest(), defaultAgent));
      } catch (ManifestException | IOException | RuntimeException e) {
        return new Agents(Map.of()); // plan gone or changed: raw output for every task
      }
    }

    String label(String taskId) {
      AgentProfile p = byTask.get(taskId);
      return p == null ? "" : ", agent " + p.name();
    }

    AgentMonitor monitor(String taskId, PrintWriter out) {
      AgentProfile p = byTask.get(taskId);
      return p == null ? null : new AgentMonitor(p, null, out::println);
    }
  }

  /** One attempt's log, read as it grows; an agent's through its monitor. */
  private static final class Following {
    final AttemptRecord attempt;
    final AgentMonitor monitor;
    final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    long offset;

    Following(AttemptRecord attempt, AgentMonitor monitor) {
      this.attempt = attempt;
      this.monitor = monitor;
    }

    boolean is(AttemptRecord a) {
      return a.taskId().equals(attempt.taskId()) && a.attempt() == attempt.attempt();
    }

    void copy(PrintWriter out) {
      Path log = attempt.logPath() == null ? null : Path.of(attempt.logPath());
      if (log == null || !Files.isRegularFile(log)) {
        return;
      }
      try (InputStream in = Files.newInputStream(log)) {
        in.skipNBytes(offset);
        byte[] bytes = in.readAllBytes();
        offset += bytes.length;
        if (monitor == null) {
          out.print(new String(bytes, StandardCharsets.UTF_8));
          return;
        }
        for (byte b : bytes) {
          if (b == '\n') {
            monitor.onLine(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
          } else {
            partial.write(b);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void drain(PrintWriter out) {
      copy(out);
      if (monitor != null) {
        if (partial.size() > 0) {
          monitor.onLine(partial.toString(StandardCharsets.UTF_8));
          partial.reset();
        }
        out.println("-- " + AgentsView.report(monitor.report()));
      }
    }
  }
}
