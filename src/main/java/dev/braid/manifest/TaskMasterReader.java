package dev.braid.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.braid.manifest.Tree.Arr;
import dev.braid.manifest.Tree.Num;
import dev.braid.manifest.Tree.Obj;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Task Master {@code tasks.json}: plain ({@code {"tasks": [...]}}) or tagged ({@code
 * {"master": {"tasks": [...]}}}; the tag Task Master works on, {@link #currentTag}, or, when that
 * is {@code master} and there is none, the only tag there is).
 *
 * <p>{@code id}, {@code title}, {@code dependencies} and {@code priority} ({@code high}, {@code
 * medium}, {@code low}; {@code critical} counts as high) map to Braid's fields; {@code
 * description}, {@code details} and {@code testStrategy} make up the description. Tasks whose
 * {@code status} is {@code done}, {@code completed}, {@code cancelled} or {@code deferred} are not
 * run. A task with {@code subtasks} runs as its subtasks ({@code 3.1}, {@code 3.2}, ...): they
 * inherit its dependencies and priority, and a task that depends on it waits for all of them. In a
 * subtask's {@code dependencies}, a bare number names a sibling subtask when there is one, else a
 * top-level task.
 */
final class TaskMasterReader {

  private TaskMasterReader() {}

  // tm-core's TaskStatus also has "completed" (what its API storage calls done)
  static final Set<String> STATUSES =
      Set.of(
          "pending",
          "in-progress",
          "done",
          "completed",
          "review",
          "deferred",
          "cancelled",
          "blocked");

  /** Statuses whose tasks are not run. */
  static final Set<String> FINISHED = Set.of("done", "completed", "cancelled", "deferred");

  /** Braid's fields as Task Master names them, for diagnostics. */
  static final Map<String, String> WRITTEN =
      Map.of("task_id", "id", "depends_on_tasks", "dependencies");

  /** The tag read from a tagged file. */
  static final String DEFAULT_TAG = "master";

  static ManifestReader.Result read(Path file) throws ManifestException {
    ManifestReader.Parsed parsed = ManifestReader.parse(file);
    PlanDraft draft = new PlanDraft(file, WRITTEN);
    draft.warnings.addAll(parsed.warnings());
    new Reader(draft, currentTag(file)).read(parsed.root(), parsed.rootPos());
    return draft.build(PlanFormat.TASK_MASTER);
  }

  /** The tasks array of a Task Master file, or an error message; shared with the write-back. */
  record TasksAt(Arr tasks, long pos, String error) {}

  /**
   * The tag Task Master works on for {@code file}: for {@code .taskmaster/tasks/tasks.json}, the
   * {@code currentTag} that {@code task-master use-tag} records in {@code .taskmaster/state.json};
   * else (no such file, none recorded, or not readable, as Task Master falls back too) {@code
   * master}.
   */
  static String currentTag(Path file) {
    Path tasks = file.toAbsolutePath().normalize().getParent();
    Path project = tasks == null ? null : tasks.getParent();
    if (project == null
        || !tasks.getFileName().toString().equals("tasks")
        || project.getFileName() == null
        || !project.getFileName().toString().equals(".taskmaster")) {
      return DEFAULT_TAG;
    }
    try (JsonParser p = new JsonFactory().createParser(project.resolve(STATE).toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return DEFAULT_TAG;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken v = p.nextToken();
        if (key.equals("currentTag") && v == JsonToken.VALUE_STRING && !p.getText().isBlank()) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      // no state.json, or one Task Master could not read either
    }
    return DEFAULT_TAG;
  }

  /** Where Task Master records its current tag, in {@code .taskmaster/}. */
  static final String STATE = "state.json";

  static TasksAt tasks(Object root, String current) {
    if (!(root instanceof Obj top)) {
      return new TasksAt(null, 0, "expected an object with 'tasks', got " + Tree.describe(root));
    }
    int plain = top.indexOf("tasks");
    if (plain >= 0) {
      return top.values[plain] instanceof Arr a
          ? new TasksAt(a, top.valuePos[plain], null)
          : new TasksAt(null, top.valuePos[plain], "expected a list of tasks");
    }
    List<Integer> tags = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      if (top.values[i] instanceof Obj o && o.indexOf("tasks") >= 0) {
        tags.add(i);
      }
    }
    int chosen = -1;
    for (int i : tags) {
      if (top.keys[i].equals(current)) {
        chosen = i;
      }
    }
    if (chosen < 0 && !current.equals(DEFAULT_TAG)) {
      return new TasksAt(
          null,
          0,
          "no tag '"
              + current
              + "', the current tag in .taskmaster/"
              + STATE
              + " (tags here: "
              + String.join(", ", tags.stream().map(i -> top.keys[i]).toList())
              + ")");
    }
    if (chosen < 0 && tags.size() == 1) {
      chosen = tags.get(0);
    }
    if (chosen < 0) {
      return new TasksAt(
          null,
          0,
          tags.isEmpty()
              ? "no 'tasks' list, neither at the top nor under a tag such as 'master'"
              : "several tags ("
                  + String.join(", ", tags.stream().map(i -> top.keys[i]).toList())
                  + ") and none named '"
                  + DEFAULT_TAG
                  + "' (with .taskmaster/"
                  + STATE
                  + " beside tasks/, Braid reads its current tag, as task-master does)");
    }
    Obj tag = (Obj) top.values[chosen];
    int t = tag.indexOf("tasks");
    return tag.values[t] instanceof Arr a
        ? new TasksAt(a, tag.valuePos[t], null)
        : new TasksAt(null, tag.valuePos[t], "expected a list of tasks");
  }

