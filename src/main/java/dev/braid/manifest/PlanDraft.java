package dev.braid.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan being assembled by the reader of another notation: tasks with the places they came from,
 * plus the problems found. {@link #build} turns it into a {@link Manifest} whose {@link SourceMap}
 * points into the original file, so validation errors name its lines.
 *
 * <p>Tasks already done are left out of the plan; a task that depended on one depends on that one's
 * own dependencies instead, so the order around it still holds. What the tasks wrote is kept in
 * {@link DoneTasks}, as a run must not take those changes for the user's.
 */
final class PlanDraft {

  /** A value and where it was written. */
  record Ref(String value, Location at) {}

  /** One task as read. */
  static final class Item {
    final String id;
    final Location at;
    final Location idAt;
    String title;
    String description;
    boolean parallel = true;
    String group;
    Estimate est = Estimate.NONE;
    Location estAt;
    Integer priority;
    Location priorityAt;

    /** What this task's dependencies were written as, when not the notation's usual name. */
    String depsWritten;

    boolean done;
    final List<Ref> deps = new ArrayList<>();
    final List<Ref> conflicts = new ArrayList<>();
    final List<Ref> scope = new ArrayList<>();

    Item(String id, Location at, Location idAt) {
      this.id = id;
      this.at = at;
      this.idAt = idAt;
    }

    void dependOn(String other, Location where) {
      for (Ref r : deps) {
        if (r.value().equals(other)) {
          return;
        }
      }
      deps.add(new Ref(other, where));
    }

    void conflictWith(String other, Location where) {
      for (Ref r : conflicts) {
        if (r.value().equals(other)) {
          return;
        }
      }
      conflicts.add(new Ref(other, where));
    }
  }

  /**
   * Tasks in file order where neighbouring tasks marked parallel ({@code [P]}) form a group that
   * may run together, and every other task runs after everything before it: each task depends on
   * the group or task just before its own.
   */
  static final class InOrder {
    private List<Item> previous = List.of();
    private List<Item> current = new ArrayList<>();
    private boolean currentParallel;
    private final Set<String> ids = new HashSet<>();

    void add(Item item, boolean parallel) {
      if (!ids.add(item.id)) {
        // A second task with an id already seen is an error validation reports; ordering it
        // would derive edges onto its namesake (a task depending on itself, or a false cycle).
        return;
      }
      if (!(parallel && currentParallel && !current.isEmpty())) {
        barrier();
        currentParallel = parallel;
      }
      current.add(item);
      for (Item p : previous) {
        item.dependOn(p.id, item.at);
      }
    }

    /** What comes next runs after everything so far (a new phase). */
    void barrier() {
      if (!current.isEmpty()) {
        previous = current;
        current = new ArrayList<>();
      }
      currentParallel = false;
    }

    /** The tasks of the current group (the last added ones). */
    List<Item> last() {
      return current.isEmpty() ? previous : current;
    }
  }

  final Path file;
  final List<Item> items = new ArrayList<>();
  final List<Diagnostic> errors = new ArrayList<>();
  final List<Diagnostic> warnings = new ArrayList<>();

  /**
   * Braid's fields as this notation writes them ({@code depends_on_tasks} is Task Master's {@code
   * dependencies}): what validation's diagnostics name.
   */
  final Map<String, String> written;

  PlanDraft(Path file, Map<String, String> written) {
    this.file = file;
    this.written = written;
  }

  Location at(int line, int column) {
    return new Location(file, line, column);
  }

  Item add(String id, Location at, Location idAt) {
    Item item = new Item(id, at, idAt);
    items.add(item);
    return item;
  }

  void error(Location at, String field, String message) {
    errors.add(Diagnostic.error(at, field, message));
  }

  void warning(Location at, String field, String message) {
    warnings.add(Diagnostic.warning(at, field, message));
  }

  /** The first item with each id. */
  Map<String, Item> byId() {
    Map<String, Item> map = new HashMap<>();
    for (Item i : items) {
      map.putIfAbsent(i.id, i);
    }
    return map;
  }

  /**
   * The plan of the tasks not yet done. Throws with every error found while reading; validation
   * (unknown ids, cycles, ...) is left to the caller, which gets located diagnostics from the
   * source map.
   */
  ManifestReader.Result build(PlanFormat format) throws ManifestException {
    List<Diagnostic> all = new ArrayList<>(errors);
    all.addAll(warnings);
    all.sort(ManifestReader.BY_POSITION);
    if (!errors.isEmpty()) {
      throw new ManifestException(all);
    }
    Map<String, Item> byId = byId();
    Map<String, List<Ref>> bridged = new HashMap<>();
    List<String> done = new ArrayList<>();
    List<Task> tasks = new ArrayList<>();
    Map<String, List<String>> writtenDeps = new HashMap<>();
    Map<String, List<String>> writtenConflicts = new HashMap<>();
    Map<String, Location> locations = new HashMap<>();
    Map<String, String> names = new HashMap<>(written);
    for (Item item : items) {
      if (item.done) {
        done.add(item.id);
        continue;
      }
      int i = tasks.size();
      Map<String, Ref> deps = new LinkedHashMap<>();
      for (Ref r : item.deps) {
        Item target = byId.get(r.value());
        if (target != null && target.done) {
          for (Ref d : openDeps(target, byId, bridged, new HashSet<>())) {
            deps.putIfAbsent(d.value(), new Ref(d.value(), r.at()));
          }
        } else {
          deps.putIfAbsent(r.value(), r);
        }
      }
      List<Ref> conflicts = new ArrayList<>();
      for (Ref r : item.conflicts) {
        Item target = byId.get(r.value());
        if (target == null || !target.done) {
          conflicts.add(r);
        }
      }
      List<String> depIds = List.copyOf(deps.keySet());
      List<String> conflictIds = conflicts.stream().map(Ref::value).toList();
      List<String> asWritten = item.deps.stream().map(Ref::value).toList();
      if (!asWritten.equals(depIds)) {
        writtenDeps.put(item.id, asWritten);
      }
      if (conflicts.size() != item.conflicts.size()) {
        writtenConflicts.put(item.id, item.conflicts.stream().map(Ref::value).toList());
      }
      locations.put(SourceMap.task(i), item.at);
      locations.put(SourceMap.task(i, "task_id"), item.idAt);
      putAll(locations, i, "depends_on_tasks", List.copyOf(deps.values()));
      if (item.depsWritten != null) {
        names.put(SourceMap.task(i, "depends_on_tasks"), item.depsWritten);
      }
      putAll(locations, i, "conflicts_with", conflicts);
      putAll(locations, i, "file_scope", item.scope);
      if (item.estAt != null) {
        locations.put(SourceMap.task(i, "est"), item.estAt);
      }
      if (item.priorityAt != null) {
        locations.put(SourceMap.task(i, "priority"), item.priorityAt);
      }
      tasks.add(
          new Task(
              item.id,
              item.title,
              item.description,
              null,
              null,
              depIds,
              conflictIds,
              item.scope.stream().map(Ref::value).distinct().toList(),
              item.parallel,
              item.group,
              null,
              item.est,
              item.priority == null ? Task.DEFAULT_PRIORITY : item.priority,
              List.of(),
              Map.of(),
              null,
              0,
              List.of(),
              List.of(),
              null,
              null));
    }
    Manifest m =
        new Manifest(
            file,
            Manifest.CURRENT_VERSION,
            Defaults.NONE,
            tasks,
            null,
            Map.of(),
            Map.of(),
            List.of(),
            List.of(),
            null,
            new SourceMap(file, locations, names),
            new DoneTasks(done, writtenDeps, writtenConflicts));
    return new ManifestReader.Result(m, all, format, done);
  }

  private static void putAll(
      Map<String, Location> locations, int task, String field, List<Ref> refs) {
    for (int k = 0; k < refs.size(); k++) {
      locations.put(SourceMap.task(task, field, Integer.toString(k)), refs.get(k).at());
    }
  }

  /** The dependencies of a done task that are not done, looking through done ones. */
  private static List<Ref> openDeps(
      Item doneItem, Map<String, Item> byId, Map<String, List<Ref>> memo, Set<String> visiting) {
    List<Ref> known = memo.get(doneItem.id);
    if (known != null) {
      return known;
    }
    if (!visiting.add(doneItem.id)) {
      return List.of(); // a cycle through done tasks: nothing left to wait for
    }
    List<Ref> out = new ArrayList<>();
    for (Ref r : doneItem.deps) {
      Item target = byId.get(r.value());
      if (target != null && target.done) {
        out.addAll(openDeps(target, byId, memo, visiting));
      } else {
        out.add(r);
      }
    }
    memo.put(doneItem.id, out);
    return out;
  }
}
