package dev.braid.analysis;

import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code file_scope} updates proposed from what a task really changed (the seeds' "update
 * file_scope when conflicts occur"): every changed file outside the declared scope is added, and
 * {@value #COLLAPSE_AT} or more such files in one directory become that directory ({@code src/a/}).
 */
public final class ScopeSuggestions {

  /** How many out-of-scope files in one directory make the directory the suggestion. */
  public static final int COLLAPSE_AT = 3;

  private ScopeSuggestions() {}

  /** The entries to add to {@code task}'s scope so that it covers {@code changed}; sorted. */
  public static List<String> additions(Task task, Collection<String> changed) {
    return additions(task, changed, List.of());
  }

  /**
   * As {@link #additions(Task, Collection)}, leaving out files {@code frozenFiles} match: no scope
   * lets a task change those, so proposing one would only hide a broken contract.
   */
  public static List<String> additions(
      Task task, Collection<String> changed, List<String> frozenFiles) {
    List<PathPattern> scope = ScopeAudit.compileAll(task.fileScope());
    List<PathPattern> frozen = ScopeAudit.compileAll(frozenFiles);
    Map<String, TreeSet<String>> byDir = new TreeMap<>();
    for (String file : changed) {
      if (!ScopeAudit.anyMatches(scope, file) && !ScopeAudit.anyMatches(frozen, file)) {
        int slash = file.lastIndexOf('/');
        String dir = slash < 0 ? "" : file.substring(0, slash + 1);
        byDir.computeIfAbsent(dir, k -> new TreeSet<>()).add(file);
      }
    }
    TreeSet<String> out = new TreeSet<>();
    for (Map.Entry<String, TreeSet<String>> e : byDir.entrySet()) {
      if (!e.getKey().isEmpty() && e.getValue().size() >= COLLAPSE_AT) {
        out.add(e.getKey());
      } else {
        out.addAll(e.getValue());
      }
    }
    return new ArrayList<>(out);
  }
}
