package dev.braid.export;

import dev.braid.analysis.CheckedPlan;
import dev.braid.analysis.Conflict;
import dev.braid.manifest.Task;
import dev.braid.plan.TaskGraph;
import java.util.Arrays;

/**
 * The plan as a picture: a Mermaid flowchart or a Graphviz digraph. Tasks in file order; an arrow
 * from each dependency to the task that waits for it (solid); a dashed line between conflicting
 * tasks not already joined by a dependency; {@code parallel: false} tasks drawn bold.
 */
final class Graphs {

  private Graphs() {}

  static String mermaid(CheckedPlan plan) {
    TaskGraph g = TaskGraph.of(plan.manifest(), plan.conflicts());
    StringBuilder b = new StringBuilder("flowchart LR\n");
    for (int t = 0; t < g.size(); t++) {
      b.append("  n").append(t).append("[\"").append(mermaidText(label(g.task(t)))).append("\"]\n");
    }
    for (int t = 0; t < g.size(); t++) {
      for (int d : g.deps(t)) {
        b.append("  n").append(d).append(" --> n").append(t).append('\n');
      }
    }
    for (Conflict c : plan.conflicts().pairs()) {
      if (!joined(g, c.a(), c.b())) {
        b.append("  n").append(c.a()).append(" -.- n").append(c.b()).append('\n');
      }
    }
    StringBuilder alone = new StringBuilder();
    for (int t = 0; t < g.size(); t++) {
      if (g.exclusive(t)) {
        alone.append(alone.isEmpty() ? "" : ",").append('n').append(t);
      }
    }
    if (!alone.isEmpty()) {
      b.append("  classDef alone stroke-width:3px\n");
      b.append("  class ").append(alone).append(" alone\n");
    }
    return b.toString();
  }

  static String dot(CheckedPlan plan) {
    TaskGraph g = TaskGraph.of(plan.manifest(), plan.conflicts());
    StringBuilder b = new StringBuilder("digraph plan {\n");
    b.append("  rankdir=LR;\n");
    b.append("  node [shape=box];\n");
    for (int t = 0; t < g.size(); t++) {
      b.append("  ").append(dotId(g.id(t))).append(" [label=").append(dotText(label(g.task(t))));
      if (g.exclusive(t)) {
        b.append(", penwidth=3");
      }
      b.append("];\n");
    }
    for (int t = 0; t < g.size(); t++) {
      for (int d : g.deps(t)) {
        b.append("  ").append(dotId(g.id(d))).append(" -> ").append(dotId(g.id(t))).append(";\n");
      }
    }
    for (Conflict c : plan.conflicts().pairs()) {
      if (!joined(g, c.a(), c.b())) {
        b.append("  ")
            .append(dotId(g.id(c.a())))
            .append(" -> ")
            .append(dotId(g.id(c.b())))
            .append(" [style=dashed, dir=none];\n");
      }
    }
    return b.append("}\n").toString();
  }

  private static boolean joined(TaskGraph g, int a, int b) {
    return Arrays.stream(g.deps(a)).anyMatch(d -> d == b)
        || Arrays.stream(g.deps(b)).anyMatch(d -> d == a);
  }

  private static String label(Task t) {
    return t.title() == null || t.title().equals(t.id()) ? t.id() : t.id() + ": " + t.title();
  }

  /** Mermaid's quoted labels take entity codes for what would end, break or format them. */
  private static String mermaidText(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("#quot;");
        case '#' -> b.append("#35;");
        case '<' -> b.append("#lt;");
        case '>' -> b.append("#gt;");
        // "`...`" is a Markdown label, which would drop the backticks and format the rest
        case '`' -> b.append("#96;");
        case '\n', '\r' -> b.append(' ');
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String dotId(String id) {
    return dotText(id);
  }

  /** A DOT double-quoted string. */
  private static String dotText(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> {}
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