  /** A task's or subtask's id as text: {@code 3} or {@code "3"}; null when it is neither. */
  static String idText(Object v) {
    if (v instanceof Num n && n.integral()) {
      return n.text();
    }
    if (v instanceof String s && !s.isBlank()) {
      return s.strip();
    }
    return null;
  }

  private static final class Reader {
    final PlanDraft draft;

    /** Tasks that run as their subtasks: parent id to subtask ids. */
    final Map<String, List<String>> containers = new LinkedHashMap<>();

    /** The tag to read from a tagged file. */
    final String tag;

    Reader(PlanDraft draft, String tag) {
      this.draft = draft;
      this.tag = tag;
    }

    Location at(long pos) {
      return draft.at(Tree.line(pos), Tree.column(pos));
    }

    void read(Object root, long rootPos) {
      TasksAt found = tasks(root, tag);
      if (found.error() != null) {
        draft.error(at(found.pos() == 0 ? rootPos : found.pos()), "tasks", found.error());
        return;
      }
      Arr tasks = found.tasks();
      for (int i = 0; i < tasks.size(); i++) {
        task(tasks.values[i], tasks.pos[i]);
      }
      // Depending on a task with subtasks means waiting for all of them.
      for (PlanDraft.Item item : draft.items) {
        List<PlanDraft.Ref> deps = new ArrayList<>(item.deps);
        item.deps.clear();
        for (PlanDraft.Ref r : deps) {
          List<String> subtasks = containers.get(r.value());
          if (subtasks == null) {
            item.dependOn(r.value(), r.at());
          } else {
            subtasks.forEach(s -> item.dependOn(s, r.at()));
          }
        }
      }
      if (draft.items.isEmpty() && containers.isEmpty() && draft.errors.isEmpty()) {
        draft.error(at(found.pos()), "tasks", "no tasks");
      }
    }

    private void task(Object v, long pos) {
      if (!(v instanceof Obj o)) {
        draft.error(at(pos), null, "expected a task object, got " + Tree.describe(v));
        return;
      }
      String id = id(o, pos, "id");
      String title = string(o, "title");
      if (title == null && o.indexOf("title") < 0) {
        draft.error(at(pos), "title", "missing; every task needs a title");
      }
      boolean done = status(o);
      Integer priority = priority(o);
      List<PlanDraft.Ref> deps = deps(o, null, null);
      if (id == null) {
        return;
      }
      int sub = o.indexOf("subtasks");
      if (sub >= 0 && o.values[sub] instanceof Arr subtasks && subtasks.size() > 0) {
        List<String> ids = new ArrayList<>();
        List<String> local = new ArrayList<>();
        for (Object s : subtasks.values) {
          String sid = s instanceof Obj so ? idText(value(so, "id")) : null;
          local.add(sid);
        }
        for (int k = 0; k < subtasks.size(); k++) {
          String sid =
              subtask(id, subtasks.values[k], subtasks.pos[k], local, deps, priority, done);
          if (sid != null) {
            ids.add(sid);
          }
        }
        containers.put(id, ids);
        return;
      } else if (sub >= 0 && !(o.values[sub] instanceof Arr) && o.values[sub] != Tree.NULL) {
        draft.error(at(o.valuePos[sub]), "subtasks", "expected a list of subtasks");
      }
      PlanDraft.Item item = draft.add(id, at(pos), at(o.valuePos[o.indexOf("id")]));
      fill(item, o, title, done, priority, deps);
    }

    private String subtask(
        String parent,
        Object v,
        long pos,
        List<String> siblings,
        List<PlanDraft.Ref> parentDeps,
        Integer parentPriority,
        boolean parentDone) {
      if (!(v instanceof Obj o)) {
        draft.error(at(pos), "subtasks", "expected a subtask object, got " + Tree.describe(v));
        return null;
      }
      String local = id(o, pos, "subtasks.id");
      String title = string(o, "title");
      boolean done = status(o) || parentDone;
      Integer priority = priority(o);
      List<PlanDraft.Ref> deps = deps(o, parent, siblings);
      if (local == null) {
        return null;
      }
      String id = local.contains(".") ? local : parent + "." + local;
      PlanDraft.Item item = draft.add(id, at(pos), at(o.valuePos[o.indexOf("id")]));
      List<PlanDraft.Ref> all = new ArrayList<>(parentDeps);
      all.addAll(deps);
      fill(item, o, title, done, priority != null ? priority : parentPriority, all);
      return id;
    }

