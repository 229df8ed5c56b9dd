package dev.braid.analysis;

import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Location;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Risk;
import dev.braid.manifest.SourceMap;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The plan's semantic rules: ids, references, cycles and the seeds' parallel-metadata rules.
 *
 * <p>Each diagnostic is located at the offending value ({@code /tasks/3/depends_on_tasks/1}) and
 * names its field as {@link SourceMap#fieldAsWritten(String)} does ({@code depends_on_tasks}, or as
 * another notation wrote it: Task Master's {@code dependencies}); diagnostics about a whole task
 * have a null field.
 */
public final class Validator {

  private Validator() {}

  /** Every error and warning, in file order (line, then column; stable). */
  public static List<Diagnostic> validate(Manifest manifest) {
    return validate(manifest, DependencyGraph.of(manifest));
  }

  /** Like {@link #validate(Manifest)}, with the plan's dependency graph already built. */
  public static List<Diagnostic> validate(Manifest manifest, DependencyGraph graph) {
    return validate(manifest, graph, null);
  }

  /**
   * Like {@link #validate(Manifest, DependencyGraph)}; with {@code directory} (whether a path
   * relative to the plan's repository is a directory there), also warns about a scope entry that
   * names a directory without the trailing '/' that makes it hold the files in it.
   */
  public static List<Diagnostic> validate(
      Manifest manifest, DependencyGraph graph, Predicate<String> directory) {
    return new Run(manifest, directory).all(graph);
  }

  /**
   * Whether a task has nothing to run: neither a command nor an agent (the reader already gave it
   * the plan's {@code defaults.agent}). {@code braid run} refuses such a task unless {@code
   * --agent} or {@code --command} supplies one, so validation only warns.
   */
  public static boolean runsNothing(Task task) {
    return (task.command() == null || task.command().isBlank()) && task.agent() == null;
  }

  /** What {@code braid run} and validation say about a task that {@link #runsNothing}. */
  public static String nothingToRun(String taskId) {
    return "task "
        + taskId
        + " has nothing to run: give it a command or an agent, or run with --agent NAME";
  }

  /**
   * Ids that differ from an earlier one only in the case of ASCII letters ({@code build} after
   * {@code Build}), each mapped to that earlier id. Braid names a task's log, prompt, branch and
   * worktree after its id, escaping every byte but ASCII letters, digits and {@code . _ -}; on a
   * case-insensitive file system (macOS and Windows by default) such twins would share them.
   */
  public static Map<String, String> caseTwins(List<Task> tasks) {
    Map<String, String> first = new HashMap<>();
    Map<String, String> twins = new LinkedHashMap<>();
    for (Task t : tasks) {
      String earlier = first.putIfAbsent(asciiLower(t.id()), t.id());
      if (earlier != null && !earlier.equals(t.id())) {
        twins.put(t.id(), earlier);
      }
    }
    return twins;
  }

  private static String asciiLower(String id) {
    StringBuilder b = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return b.toString();
  }

  private static final class Run {
    private final Manifest m;
    private final List<Task> tasks;
    private final SourceMap src;
    private final Map<String, Integer> index;
    private final List<Diagnostic> out = new ArrayList<>();
    private final Predicate<String> directory; // null: the file system is not looked at

    Run(Manifest m, Predicate<String> directory) {
      this.m = m;
      this.directory = directory;
      this.tasks = m.tasks();
      this.src = m.sources();
      this.index = m.indexById();
    }

    List<Diagnostic> all(DependencyGraph graph) {
      List<PathPattern> frozen = compiled(m.frozenFiles());
      boolean nothingRuns = tasks.size() > 1;
      for (Task t : tasks) {
        nothingRuns &= runsNothing(t);
      }
      if (nothingRuns) {
        // Plans read from tasks.md, tasks.json or checklists: one line, not one per task.
        warning(
            "",
            "none of the "
                + tasks.size()
                + " tasks has a command or agent, and there is no defaults.agent: nothing to"
                + " run; 'braid run --command CMD' runs CMD for each (with BRAID_TASK_ID set)");
      }
      Map<String, String> twins = caseTwins(tasks);
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        duplicateId(i, t);
        caseTwin(i, t, twins.get(t.id()));
        references(i, t);
        risk(i, t);
        patterns(i, t.fileScope());
        resources(i, t);
        if (!nothingRuns) {
          nothingToRun(i, t);
        }
        emptyScope(i, t);
        frozenScope(i, t, frozen);
      }
      patterns(-1, m.sharedFiles(), "/shared_files");
      patterns(-1, m.frozenFiles(), "/frozen_files");
      cycles(graph);
      sameCapability(graph);
      out.sort(
          Comparator.comparingInt((Diagnostic d) -> d.location().line())
              .thenComparingInt(d -> d.location().column()));
      // Task Master's subtasks each inherit their parent's dependencies from one place in the
      // file: an unknown one there is one mistake, said once, not once per subtask.
      return List.copyOf(new LinkedHashSet<>(out));
    }

    private void duplicateId(int i, Task t) {
      int first = index.get(t.id());
      if (first != i) {
        error(
            SourceMap.task(i, "task_id"),
            "duplicate id '"
                + t.id()
                + "' (first defined at "
                + src.locate(SourceMap.task(first, "task_id"))
                + ")");
      }
    }

    private void caseTwin(int i, Task t, String earlier) {
      if (earlier == null || index.get(t.id()) != i) {
        return; // no twin, or a duplicate, which is an error already
      }
      warning(
          SourceMap.task(i, "task_id"),
          "id '"
              + t.id()
              + "' differs from '"
              + earlier
              + "' (defined at "
              + src.locate(SourceMap.task(index.get(earlier), "task_id"))
              + ") only in case: on a case-insensitive file system (macOS, Windows) their logs,"
              + " branches and worktrees would be the same, and braid run refuses the plan there");
    }

    private void references(int i, Task t) {
      for (int k = 0; k < t.dependsOn().size(); k++) {
        String d = t.dependsOn().get(k);
        if (d.equals(t.id())) {
          error(element(i, "depends_on_tasks", k), "task '" + t.id() + "' depends on itself");
        } else if (!index.containsKey(d)) {
          error(element(i, "depends_on_tasks", k), "names unknown task '" + d + "'");
        }
      }
      if (t.conflictsWith().isEmpty()) {
        return;
      }
      Set<String> deps = new HashSet<>(t.dependsOn());
      for (int k = 0; k < t.conflictsWith().size(); k++) {
        String c = t.conflictsWith().get(k);
        String at = element(i, "conflicts_with", k);
        Integer j = index.get(c);
        if (c.equals(t.id())) {
          error(at, "task '" + t.id() + "' conflicts with itself");
        } else if (j == null) {
          error(at, "names unknown task '" + c + "'");
        } else {
          if (!tasks.get(j).conflictsWith().contains(t.id())) {
            warning(
                at,
                "'"
                    + c
                    + "' does not list '"
                    + t.id()
                    + "' in its conflicts_with; treated as symmetric");
          }
          if (deps.contains(c)) {
            warning(
                at,
                "'"
                    + c
                    + "' is also in depends_on_tasks, which already keeps them apart; redundant");
          }
        }
      }
    }

    private void risk(int i, Task t) {
      if (t.risk() == Risk.HIGH && t.parallel()) {
        String parallel = SourceMap.task(i, "parallel");
        String at = src.find(parallel).isPresent() ? parallel : SourceMap.task(i, "risk");
        error(at, "High-risk task '" + t.id() + "' must have parallel: false");
      }
    }

    /** The pointer of element {@code k} of a task's list field; built only to report on it. */
    private static String element(int task, String field, int k) {
      return SourceMap.task(task, field, Integer.toString(k));
    }

    private void patterns(int task, List<String> patterns) {
      patterns(task, patterns, null);
    }

    /** Checks a task's file_scope ({@code task >= 0}) or a top-level list at {@code list}. */
    private void patterns(int task, List<String> patterns, String list) {
      for (int k = 0; k < patterns.size(); k++) {
        String p = patterns.get(k);
        Optional<String> why = PathPattern.syntaxError(p);
        String at = task >= 0 ? element(task, "file_scope", k) : list + "/" + k;
        String dir;
        if (why.isPresent()) {
          error(at, "bad pattern '" + p + "': " + why.get());
        } else if ((dir = directoryNamed(p)) != null) {
          warning(
              at,
              "'"
                  + p
                  + "' is a directory, but without a trailing '/' it names one file, so the files"
                  + " in it are not covered (conflicts, scope checks); write '"
                  + dir
                  + "/'");
        }
      }
    }

    /**
     * The directory of the plan's repository that {@code p}, a valid entry, names as one path
     * (normalized), or null. Only names without a '.' in their last segment are looked at (files
     * mostly have one, directories mostly not), so that a 100k-task plan neither compiles its
     * entries twice nor stats every file it names.
     */
    private String directoryNamed(String p) {
      int last = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
      if (directory == null || last == p.length() - 1 || p.indexOf('.', last + 1) >= 0) {
        return null;
      }
      PathPattern pattern = PathPattern.compile(p);
      String path = pattern.normalized();
      return pattern.isLiteralFile() && directory.test(path) ? path : null;
    }

    /** The valid patterns of a list; bad ones are reported by {@link #patterns}. */
    private static List<PathPattern> compiled(List<String> patterns) {
      List<PathPattern> out = new ArrayList<>();
      for (String p : patterns) {
        if (PathPattern.syntaxError(p).isEmpty()) {
          out.add(PathPattern.compile(p));
        }
      }
      return out;
    }

    /**
     * A task scoped to a file that {@code frozen_files} forbids every task to change fails (with
     * worktree isolation) as soon as it does its job: say so before the run. Only named files, not
     * directories or globs, which may well hold other files the task is meant to change.
     */
    private void frozenScope(int i, Task t, List<PathPattern> frozen) {
      if (frozen.isEmpty()) {
        return;
      }
      for (int k = 0; k < t.fileScope().size(); k++) {
        String p = t.fileScope().get(k);
        if (PathPattern.syntaxError(p).isPresent() || !PathPattern.compile(p).isLiteralFile()) {
          continue;
        }
        String path = PathPattern.compile(p).normalized();
        for (PathPattern f : frozen) {
          if (f.matches(path)) {
            warning(
                element(i, "file_scope", k),
                "'"
                    + p
                    + "' is frozen (frozen_files: "
                    + f.source()
                    + "): the task fails if it changes it");
            break;
          }
        }
      }
    }

    private void resources(int i, Task t) {
      if (t.resources().isEmpty()) {
        return;
      }
      for (Map.Entry<String, Integer> r : new java.util.TreeMap<>(t.resources()).entrySet()) {
        String at = SourceMap.task(i, "resources", r.getKey());
        Integer capacity = m.resources().get(r.getKey());
        if (capacity == null) {
          error(at, "unknown resource '" + r.getKey() + "'; declare it in the top-level resources");
        } else if (r.getValue() > capacity) {
          error(
              at,
              "needs "
                  + r.getValue()
                  + " of resource '"
                  + r.getKey()
                  + "' but its capacity is "
                  + capacity
                  + "; the task could never start");
        }
      }
    }

    private void nothingToRun(int i, Task t) {
      if (runsNothing(t)) {
        warning(SourceMap.task(i), Validator.nothingToRun(t.id()));
      }
    }

    private void emptyScope(int i, Task t) {
      if (t.parallel() && t.fileScope().isEmpty()) {
        String scope = SourceMap.task(i, "file_scope");
        warning(
            src.find(scope).isPresent() ? scope : SourceMap.task(i),
            "parallel task '"
                + t.id()
                + "' has an empty file_scope, so its file conflicts cannot be detected");
      }
    }

    private void cycles(DependencyGraph graph) {
      Set<List<Integer>> seen = new HashSet<>();
      for (int[] cycle : graph.cycles()) {
        // Start at the task first in the file, so each cycle reads (and dedupes) one way.
        int len = cycle.length - 1;
        int start = 0;
        for (int k = 1; k < len; k++) {
          if (cycle[k] < cycle[start]) {
            start = k;
          }
        }
        List<Integer> ring = new ArrayList<>(len);
        for (int k = 0; k < len; k++) {
          ring.add(cycle[(start + k) % len]);
        }
        if (!seen.add(ring)) {
          continue;
        }
        StringBuilder text = new StringBuilder();
        for (int t : ring) {
          text.append(graph.id(t)).append(" -> ");
        }
        text.append(graph.id(ring.get(0)));
        int first = ring.get(0);
        String next = graph.id(ring.get(1 % len));
        int k = tasks.get(first).dependsOn().indexOf(next);
        error(
            SourceMap.task(first, "depends_on_tasks", Integer.toString(Math.max(k, 0))),
            "dependency cycle: " + text);
      }
    }

    /**
     * Seed rule 4, "serial within capability": each task is checked against the previous task of
     * its capability in file order.
     */
    private void sameCapability(DependencyGraph graph) {
      Map<String, Integer> previous = new HashMap<>();
      int[] stamp = new int[tasks.size()];
      int round = 0;
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        if (t.capabilityId() == null) {
          continue;
        }
        Integer p = previous.put(t.capabilityId(), i);
        if (p == null || tasks.get(p).id().equals(t.id())) {
          continue;
        }
        Task q = tasks.get(p);
        boolean conflict = t.conflictsWith().contains(q.id()) || q.conflictsWith().contains(t.id());
        if (conflict
            || reaches(graph, i, p, stamp, ++round)
            || reaches(graph, p, i, stamp, ++round)) {
          continue;
        }
        warning(
            SourceMap.task(i, "capability_id"),
            "shares capability '"
                + t.capabilityId()
                + "' with '"
                + q.id()
                + "' but neither depends on the other: Braid keeps them apart (same capability) in"
                + " no set order; depends_on_tasks would give them one");
      }
    }

    /** Whether {@code from} runs after {@code to}, directly or not. */
    private static boolean reaches(DependencyGraph g, int from, int to, int[] stamp, int round) {
      int[] stack = new int[16];
      int sp = 0;
      stack[sp++] = from;
      stamp[from] = round;
      while (sp > 0) {
        int v = stack[--sp];
        for (int d : g.deps(v)) {
          if (d == to) {
            return true;
          }
          if (stamp[d] != round) {
            stamp[d] = round;
            if (sp == stack.length) {
              stack = java.util.Arrays.copyOf(stack, sp * 2);
            }
            stack[sp++] = d;
          }
        }
      }
      return false;
    }

    private void error(String pointer, String message) {
      out.add(Diagnostic.error(at(pointer), src.fieldAsWritten(pointer), message));
    }

    private void warning(String pointer, String message) {
      out.add(Diagnostic.warning(at(pointer), src.fieldAsWritten(pointer), message));
    }

    private Location at(String pointer) {
      return src.locate(pointer);
    }
  }
}
