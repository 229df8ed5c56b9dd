package dev.braid.observe;

import dev.braid.analysis.LowerBound;
import dev.braid.manifest.Counts;
import dev.braid.plan.Recommendation;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** How Braid prints minutes, percentages and ratios, everywhere the same. */
public final class Numbers {

  private Numbers() {}

  /** {@code 65}, {@code 12.5}: minutes without needless decimals. */
  public static String minutes(double m) {
    double r = Math.round(m * 10) / 10.0;
    return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%.1f", r);
  }

  /**
   * {@code 1h05m}, {@code 42m}, {@code 2s}: a duration in minutes for people. Under a minute it is
   * in seconds: estimates may be {@code 2s}, and a plan of such tasks read as {@code 0m}
   * throughout.
   */
  public static String duration(double minutes) {
    double seconds = Math.round(minutes * 600) / 10.0;
    if (minutes > 0 && seconds < 60) {
      return (seconds == Math.rint(seconds)
              ? Long.toString((long) seconds)
              : String.format(Locale.ROOT, "%.1f", seconds))
          + "s";
    }
    long total = Math.round(minutes);
    if (total < 60) {
      return minutes(minutes) + "m";
    }
    return String.format(Locale.ROOT, "%dh%02dm", total / 60, total % 60);
  }

  public static String percent(double p) {
    return String.format(Locale.ROOT, "%.1f%%", p);
  }

  public static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2fx", r);
  }

  /** {@code 3 agents (1h05m; more save under 10%)}: a recommendation for people. */
  public static String agents(Recommendation r) {
    return count(r.agents(), "agent")
        + " ("
        + duration(r.makespanMinutes())
        + "; more save under "
        + String.format(Locale.ROOT, "%.0f%%", 100 * Recommendation.TOLERANCE)
        + ")";
  }

  /** {@code 1 task}, {@code 2 tasks}: a count with its noun, in the singular for one. */
  public static String count(long n, String noun) {
    return Counts.count(n, noun);
  }

  /** {@code 1 dependency}, {@code 2 dependencies}: for nouns whose plural is not noun + s. */
  public static String count(long n, String singular, String plural) {
    return Counts.count(n, singular, plural);
  }

  /**
   * {@code 2h00m = max(critical path 30m, work/agents 30m, resource db 2h00m)}: a lower bound and
   * its terms, naming the busiest resource when the plan declares any.
   */
  public static String lowerBound(LowerBound bound, int agents) {
    StringBuilder b =
        new StringBuilder(duration(bound.minutes(agents)))
            .append(" = max(critical path ")
            .append(duration(bound.criticalPathMinutes()))
            .append(", work/agents ")
            .append(duration(bound.workMinutes() / Math.max(1, agents)));
    bound
        .busiestResource()
        .ifPresent(
            r ->
                b.append(", resource ")
                    .append(r)
                    .append(' ')
                    .append(duration(bound.resourceMinutes().get(r))));
    return b.append(')').toString();
  }

  /** The lower bound's JSON fields, the same in every command that prints one. */
  public static Map<String, Object> lowerBoundJson(LowerBound bound, int agents) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lower_bound_minutes", jsonMinutes(bound.minutes(agents)));
    Map<String, Object> resources = new TreeMap<>();
    bound.resourceMinutes().forEach((r, minutes) -> resources.put(r, jsonMinutes(minutes)));
    m.put("resource_minutes", resources);
    return m;
  }

  /**
   * Minutes for JSON: to 4 decimals (6 ms), so that estimates in seconds keep their value (2
   * decimals made a 2s task end at 0.03 minutes, 1.8s).
   */
  public static double jsonMinutes(double minutes) {
    return Math.round(minutes * 10_000) / 10_000.0;
  }

  /** Rounded to 2 decimals for JSON. */
  public static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
