package dev.braid.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What {@code braid export} writes. */
public enum ExportFormat {
  /** A Makefile for {@code make -j N}. */
  MAKE("make"),
  /** A GitHub Actions workflow, one job per task. */
  GITHUB_ACTIONS("github-actions"),
  /** A Mermaid flowchart of the plan. */
  MERMAID("mermaid"),
  /** A Graphviz graph of the plan. */
  DOT("dot"),
  /** The plan with its derived conflicts and run order, as JSON. */
  JSON("json"),
  /** The same, as YAML. */
  YAML("yaml");

  private final String label;

  ExportFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Optional<ExportFormat> byLabel(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(f -> f.label.equals(n)).findFirst();
  }

  /** Whether the output runs the tasks, so every task needs a shell command. */
  public boolean runsCommands() {
    return switch (this) {
      case MAKE, GITHUB_ACTIONS -> true;
      case MERMAID, DOT, JSON, YAML -> false;
    };
  }
}
