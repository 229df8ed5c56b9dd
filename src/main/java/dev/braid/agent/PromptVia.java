package dev.braid.agent;

import java.util.Locale;

/** How the prompt reaches an agent. */
public enum PromptVia {
  /** As a command-line argument: the {@code {prompt}} placeholder, or appended last. */
  ARGUMENT,
  /** On the agent's standard input, read from the prompt file. */
  STDIN,
  /** As a file path: the {@code {prompt_file}} placeholder, or appended last. */
  FILE;

  /** The plan's spelling: {@code argument}, {@code stdin}, {@code file}; null gives null. */
  static PromptVia parse(String text) {
    return text == null ? null : valueOf(text.toUpperCase(Locale.ROOT));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