    private void fill(
        PlanDraft.Item item,
        Obj o,
        String title,
        boolean done,
        Integer priority,
        List<PlanDraft.Ref> deps) {
      item.title = title;
      item.done = done;
      item.priority = priority;
      int p = o.indexOf("priority");
      item.priorityAt = p >= 0 ? at(o.valuePos[p]) : null;
      deps.forEach(r -> item.dependOn(r.value(), r.at()));
      List<String> parts = new ArrayList<>();
      String description = string(o, "description");
      String details = string(o, "details");
      String test = string(o, "testStrategy");
      if (description != null && !description.isBlank()) {
        parts.add(description.strip());
      }
      if (details != null && !details.isBlank()) {
        parts.add(details.strip());
      }
      if (test != null && !test.isBlank()) {
        parts.add("Test strategy: " + test.strip());
      }
      item.description = parts.isEmpty() ? null : String.join("\n\n", parts);
    }

    private String id(Obj o, long pos, String field) {
      int i = o.indexOf("id");
      if (i < 0 || o.values[i] == Tree.NULL) {
        draft.error(at(pos), field, "missing; every task needs an id");
        return null;
      }
      String id = idText(o.values[i]);
      if (id == null) {
        draft.error(
            at(o.valuePos[i]),
            field,
            "expected a whole number or a string, got " + Tree.describe(o.values[i]));
      }
      return id;
    }

    private static Object value(Obj o, String key) {
      int i = o.indexOf(key);
      return i < 0 ? null : o.values[i];
    }

    private String string(Obj o, String key) {
      int i = o.indexOf(key);
      if (i < 0 || o.values[i] == Tree.NULL) {
        return null;
      }
      if (o.values[i] instanceof String s) {
        return s;
      }
      if (o.values[i] instanceof Num n) {
        return n.text();
      }
      draft.error(at(o.valuePos[i]), key, "expected a string, got " + Tree.describe(o.values[i]));
      return null;
    }

    /** Whether the task is finished (done, cancelled, deferred). */
    private boolean status(Obj o) {
      int i = o.indexOf("status");
      if (i < 0 || o.values[i] == Tree.NULL) {
        return false;
      }
      if (!(o.values[i] instanceof String s)) {
        draft.error(
            at(o.valuePos[i]), "status", "expected a string, got " + Tree.describe(o.values[i]));
        return false;
      }
      String st = s.strip().toLowerCase(Locale.ROOT);
      if (!STATUSES.contains(st)) {
        draft.warning(
            at(o.valuePos[i]),
            "status",
            "unknown status '"
                + s
                + "' (expected one of "
                + String.join(", ", STATUSES.stream().sorted().toList())
                + "); run as pending");
      }
      return FINISHED.contains(st);
    }

    private Integer priority(Obj o) {
      int i = o.indexOf("priority");
      if (i < 0 || o.values[i] == Tree.NULL) {
        return null;
      }
      if (o.values[i] instanceof String s) {
        switch (s.strip().toLowerCase(Locale.ROOT)) {
          case "critical", "high":
            return 1;
          case "medium":
            return 3;
          case "low":
            return 5;
          default:
            break;
        }
      }
      draft.error(
          at(o.valuePos[i]),
          "priority",
          "must be critical, high, medium or low, got "
              + (o.values[i] instanceof String s ? "'" + s + "'" : Tree.describe(o.values[i])));
      return null;
    }

    /**
     * {@code dependencies}: numbers or strings. In a subtask ({@code parent} not null) a bare
     * number names a sibling subtask when one has that id.
     */
    private List<PlanDraft.Ref> deps(Obj o, String parent, List<String> siblings) {
      List<PlanDraft.Ref> out = new ArrayList<>();
      int i = o.indexOf("dependencies");
      if (i < 0 || o.values[i] == Tree.NULL) {
        return out;
      }
      if (!(o.values[i] instanceof Arr a)) {
        draft.error(
            at(o.valuePos[i]),
            "dependencies",
            "expected a list of task ids, got " + Tree.describe(o.values[i]));
        return out;
      }
      for (int k = 0; k < a.size(); k++) {
        String d = idText(a.values[k]);
        Location where = at(a.pos[k]);
        if (d == null) {
          draft.error(
              where, "dependencies", "expected a task id, got " + Tree.describe(a.values[k]));
          continue;
        }
        if (parent != null && !d.contains(".") && siblings.contains(d)) {
          d = parent + "." + d;
        }
        out.add(new PlanDraft.Ref(d, where));
      }
      return out;
    }
  }
}
