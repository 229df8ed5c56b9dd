package dev.braid.observe;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflict;
import dev.braid.analysis.PlanMetrics;
import dev.braid.manifest.Diagnostic;
import dev.braid.plan.Recommendation;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders what {@code braid analyze} finds: conflicts with reasons, metrics, warnings. */
public final class AnalysisView {

  /** Above this many conflicting pairs, text output lists the first ones only. */
  static final int MAX_LISTED_CONFLICTS = 200;

  private final String planName;
  private final CheckedPlan plan;
  private final PlanMetrics metrics;
  private final Recommendation recommended;

  public AnalysisView(
      String planName, CheckedPlan plan, PlanMetrics metrics, Recommendation recommended) {
    this.planName = planName;
    this.plan = plan;
    this.metrics = metrics;
    this.recommended = recommended;
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    int edges = 0;
    for (int i = 0; i < plan.graph().size(); i++) {
      edges += plan.graph().deps(i).length;
    }
    List<Conflict> pairs = plan.conflicts().pairs();
    long count = plan.conflicts().count(); // pairs.size() would overflow past 2^31 pairs
    b.append(
        String.format(
            Locale.ROOT,
            "Plan %s: %s, %s, %s%n%n",
            planName,
            Numbers.count(plan.graph().size(), "task"),
            Numbers.count(edges, "dependency", "dependencies"),
            Numbers.count(count, "conflicting pair")));
    if (count > 0) {
      b.append("Conflicts (never run at the same time)\n");
      for (int k = 0; k < count && k < MAX_LISTED_CONFLICTS; k++) {
        Conflict c = pairs.get(k);
        b.append("  ")
            .append(id(c.a()))
            .append(" <-> ")
            .append(id(c.b()))
            .append(": ")
            .append(reasons(c))
            .append('\n');
      }
      if (count > MAX_LISTED_CONFLICTS) {
        b.append("  … ").append(count - MAX_LISTED_CONFLICTS).append(" more (use --format json)\n");
      }
      b.append('\n');
    }
    line(
        b,
        "Critical path",
        Numbers.duration(metrics.criticalPathMinutes())
            + ": "
            + String.join(" -> ", metrics.criticalPath()));
    line(b, "Total work", Numbers.duration(metrics.totalWorkMinutes()));
    line(
        b,
        "Parallelism",
        String.format(Locale.ROOT, "%.2f", metrics.averageParallelism())
            + " on average (work / critical path)");
    line(
        b,
        "Lower bound",
        Numbers.lowerBound(metrics.lowerBound(), recommended.agents())
            + " with "
            + Numbers.count(recommended.agents(), "agent"));
    line(b, "Score", String.format(Locale.ROOT, "%.1f/10", metrics.score()));
    for (String reason : metrics.scoreReasons()) {
      b.append("                 - ").append(reason).append('\n');
    }
    line(b, "Recommended", Numbers.agents(recommended));
    List<Diagnostic> warnings = new ArrayList<>(plan.warnings());
    warnings.addAll(metrics.warnings());
    if (!warnings.isEmpty()) {
      b.append('\n');
      for (Diagnostic d : warnings) {
        b.append(d).append('\n');
      }
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(String.format(Locale.ROOT, "%-15s %s%n", key, value));
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plan", planName);
    m.put("tasks", plan.graph().size());
    // each pair's map made as it is written: a plan can have millions of pairs
    List<Conflict> pairs = plan.conflicts().pairs();
    m.put(
        "conflicts",
        new AbstractList<Map<String, Object>>() {
          @Override
          public Map<String, Object> get(int k) {
            Conflict c = pairs.get(k);
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("a", id(c.a()));
            cm.put("b", id(c.b()));
            cm.put("reasons", c.reasons().stream().map(Conflict.Reason::describe).toList());
            return cm;
          }

          @Override
          public int size() {
            return pairs.size();
          }
        });
    m.put("critical_path", metrics.criticalPath());
    m.put("critical_path_minutes", Numbers.jsonMinutes(metrics.criticalPathMinutes()));
    m.put("total_work_minutes", Numbers.jsonMinutes(metrics.totalWorkMinutes()));
    m.put("average_parallelism", Numbers.round2(metrics.averageParallelism()));
    m.putAll(Numbers.lowerBoundJson(metrics.lowerBound(), recommended.agents()));
    m.put("score", Numbers.round2(metrics.score()));
    m.put("score_reasons", metrics.scoreReasons());
    m.put("recommended_agents", recommended.agents());
    List<Diagnostic> warnings = new ArrayList<>(plan.warnings());
    warnings.addAll(metrics.warnings());
    m.put("warnings", DiagnosticsView.json(warnings));
    return m;
  }

  private String id(int task) {
    return plan.graph().id(task);
  }

  private static String reasons(Conflict c) {
    return String.join("; ", c.reasons().stream().map(Conflict.Reason::describe).toList());
  }
}
