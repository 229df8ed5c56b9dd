package dev.braid.observe;

import dev.braid.agent.AgentReport;
import dev.braid.manifest.Durations;
import dev.braid.plan.TaskState;
import dev.braid.run.JobResult;
import dev.braid.run.RunInfo;
import dev.braid.run.RunSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;

/**
 * The terminal view: finished tasks scroll by as lines while the bottom of the screen redraws in
 * place, one line per busy agent slot and an overall bar with counts and ETA (seed 000's progress
 * indicator). Redraws at most 10 times a second on one timer thread, stopped when the run ends.
 */
public final class LiveConsole implements Consoles.Console {

  private static final int BAR = 10;

  private final Terminal terminal;
  private final Status status;
  private final PrintWriter out;
  private final boolean color;
  private final Clock clock;
  private final ScheduledExecutorService ticker;
  private volatile RunProgress progress;

  private LiveConsole(Terminal terminal, boolean color, Clock clock) {
    this.terminal = terminal;
    this.status = Status.getStatus(terminal, true);
    this.out = terminal.writer();
    this.color = color;
    this.clock = clock;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "braid-live-view");
              t.setDaemon(true);
              return t;
            });
  }

  /** A live view on the process's terminal, or null when there is none fit for it. */
  public static LiveConsole open(Clock clock) {
    try {
      Terminal t =
          TerminalBuilder.builder()
              .system(true)
              .dumb(false)
              .signalHandler(Terminal.SignalHandler.SIG_DFL)
              .build();
      if (Terminal.TYPE_DUMB.equals(t.getType())
          || Terminal.TYPE_DUMB_COLOR.equals(t.getType())
          || t.getWidth() <= 0
          // a terminal of unknown height (a pseudo-terminal nobody sized, as some containers and
          // CI runners make) cannot hold a status area: plain lines show the run instead
          || t.getHeight() <= 0) {
        t.close();
        return null;
      }
      return new LiveConsole(t, Ansi.enabled(true), clock);
    } catch (IOException | IllegalStateException e) {
      return null;
    }
  }

  @Override
  public void runStarted(RunInfo run) {
    progress = new RunProgress(run.graph(), run.agents(), run.alreadyDone(), clock.instant());
    synchronized (this) {
      out.println(RunLines.started(run));
      out.flush();
    }
    ticker.scheduleAtFixedRate(this::redraw, 0, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public void taskStarted(String taskId, int attempt, int slot) {
    progress.started(taskId, attempt, slot, clock.instant());
  }

  @Override
  public void taskOutput(String taskId, String line) {
    RunProgress p = progress;
    if (p != null) {
      p.output(taskId, line);
    }
  }

  @Override
  public void taskEnded(String taskId, TaskState state, JobResult result, String reason) {
    progress.ended(taskId, state, clock.instant());
    AttributedStyle style =
        switch (state) {
          case SUCCEEDED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
          case FAILED -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
          default -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
        };
    String word =
        switch (state) {
          case SUCCEEDED -> "✓";
          case FAILED -> "✗";
          case PENDING -> "↻";
          default -> "•";
        };
    line(styled(word, style), taskId, result, reason);
  }

  @Override
  public void taskStopped(String taskId, JobResult result, String reason) {
    progress.ended(taskId, TaskState.PENDING, clock.instant());
    line(
        styled("■", AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)),
        taskId,
        result,
        reason);
  }

  private void line(String mark, String taskId, JobResult result, String reason) {
    String took = result == null ? "" : " (" + Durations.human(result.duration()) + ")";
    print(mark + " " + taskId + took + (reason == null ? "" : "  " + reason));
  }

  @Override
  public void taskAgentReport(String taskId, AgentReport report) {
    print("  " + taskId + ": " + AgentsView.report(report));
  }

  @Override
  public void taskBlocked(String taskId, String blockedBy) {
    progress.blocked(taskId);
    print(
        styled("•", AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW))
            + " "
            + taskId
            + " blocked: depends on "
            + blockedBy);
  }

  @Override
  public void note(String message) {
    print("braid: " + message);
  }

  @Override
  public void runEnded(RunSummary summary) {
    ticker.shutdownNow();
    synchronized (this) {
      status.update(List.of());
      status.close();
    }
    print(RunLines.ended(summary));
  }

  private synchronized void print(String line) {
    out.println(line);
    out.flush();
  }

  private String styled(String s, AttributedStyle style) {
    return color ? new AttributedString(s, style).toAnsi(terminal) : s;
  }

  private synchronized void redraw() {
    RunProgress p = progress;
    if (p == null) {
      return;
    }
    // never wider than the terminal (a wrapped line breaks the redraw in place) and never taller
    // than all but two of its rows (more than it has makes a negative scroll region)
    int width = Math.max(2, terminal.getWidth());
    int room = Math.max(1, terminal.getHeight() - 2);
    List<RunProgress.Busy> busy = p.busy();
    int shown = busy.size() <= room - 1 ? busy.size() : Math.max(0, room - 2);
    Instant now = clock.instant();
    List<AttributedString> lines = new ArrayList<>();
    for (RunProgress.Busy b : busy.subList(0, shown)) {
      Duration elapsed = Duration.between(b.since(), now);
      double fraction =
          b.estMinutes() <= 0 ? 1 : Math.min(1, elapsed.toMillis() / (b.estMinutes() * 60_000));
      int filled = (int) Math.round(fraction * BAR);
      AttributedStringBuilder a = new AttributedStringBuilder();
      a.append(String.format("[%d] %-24s ", b.slot(), clip(b.taskId(), 24)));
      a.style(paint(AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN)));
      a.append("█".repeat(filled));
      a.style(paint(AttributedStyle.DEFAULT.faint()));
      a.append("░".repeat(BAR - filled));
      a.style(AttributedStyle.DEFAULT);
      a.append(
          String.format("  %s/%s  ", Durations.human(elapsed), Numbers.duration(b.estMinutes())));
      a.style(paint(AttributedStyle.DEFAULT.faint()));
      a.append(p.lastLine(b.taskId()));
      lines.add(a.toAttributedString().columnSubSequence(0, width - 1));
    }
    if (shown < busy.size() && room >= 2) {
      lines.add(
          new AttributedString("… " + (busy.size() - shown) + " more running")
              .columnSubSequence(0, width - 1));
    }
    int done = p.succeeded() + p.failed() + p.blocked();
    int total = Math.max(1, p.total());
    int barWidth = 20;
    int filled = done * barWidth / total;
    Duration eta = p.eta();
    AttributedStringBuilder all = new AttributedStringBuilder();
    all.append("[");
    all.style(paint(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)));
    all.append("█".repeat(filled));
    all.style(paint(AttributedStyle.DEFAULT.faint()));
    all.append("░".repeat(barWidth - filled));
    all.style(AttributedStyle.DEFAULT);
    all.append(
        String.format(
            "] %d%% (%d/%d)  %d running, %d pending, %d failed, %d blocked  %s%s",
            done * 100 / total,
            done,
            p.total(),
            p.running(),
            p.pending(),
            p.failed(),
            p.blocked(),
            Durations.human(Duration.between(p.started(), now)),
            eta == null ? "" : "  ETA " + Durations.human(eta)));
    lines.add(all.toAttributedString().columnSubSequence(0, width - 1));
    status.update(lines);
  }

  /** The style, or none under {@code NO_COLOR}: the bars' glyphs tell done from to do anyway. */
  private AttributedStyle paint(AttributedStyle style) {
    return color ? style : AttributedStyle.DEFAULT;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(1, TimeUnit.SECONDS);
      terminal.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
