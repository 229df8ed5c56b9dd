package dev.braid.analysis;

import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The files one task really changed, judged against what the plan said: {@code outOfScope} are
 * changed files no entry of its {@code file_scope} matches (all of them when it declared none),
 * {@code frozen} are changed files the plan's {@code frozen_files} forbid every task to change.
 */
public record ScopeAudit(
    String taskId, List<String> changed, List<String> outOfScope, List<String> frozen) {

  public ScopeAudit {
    Objects.requireNonNull(taskId, "taskId");
    changed = List.copyOf(changed);
    outOfScope = List.copyOf(outOfScope);
    frozen = List.copyOf(frozen);
  }

  /** Audits {@code changed} (paths relative to the repository root) for {@code task}. */
  public static ScopeAudit of(Task task, Collection<String> changed, List<String> frozenFiles) {
    List<PathPattern> scope = compileAll(task.fileScope());
    List<PathPattern> frozenPatterns = compileAll(frozenFiles);
    List<String> out = new ArrayList<>();
    List<String> frozen = new ArrayList<>();
    for (String file : changed) {
      if (!anyMatches(scope, file)) {
        out.add(file);
      }
      if (anyMatches(frozenPatterns, file)) {
        frozen.add(file);
      }
    }
    return new ScopeAudit(task.id(), List.copyOf(changed), out, frozen);
  }

  public boolean withinScope() {
    return outOfScope.isEmpty();
  }

  /** Compiles scope entries, leaving out invalid ones (validation reports those). */
  static List<PathPattern> compileAll(List<String> patterns) {
    List<PathPattern> out = new ArrayList<>(patterns.size());
    for (String p : patterns) {
      if (PathPattern.syntaxError(p).isEmpty()) {
        out.add(PathPattern.compile(p));
      }
    }
    return out;
  }

  static boolean anyMatches(List<PathPattern> patterns, String file) {
    for (PathPattern p : patterns) {
      if (p.matches(file)) {
        return true;
      }
    }
    return false;
  }
}
