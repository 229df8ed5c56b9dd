package dev.braid.agent;

/** What one line of an agent's output meant; produced by an {@link OutputParser}. */
sealed interface AgentEvent {

  /** What the agent is doing now, one short line: {@code editing src/auth/jwt.ts}. */
  record Activity(String text) implements AgentEvent {}

  /** Text the agent wrote; the last one is the summary when no result says otherwise. */
  record Message(String text) implements AgentEvent {}

  /** Tokens used by one turn (Codex reports them per turn). */
  record TurnUsage(Tokens tokens) implements AgentEvent {}

  /** The agent's own final account (Claude's result message). Null fields were not given. */
  record Result(String summary, Double costUsd, Tokens tokens, Integer turns, boolean error)
      implements AgentEvent {}

  /** The agent reported an error, or a line could not be read; the run goes on. */
  record Problem(String message) implements AgentEvent {}
}
