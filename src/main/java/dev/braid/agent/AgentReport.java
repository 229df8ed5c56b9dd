package dev.braid.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * What an agent said about its work when it ended: its summary and, when the agent reports them,
 * cost, tokens and turns. Null fields were not reported. Serializes to JSON with snake_case names
 * for the event log and {@code braid report --format json}.
 *
 * @param summary the agent's final message (or, for plain output, its last line); may be empty
 * @param agentError the agent said it failed (Claude's {@code is_error}, Codex's failed turn)
 * @param warnings the first few output lines Braid could not read, and errors the agent reported
 * @param warningCount how many such problems there were in all
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgentReport(
    @JsonProperty("agent") String agent,
    @JsonProperty("summary") String summary,
    @JsonProperty("cost_usd") Double costUsd,
    @JsonProperty("tokens") Tokens tokens,
    @JsonProperty("turns") Integer turns,
    @JsonProperty("agent_error") boolean agentError,
    @JsonProperty("warnings") List<String> warnings,
    @JsonProperty("warning_count") int warningCount) {

  public AgentReport {
    Objects.requireNonNull(agent, "agent");
    summary = summary == null ? "" : summary;
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /**
   * This attempt and a {@code later} one of the same task together: cost, tokens, turns and
   * warnings add up; the summary, agent and error are the later one's.
   */
  public AgentReport plus(AgentReport later) {
    return new AgentReport(
        later.agent,
        later.summary,
        sum(costUsd, later.costUsd, Double::sum),
        sum(tokens, later.tokens, Tokens::plus),
        sum(turns, later.turns, Integer::sum),
        later.agentError,
        later.warnings,
        warningCount + later.warningCount);
  }

  /**
   * Two values that may not have been reported. A method rather than a conditional expression: a
   * {@code Double}/{@code double} conditional unboxes, so a missing value would throw.
   */
  private static <T> T sum(T a, T b, BinaryOperator<T> plus) {
    return a == null ? b : b == null ? a : plus.apply(a, b);
  }
}
