package dev.braid.observe;

import dev.braid.analysis.PlanMetrics;
import dev.braid.plan.Forecast;
import dev.braid.plan.Group;
import dev.braid.plan.Recommendation;
import dev.braid.plan.Schedule;
import dev.braid.plan.TaskGraph;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a plan's forecast: groups, Gantt, makespan and savings, in several formats. */
public final class PlanView {

  /** Above this many tasks, the text Gantt is left out (it would not fit a screen anyway). */
  static final int GANTT_MAX_TASKS = 60;

  private static final int GANTT_WIDTH = 48;

  /** The fixed day of {@link #mermaid()}: times are offsets from its midnight. */
  private static final LocalDateTime MERMAID_ZERO = LocalDateTime.of(2000, 1, 1, 0, 0);

  private static final DateTimeFormatter MERMAID_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);

  private final String planName;
  private final TaskGraph graph;
  private final Forecast forecast;
  private final PlanMetrics metrics;
  private final Recommendation recommended;

  public PlanView(
      String planName,
      TaskGraph graph,
      Forecast forecast,
      PlanMetrics metrics,
      Recommendation recommended) {
    this.planName = planName;
    this.graph = graph;
    this.forecast = forecast;
    this.metrics = metrics;
    this.recommended = recommended;
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("Plan ")
        .append(planName)
        .append(": ")
        .append(Numbers.count(graph.size(), "task"))
        .append(", ")
        .append(Numbers.count(forecast.agents(), "agent"))
        .append("\n\n");
    b.append("Execution groups (wave by wave)\n");
    int i = 1;
    for (Group g : forecast.groups()) {
      b.append(String.format(Locale.ROOT, "  %3d. %-8s %6s  ", i++, label(g), duration(g)));
      b.append(joinIds(g.tasks(), 6)).append('\n');
    }
    b.append('\n');
    if (graph.size() <= GANTT_MAX_TASKS) {
      b.append(gantt());
      b.append('\n');
    } else {
      b.append("Schedule: ")
          .append(graph.size())
          .append(" tasks (Gantt shown up to ")
          .append(GANTT_MAX_TASKS)
          .append("; use --format json for every start and end)\n\n");
    }
    b.append(summary());
    return b.toString();
  }

  private String summary() {
    StringBuilder b = new StringBuilder();
    double serial = forecast.serialMinutes();
    line(b, "Serial time", Numbers.duration(serial) + " (one agent, sum of estimates)");
    line(
        b,
        "Wave by wave",
        Numbers.duration(forecast.wavesMinutes())
            + " ("
            + Numbers.percent(forecast.wavesSavingsPercent())
            + " saved)");
    line(
        b,
        "Scheduled",
        Numbers.duration(forecast.makespanMinutes())
            + " ("
            + Numbers.percent(forecast.savingsPercent())
            + " saved, "
            + Numbers.ratio(forecast.speedup())
            + " speedup)");
    line(
        b,
        "Lower bound",
        Numbers.lowerBound(forecast.lowerBound(), forecast.agents())
            + "; schedule is "
            + Numbers.ratio(forecast.lowerBoundRatio())
            + " of it");
    line(b, "Critical path", String.join(" -> ", metrics.criticalPath()));
    line(b, "Recommended", Numbers.agents(recommended));
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(String.format(Locale.ROOT, "%-14s %s%n", key, value));
  }

  private String gantt() {
    double span = Math.max(forecast.makespanMinutes(), 1e-9);
    List<Schedule.Entry> entries = sortedEntries();
    int idWidth = 4;
    for (Schedule.Entry e : entries) {
      idWidth = Math.max(idWidth, Math.min(32, e.taskId().length()));
    }
    StringBuilder b = new StringBuilder();
    b.append("Schedule (").append(Numbers.count(forecast.agents(), "agent")).append(")\n");
    b.append(
        String.format(
            Locale.ROOT,
            "  %-" + idWidth + "s  slot  %6s  %6s  |%-" + GANTT_WIDTH + "s|%n",
            "task",
            "start",
            "end",
            "0"
                + " ".repeat(Math.max(0, GANTT_WIDTH - 1 - Numbers.duration(span).length()))
                + Numbers.duration(span)));
    for (Schedule.Entry e : entries) {
      int from = (int) Math.round(e.start() / span * GANTT_WIDTH);
      int to = Math.max(from + 1, (int) Math.round(e.end() / span * GANTT_WIDTH));
      to = Math.min(to, GANTT_WIDTH);
      from = Math.min(from, to - 1);
      String bar = " ".repeat(from) + "█".repeat(to - from) + " ".repeat(GANTT_WIDTH - to);
      b.append(
          String.format(
              Locale.ROOT,
              "  %-" + idWidth + "s  %-4s  %6s  %6s  |%s|%n",
              shorten(e.taskId(), idWidth),
              "[" + e.slot() + "]",
              Numbers.duration(e.start()),
              Numbers.duration(e.end()),
              bar));
    }
    return b.toString();
  }

  private List<Schedule.Entry> sortedEntries() {
    List<Schedule.Entry> entries = new ArrayList<>(forecast.schedule().entries());
    entries.sort(
        Comparator.comparingDouble(Schedule.Entry::start).thenComparingInt(Schedule.Entry::slot));
    return entries;
  }

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Plan ").append(planName).append("\n\n");
    b.append("| | |\n|---|---|\n");
    b.append("| Tasks | ").append(graph.size()).append(" |\n");
    b.append("| Agents | ").append(forecast.agents()).append(" |\n");
    b.append("| Serial time | ").append(Numbers.duration(forecast.serialMinutes())).append(" |\n");
    b.append("| Wave by wave | ")
        .append(Numbers.duration(forecast.wavesMinutes()))
        .append(" (")
        .append(Numbers.percent(forecast.wavesSavingsPercent()))
        .append(" saved) |\n");
    b.append("| Scheduled | ")
        .append(Numbers.duration(forecast.makespanMinutes()))
        .append(" (")
        .append(Numbers.percent(forecast.savingsPercent()))
        .append(" saved, ")
        .append(Numbers.ratio(forecast.speedup()))
        .append(") |\n");
    b.append("| Lower bound | ")
        .append(Numbers.lowerBound(forecast.lowerBound(), forecast.agents()))
        .append(" |\n");
    b.append("| Critical path | ")
        .append(
            metrics.criticalPath().stream().map(Markdown::code).collect(Collectors.joining(" → ")))
        .append(" |\n");
    b.append("| Recommended agents | ").append(recommended.agents()).append(" |\n\n");
    b.append("## Execution groups\n\n| # | Type | Time | Tasks |\n|---|---|---|---|\n");
    int i = 1;
    for (Group g : forecast.groups()) {
      b.append("| ")
          .append(i++)
          .append(" | ")
          .append(label(g))
          .append(" | ")
          .append(duration(g))
          .append(" | ")
          .append(
              g.tasks().stream()
                  .map(t -> Markdown.code(graph.id(t)))
                  .collect(Collectors.joining(", ")))
          .append(" |\n");
    }
    b.append("\n## Schedule\n\n| Task | Agent | Start | End |\n|---|---|---|---|\n");
    for (Schedule.Entry e : sortedEntries()) {
      b.append("| ")
          .append(Markdown.code(e.taskId()))
          .append(" | ")
          .append(e.slot())
          .append(" | ")
          .append(Numbers.duration(e.start()))
          .append(" | ")
          .append(Numbers.duration(e.end()))
          .append(" |\n");
    }
    return b.toString();
  }

  /**
   * A Mermaid Gantt chart, one section per agent slot. Times are offsets from midnight of a fixed
   * day, written as local dates: Mermaid reads {@code dateFormat X} (unix seconds) as an instant
   * and draws its axis in the viewer's time zone, so 0 showed as 01:00 in Paris and 19:00 in New
   * York. A date without a zone is read and drawn in the same zone, so the axis starts at 00:00
   * everywhere. The day is in January: no zone changes its clocks then.
   */
  public String mermaid() {
    StringBuilder b = new StringBuilder();
    b.append("gantt\n");
    b.append("  title ").append(mermaidText(planName)).append('\n');
    double span = sortedEntries().stream().mapToDouble(Schedule.Entry::end).max().orElse(0);
    // past a day, %H:%M alone would repeat: the day of the year counts the days (day 1 first)
    String axis = span >= 24 * 60 ? "day %-j %H:%M" : "%H:%M";
    b.append("  dateFormat YYYY-MM-DD HH:mm:ss\n  axisFormat ")
        .append(axis)
        .append("\n  todayMarker off\n");
    Map<Integer, List<Schedule.Entry>> bySlot = new LinkedHashMap<>();
    for (Schedule.Entry e : sortedEntries()) {
      bySlot.computeIfAbsent(e.slot(), s -> new ArrayList<>()).add(e);
    }
    bySlot.keySet().stream()
        .sorted()
        .forEach(
            slot -> {
              b.append("  section Agent ").append(slot).append('\n');
              for (Schedule.Entry e : bySlot.get(slot)) {
                b.append("  ")
                    .append(mermaidText(e.taskId()))
                    .append(" :t")
                    .append(e.task())
                    .append(", ")
                    .append(mermaidTime(e.start()))
                    .append(", ")
                    .append(mermaidTime(e.end()))
                    .append('\n');
              }
            });
    return b.toString();
  }

  private static String mermaidTime(double minutes) {
    return MERMAID_ZERO.plusSeconds(Math.round(minutes * 60)).format(MERMAID_TIME);
  }

  private static String mermaidText(String s) {
    return s.replace("#", "#35;").replace(":", "#58;").replace("\n", " ");
  }

  /** The machine-readable plan; field names are part of Braid's contract. */
  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plan", planName);
    m.put("tasks", graph.size());
    m.put("agents", forecast.agents());
    List<Map<String, Object>> groups = new ArrayList<>();
    for (Group g : forecast.groups()) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("type", g.type().name().toLowerCase(Locale.ROOT));
      gm.put("tasks", g.tasks().stream().map(graph::id).toList());
      gm.put("minutes", Numbers.jsonMinutes(g.minutes()));
      groups.add(gm);
    }
    m.put("groups", groups);
    List<Map<String, Object>> schedule = new ArrayList<>();
    for (Schedule.Entry e : forecast.schedule().entries()) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("task_id", e.taskId());
      em.put("start_minutes", Numbers.jsonMinutes(e.start()));
      em.put("end_minutes", Numbers.jsonMinutes(e.end()));
      em.put("slot", e.slot());
      schedule.add(em);
    }
    m.put("schedule", schedule);
    m.put("makespan_minutes", Numbers.jsonMinutes(forecast.makespanMinutes()));
    m.put("waves_minutes", Numbers.jsonMinutes(forecast.wavesMinutes()));
    m.put("serial_minutes", Numbers.jsonMinutes(forecast.serialMinutes()));
    m.put("savings_percent", Numbers.round2(forecast.savingsPercent()));
    m.put("waves_savings_percent", Numbers.round2(forecast.wavesSavingsPercent()));
    m.put("speedup", Numbers.round2(forecast.speedup()));
    m.putAll(Numbers.lowerBoundJson(forecast.lowerBound(), forecast.agents()));
    m.put("lower_bound_ratio", Numbers.round2(forecast.lowerBoundRatio()));
    m.put("critical_path", metrics.criticalPath());
    m.put("critical_path_minutes", Numbers.jsonMinutes(metrics.criticalPathMinutes()));
    m.put("recommended_agents", recommended.agents());
    return m;
  }

  private String label(Group g) {
    return g.type().name().toLowerCase(Locale.ROOT);
  }

  private static String duration(Group g) {
    return Numbers.duration(g.minutes());
  }

  private String joinIds(List<Integer> tasks, int max) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < tasks.size() && k < max; k++) {
      if (k > 0) {
        b.append(", ");
      }
      b.append(graph.id(tasks.get(k)));
    }
    if (tasks.size() > max) {
      b.append(", … (").append(tasks.size() - max).append(" more)");
    }
    return b.toString();
  }

  private static String shorten(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
