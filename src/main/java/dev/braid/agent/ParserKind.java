package dev.braid.agent;

import java.util.Arrays;

/** How an agent's output is read: which events it prints, if any. */
public enum ParserKind {
  /** Claude Code's {@code --output-format stream-json}: one JSON message per line. */
  CLAUDE_STREAM_JSON("claude-stream-json"),
  /** Codex's {@code exec --json}: one JSON thread event per line. */
  CODEX_JSON("codex-json"),
  /** Anything else: each line is the current activity, the last one the summary. */
  LINES("lines");

  private final String label;

  ParserKind(String label) {
    this.label = label;
  }

  /** The plan's spelling, e.g. {@code claude-stream-json}. */
  public String label() {
    return label;
  }

  /** The kind with this plan spelling; null gives null. */
  static ParserKind parse(String label) {
    if (label == null) {
      return null;
    }
    return Arrays.stream(values())
        .filter(k -> k.label.equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown parser: " + label));
  }
}
