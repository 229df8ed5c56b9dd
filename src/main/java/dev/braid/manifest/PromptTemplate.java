package dev.braid.manifest;

import java.util.Objects;

/**
 * Where an agent prompt's Mustache template comes from: a file (a path relative to the plan file)
 * or text written in the plan itself.
 */
public sealed interface PromptTemplate {

  /** {@code prompt_template: prompts/agent.mustache} or {@code {file: ...}}. */
  record File(String path) implements PromptTemplate {
    public File {
      Objects.requireNonNull(path, "path");
      if (path.isBlank()) {
        throw new IllegalArgumentException("prompt template path is blank");
      }
    }
  }

  /** {@code prompt_template: {text: "..."}}. */
  record Inline(String text) implements PromptTemplate {
    public Inline {
      Objects.requireNonNull(text, "text");
    }
  }
}
