package dev.braid.manifest;

import dev.braid.manifest.Tree.Arr;
import dev.braid.manifest.Tree.Num;
import dev.braid.manifest.Tree.Obj;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Maps a parsed {@link Tree} to a {@link Manifest}, collecting every error and warning. */
final class Decoder {

  private static final Set<String> PROMPT_VIA = Set.of("argument", "stdin", "file");
  private static final Set<String> PARSERS = Set.of("claude-stream-json", "codex-json", "lines");

  private final Path file;
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> warnings = new ArrayList<>();

  Decoder(Path file) {
    this.file = file;
  }

  List<Diagnostic> errors() {
    return errors;
  }

  List<Diagnostic> warnings() {
    return warnings;
  }

  void duplicateKey(Tree.DuplicateKey d) {
    error(
        d.pos(),
        d.pointer(),
        "duplicate key (first at "
            + Tree.line(d.firstPos())
            + ":"
            + Tree.column(d.firstPos())
            + ")");
  }

  // ---------------------------------------------------------------- top level

  Manifest manifest(Object root, long rootPos) {
    if (!(root instanceof Obj top)) {
      error(
          rootPos, "", "expected an object with 'version' and 'tasks', got " + Tree.describe(root));
      return null;
    }
    int version = Manifest.CURRENT_VERSION;
    Defaults defaults = Defaults.NONE;
    Checkpoint checkpoint = null;
    Map<String, AgentSpec> agents = Map.of();
    Map<String, Integer> resources = Map.of();
    List<String> sharedFiles = List.of();
    List<String> frozenFiles = List.of();
    PromptTemplate promptTemplate = null;
    int tasksAt = -1;
    for (int i = 0; i < top.size(); i++) {
      String key = top.keys[i];
      Object v = top.values[i];
      long at = top.valuePos[i];
      String ptr = "/" + SourceMap.escape(key);
      switch (key) {
        case "version" -> version = v == Tree.NULL ? version : version(v, at, ptr);
        case "tasks" -> tasksAt = i;
        case "defaults" -> defaults = defaults(v, at, ptr);
        case "checkpoint" -> checkpoint = checkpoint(v, at, ptr);
        case "agents" -> agents = agents(v, at, ptr);
        case "resources" -> resources = capacities(v, at, ptr);
        case "shared_files" -> sharedFiles = strings(v, at, ptr, "a path");
        case "frozen_files" -> frozenFiles = strings(v, at, ptr, "a path");
        case "prompt_template" -> promptTemplate = promptTemplate(v, at, ptr);
        default -> unknown(top.keyPos[i], ptr, key, ManifestReader.TOP_LEVEL_FIELDS);
      }
    }
    List<Task> tasks = new ArrayList<>();
    // As everywhere in a plan, null means "not given": for the one required field, missing.
    if (tasksAt < 0) {
      error(rootPos, "/tasks", "missing; a plan needs a list of tasks");
    } else if (top.values[tasksAt] == Tree.NULL) {
      error(top.valuePos[tasksAt], "/tasks", "missing; a plan needs a list of tasks");
    } else if (top.values[tasksAt] instanceof Arr list) {
      tasks = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        Task t = task(list.values[i], list.pos[i], "/tasks/" + i, defaults);
        if (t != null) {
          tasks.add(t);
        }
      }
    } else {
      error(
          top.valuePos[tasksAt],
          "/tasks",
          "expected a list of tasks, got " + Tree.describe(top.values[tasksAt]));
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new Manifest(
        file,
        version,
        defaults,
        tasks,
        checkpoint,
        agents,
        resources,
        sharedFiles,
        frozenFiles,
        promptTemplate,
        new SourceMap(file, root, rootPos));
  }

  private int version(Object v, long at, String ptr) {
    String text = v instanceof Num n ? n.text() : v instanceof String s ? s.trim() : null;
    if (text != null && (text.equals("1") || text.equals("1.0"))) {
      return 1;
    }
    error(
        at,
        ptr,
        "unsupported version "
            + (text == null ? Tree.describe(v) : "'" + text + "'")
            + "; this Braid reads version "
            + Manifest.CURRENT_VERSION);
    return Manifest.CURRENT_VERSION;
  }

  private Defaults defaults(Object v, long at, String ptr) {
    Obj o = object(v, at, ptr);
    if (o == null) {
      return Defaults.NONE;
    }
    String agent = null;
    Duration timeout = null;
    Integer retries = null;
    Integer priority = null;
    Estimate est = Estimate.NONE;
    for (int i = 0; i < o.size(); i++) {
      String key = o.keys[i];
      Object val = o.values[i];
      long vp = o.valuePos[i];
      String p = ptr + "/" + SourceMap.escape(key);
      if (val == Tree.NULL) {
        if (!ManifestReader.DEFAULTS_FIELDS.contains(key)) {
          unknown(o.keyPos[i], p, key, ManifestReader.DEFAULTS_FIELDS);
        }
        continue;
      }
      switch (key) {
        case "agent" -> agent = string(val, vp, p);
        case "timeout" -> timeout = duration(val, vp, p);
        case "retries" -> retries = retries(val, vp, p);
        case "priority" -> priority = priority(val, vp, p);
        case "est" -> est = estimate(val, vp, p);
        default -> unknown(o.keyPos[i], p, key, ManifestReader.DEFAULTS_FIELDS);
      }
    }
    return new Defaults(agent, timeout, retries, priority, est);
  }

  private Checkpoint checkpoint(Object v, long at, String ptr) {
    if (v == Tree.NULL) {
      return null;
    }
    if (v instanceof String s) {
      if (s.isBlank()) {
        error(at, ptr, "checkpoint command must not be blank");
        return null;
      }
      return new Checkpoint(s, new Checkpoint.After.Wave());
    }
    Obj o = object(v, at, ptr);
    if (o == null) {
      return null;
    }
    String command = null;
    Checkpoint.After after = new Checkpoint.After.Wave();
    for (int i = 0; i < o.size(); i++) {
      String key = o.keys[i];
      Object val = o.values[i];
      long vp = o.valuePos[i];
      String p = ptr + "/" + SourceMap.escape(key);
      switch (key) {
        case "command" -> command = string(val, vp, p);
        case "after" -> {
          String text = val instanceof Num n ? n.text() : val instanceof String s ? s : null;
          Checkpoint.After parsed = text == null ? null : Checkpoint.After.parse(text).orElse(null);
          if (parsed == null) {
            error(vp, p, "must be wave, each, end or a number of merges >= 1, got " + shown(val));
          } else {
            after = parsed;
          }
        }
        default -> unknown(o.keyPos[i], p, key, ManifestReader.CHECKPOINT_FIELDS);
      }
    }
    if (command == null || command.isBlank()) {
      error(at, ptr + "/command", "missing; a checkpoint needs a command");
      return null;
    }
    return new Checkpoint(command, after);
  }

  /** A user's agents file: {@code agents:} with the same profiles as a plan's. */
  Map<String, AgentSpec> agentsFile(Object root, long rootPos) {
    if (!(root instanceof Obj top)) {
      error(rootPos, "", "expected an object with 'agents', got " + Tree.describe(root));
      return Map.of();
    }
    Map<String, AgentSpec> agents = Map.of();
    for (int i = 0; i < top.size(); i++) {
      String key = top.keys[i];
      String ptr = "/" + SourceMap.escape(key);
      if (key.equals("agents")) {
        agents = agents(top.values[i], top.valuePos[i], ptr);
      } else {
        unknown(top.keyPos[i], ptr, key, Set.of("agents"));
      }
    }
    return agents;
  }

  private PromptTemplate promptTemplate(Object v, long at, String ptr) {
    if (v == Tree.NULL) {
      return null;
    }
    if (v instanceof String s) {
      if (s.isBlank()) {
        error(at, ptr, "must not be blank; give a file path or {text: ...}");
        return null;
      }
      return new PromptTemplate.File(s);
    }
    Obj o = object(v, at, ptr);
    if (o == null) {
      return null;
    }
    PromptTemplate found = null;
    for (int i = 0; i < o.size(); i++) {
      String key = o.keys[i];
      Object val = o.values[i];
      long vp = o.valuePos[i];
      String p = ptr + "/" + SourceMap.escape(key);
      switch (key) {
        case "file" -> {
          String path = string(val, vp, p);
          if (path != null && path.isBlank()) {
            error(vp, p, "must not be blank");
          } else if (path != null) {
            found = found == null ? new PromptTemplate.File(path) : found;
          }
        }
        case "text" -> {
          String text = string(val, vp, p);
          if (text != null) {
            found = found == null ? new PromptTemplate.Inline(text) : found;
          }
        }
        default -> unknown(o.keyPos[i], p, key, ManifestReader.PROMPT_TEMPLATE_FIELDS);
      }
    }
    if (o.indexOf("file") >= 0 && o.indexOf("text") >= 0) {
      error(at, ptr, "give either file or text, not both");
      return null;
    }
    if (found == null && o.indexOf("file") < 0 && o.indexOf("text") < 0) {
      error(at, ptr, "expected {file: PATH} or {text: TEMPLATE}");
    }
    return found;
  }

  private Map<String, AgentSpec> agents(Object v, long at, String ptr) {
    Obj o = object(v, at, ptr);
    if (o == null) {
      return Map.of();
    }
    Map<String, AgentSpec> agents = new LinkedHashMap<>();
    for (int i = 0; i < o.size(); i++) {
      String name = o.keys[i];
      AgentSpec a = agent(name, o.values[i], o.valuePos[i], ptr + "/" + SourceMap.escape(name));
      if (a != null) {
        agents.put(name, a);
      }
    }
    return agents;
  }

  private AgentSpec agent(String name, Object v, long at, String ptr) {
    Obj o = object(v, at, ptr);
    if (o == null) {
      return null;
    }
    List<String> command = null;
    String promptVia = null;
    Map<String, String> env = Map.of();
    List<String> args = List.of();
    String parser = null;
    for (int i = 0; i < o.size(); i++) {
      String key = o.keys[i];
      Object val = o.values[i];
      long vp = o.valuePos[i];
      String p = ptr + "/" + SourceMap.escape(key);
      switch (key) {
        case "command" -> {
          if (val instanceof String s) {
            command = splitCommand(s);
          } else {
            command = strings(val, vp, p, "a command word");
          }
          if (command.isEmpty()) {
            error(vp, p, "command must not be empty");
          }
        }
        case "prompt_via" -> promptVia = oneOf(val, vp, p, PROMPT_VIA, "argument, stdin, file");
        case "env" -> env = env(val, vp, p);
        case "args" -> args = strings(val, vp, p, "an argument");
        case "parser" ->
            parser = oneOf(val, vp, p, PARSERS, "claude-stream-json, codex-json, lines");
        default -> unknown(o.keyPos[i], p, key, ManifestReader.AGENT_FIELDS);
      }
    }
    // No command: the profile refines the built-in agent of the same name (checked by `agent`).
    return new AgentSpec(name, command == null ? List.of() : command, promptVia, env, args, parser);
  }

  private Map<String, String> env(Object v, long at, String ptr) {
    Obj o = object(v, at, ptr);
    if (o == null) {
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < o.size(); i++) {
      Object val = o.values[i];
      String text =
          val instanceof String s
              ? s
              : val instanceof Num n ? n.text() : val instanceof Boolean b ? b.toString() : null;
      if (text == null) {
        error(
            o.valuePos[i],
            ptr + "/" + SourceMap.escape(o.keys[i]),
            "expected a string, got " + Tree.describe(val));
      } else {
        env.put(o.keys[i], text);
      }
    }
    return env;
  }

  private Map<String, Integer> capacities(Object v, long at, String ptr) {
    Obj o = object(v, at, ptr);
    if (o == null) {
      return Map.of();
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < o.size(); i++) {
      String p = ptr + "/" + SourceMap.escape(o.keys[i]);
      Long n = integer(o.values[i], o.valuePos[i], p);
      if (n == null) {
        continue;
      }
      if (n < 1 || n > Integer.MAX_VALUE) {
        error(o.valuePos[i], p, "must be a positive integer, got " + n);
      } else {
        out.put(o.keys[i], n.intValue());
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- tasks

  private Task task(Object v, long at, String ptr, Defaults defaults) {
    if (!(v instanceof Obj o)) {
      error(at, ptr, "expected a task object, got " + Tree.describe(v));
      return null;
    }
    int before = errors.size();
    String id = null;
    String title = null;
    String description = null;
    String command = null;
    String agent = null;
    List<String> dependsOn = List.of();
    List<String> conflictsWith = List.of();
    List<String> fileScope = List.of();
    boolean parallel = true;
    String parallelismGroup = null;
    Risk risk = null;
    Estimate est = Estimate.NONE;
    Integer priority = null;
    List<AcceptanceCriterion> criteria = List.of();
    Map<String, Integer> resources = Map.of();
    Duration timeout = null;
    Integer retries = null;
    List<String> relatedSpecs = List.of();
    List<String> testVerification = List.of();
    String capabilityId = null;
    PromptTemplate promptTemplate = null;
    for (int i = 0; i < o.size(); i++) {
      String key = o.keys[i];
      Object val = o.values[i];
      long vp = o.valuePos[i];
      String p = ptr + "/" + SourceMap.escape(key);
      if (val == Tree.NULL) {
        if (!ManifestReader.TASK_FIELDS.contains(key)
            && !ManifestReader.IGNORED_TASK_FIELDS.contains(key)) {
          unknown(o.keyPos[i], p, key, ManifestReader.TASK_FIELDS);
        }
        continue; // null means "not given"
      }
      switch (key) {
        case "task_id" -> id = taskId(val, vp, p);
        case "title" -> title = string(val, vp, p);
        case "description" -> description = string(val, vp, p);
        case "command" -> command = string(val, vp, p);
        case "agent" -> agent = string(val, vp, p);
        case "depends_on_tasks" -> dependsOn = strings(val, vp, p, "a task id");
        case "conflicts_with" -> conflictsWith = strings(val, vp, p, "a task id");
        case "file_scope" -> fileScope = strings(val, vp, p, "a path");
        case "parallel" -> parallel = bool(val, vp, p, true);
        case "parallelism_group" -> parallelismGroup = string(val, vp, p);
        case "risk" -> risk = risk(val, vp, p);
        case "est" -> est = estimate(val, vp, p);
        case "priority" -> priority = priority(val, vp, p);
        case "acceptance_criteria" -> criteria = criteria(val, vp, p);
        case "resources" -> resources = capacities(val, vp, p);
        case "timeout" -> timeout = duration(val, vp, p);
        case "retries" -> retries = retries(val, vp, p);
        case "related_specs" -> relatedSpecs = strings(val, vp, p, "a path");
        case "test_verification" -> testVerification = strings(val, vp, p, "a check");
        case "capability_id" -> capabilityId = string(val, vp, p);
        case "prompt_template" -> promptTemplate = promptTemplate(val, vp, p);
        default -> {
          if (!ManifestReader.IGNORED_TASK_FIELDS.contains(key)) {
            unknown(o.keyPos[i], p, key, ManifestReader.TASK_FIELDS);
          }
        }
      }
    }
    int idAt = o.indexOf("task_id");
    if (idAt < 0 || o.values[idAt] == Tree.NULL) {
      error(at, ptr + "/task_id", "missing; every task needs an id");
    }
    if (errors.size() != before) {
      return null;
    }
    if (command == null && agent == null) {
      agent = defaults.agent();
    }
    return new Task(
        id,
        title,
        description,
        command,
        agent,
        dependsOn,
        conflictsWith,
        fileScope,
        parallel,
        parallelismGroup,
        risk,
        est.orElse(defaults.est()),
        priority != null
            ? priority
            : defaults.priority() != null ? defaults.priority() : Task.DEFAULT_PRIORITY,
        criteria,
        resources,
        timeout != null ? timeout : defaults.timeout(),
        retries != null ? retries : defaults.retries() != null ? defaults.retries() : 0,
        relatedSpecs,
        testVerification,
        capabilityId,
        promptTemplate);
  }

  private String taskId(Object v, long at, String ptr) {
    String id = string(v, at, ptr);
    if (id == null) {
      return null;
    }
    if (id.isBlank()) {
      error(at, ptr, "must not be blank");
      return null;
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        error(at, ptr, "must not contain control characters, got " + quoted(id));
        return null;
      }
    }
    return id;
  }

  private Risk risk(Object v, long at, String ptr) {
    Risk r = v instanceof String s ? Risk.parse(s).orElse(null) : null;
    if (r == null) {
      error(at, ptr, "must be one of Low, Medium, High, got " + shown(v));
    }
    return r;
  }

  private Integer priority(Object v, long at, String ptr) {
    if (v instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "high":
          return 1;
        case "medium":
          return 3;
        case "low":
          return 5;
        default:
          break;
      }
    } else if (v instanceof Num n && n.integral()) {
      Long p = parseLong(n.text());
      if (p != null && p >= 1 && p <= 5) {
        return p.intValue();
      }
    }
    error(at, ptr, "must be 1..5 (1 runs first) or high, medium, low, got " + shown(v));
    return null;
  }

  private Integer retries(Object v, long at, String ptr) {
    Long n = integer(v, at, ptr);
    if (n == null) {
      return null;
    }
    if (n < 0 || n > Integer.MAX_VALUE) {
      error(at, ptr, "must be an integer >= 0, got " + n);
      return null;
    }
    return n.intValue();
  }

  private Estimate estimate(Object v, long at, String ptr) {
    if (v instanceof Num n) {
      Double m = minutes(n, at, ptr);
      return m == null ? Estimate.NONE : Estimate.ofMinutes(m);
    }
    if (v instanceof String s) {
      var size = Size.parse(s);
      if (size.isPresent()) {
        return new Estimate(null, size.get());
      }
      Double m = estimateMinutes(s);
      if (m != null) {
        return Estimate.ofMinutes(m);
      }
      error(
          at,
          ptr,
          "expected minutes, a size (S, M, L, XL), a duration like '15m' or {minutes, size}, got "
              + quoted(s));
      return Estimate.NONE;
    }
    Obj o = object(v, at, ptr);
    if (o == null) {
      return Estimate.NONE;
    }
    Double minutes = null;
    Size size = null;
    for (int i = 0; i < o.size(); i++) {
      String key = o.keys[i];
      Object val = o.values[i];
      long vp = o.valuePos[i];
      String p = ptr + "/" + SourceMap.escape(key);
      if (val == Tree.NULL && ManifestReader.EST_FIELDS.contains(key)) {
        continue;
      }
      switch (key) {
        case "minutes" -> {
          if (val instanceof Num n) {
            minutes = minutes(n, vp, p);
          } else if (val instanceof String s && estimateMinutes(s) != null) {
            minutes = estimateMinutes(s);
          } else {
            error(vp, p, "expected a number of minutes, got " + shown(val));
          }
        }
        case "size" -> {
          size = val instanceof String s ? Size.parse(s).orElse(null) : null;
          if (size == null) {
            error(vp, p, "must be one of S, M, L, XL, got " + shown(val));
          }
        }
        default -> unknown(o.keyPos[i], p, key, ManifestReader.EST_FIELDS);
      }
    }
    return new Estimate(minutes, size);
  }

  /** {@code "15"} is 15 minutes, {@code "1h30m"} 90; null when {@code s} is neither. */
  private static Double estimateMinutes(String s) {
    String t = s.strip();
    try {
      if (!t.isEmpty() && t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
        return Double.parseDouble(t);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return Durations.parse(t).map(d -> d.toNanos() / 60e9).orElse(null);
  }

  private Double minutes(Num n, long at, String ptr) {
    try {
      double m = Double.parseDouble(n.text());
      if (m >= 0 && !Double.isInfinite(m)) {
        return m;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(at, ptr, "minutes must be a number >= 0, got " + n.text());
    return null;
  }

  private List<AcceptanceCriterion> criteria(Object v, long at, String ptr) {
    if (v instanceof String s) {
      return List.of(AcceptanceCriterion.of(s));
    }
    if (!(v instanceof Arr a)) {
      error(
          at, ptr, "expected a list of criteria ({id, text} or strings), got " + Tree.describe(v));
      return List.of();
    }
    List<AcceptanceCriterion> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      Object e = a.values[i];
      String p = ptr + "/" + i;
      if (e instanceof String || e instanceof Num) {
        out.add(AcceptanceCriterion.of(string(e, a.pos[i], p)));
      } else if (e instanceof Obj o) {
        String id = null;
        String text = null;
        for (int k = 0; k < o.size(); k++) {
          String key = o.keys[k];
          String kp = p + "/" + SourceMap.escape(key);
          Object val = o.values[k];
          if (val == Tree.NULL && ManifestReader.CRITERION_FIELDS.contains(key)) {
            continue;
          }
          switch (key) {
            case "id" -> id = string(val, o.valuePos[k], kp);
            case "text" -> text = string(val, o.valuePos[k], kp);
            default -> unknown(o.keyPos[k], kp, key, ManifestReader.CRITERION_FIELDS);
          }
        }
        if (text == null) {
          if (o.indexOf("text") < 0 || o.values[o.indexOf("text")] == Tree.NULL) {
            error(a.pos[i], p + "/text", "missing; an acceptance criterion needs a text");
          }
        } else {
          out.add(new AcceptanceCriterion(id, text));
        }
      } else {
        error(a.pos[i], p, "expected {id, text} or a string, got " + Tree.describe(e));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- scalars

  private Obj object(Object v, long at, String ptr) {
    if (v instanceof Obj o) {
      return o;
    }
    if (v != Tree.NULL) {
      error(at, ptr, "expected an object, got " + Tree.describe(v));
    }
    return null;
  }

  /** A string; numbers are taken as written, so {@code task_id: 3.2} is {@code "3.2"}. */
  private String string(Object v, long at, String ptr) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Num n) {
      return n.text();
    }
    error(at, ptr, "expected a string, got " + Tree.describe(v) + quoteHint(v));
    return null;
  }

  /**
   * For a boolean where text belongs ({@code command: true}, {@code task_id: yes} in YAML): the
   * value was meant as a word, and quotes make it one.
   */
  private static String quoteHint(Object v) {
    return v instanceof Boolean ? " (put the value in quotes to make it text)" : "";
  }

  /**
   * A list of strings, or one string meaning a list of one. {@code element} names what each string
   * is ({@code "a task id"}), for an element of the wrong type.
   */
  private List<String> strings(Object v, long at, String ptr, String element) {
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof Num n) {
      return List.of(n.text());
    }
    if (v == Tree.NULL) {
      return List.of();
    }
    if (!(v instanceof Arr a)) {
      error(at, ptr, "expected a list of strings, got " + Tree.describe(v));
      return List.of();
    }
    String[] out = new String[a.size()];
    int n = 0;
    for (int i = 0; i < a.size(); i++) {
      Object e = a.values[i];
      if (e instanceof String s) {
        out[n++] = s;
      } else if (e instanceof Num num) {
        out[n++] = num.text();
      } else {
        error(
            a.pos[i],
            ptr + "/" + i,
            "expected " + element + " (a string), got " + Tree.describe(e) + quoteHint(e));
      }
    }
    return List.of(n == out.length ? out : java.util.Arrays.copyOf(out, n));
  }

  private boolean bool(Object v, long at, String ptr, boolean fallback) {
    if (v instanceof Boolean b) {
      return b;
    }
    error(at, ptr, "expected true or false, got " + shown(v));
    return fallback;
  }

  private Long integer(Object v, long at, String ptr) {
    if (v instanceof Num n) {
      Long l = n.integral() ? parseLong(n.text()) : null;
      if (l != null) {
        return l;
      }
      error(at, ptr, "expected a whole number, got " + n.text());
      return null;
    }
    error(at, ptr, "expected a whole number, got " + shown(v));
    return null;
  }

  private Duration duration(Object v, long at, String ptr) {
    Duration d = null;
    try {
      if (v instanceof Num n) {
        d = Durations.ofSeconds(new BigDecimal(n.text()));
      } else if (v instanceof String s) {
        d = Durations.parse(s).orElse(null);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      d = null;
    }
    if (d == null) {
      error(
          at,
          ptr,
          "expected a duration like 90s, 10m, 1h30m or 500ms (or a number of seconds), got "
              + shown(v));
      return null;
    }
    if (d.isNegative() || d.isZero()) {
      error(at, ptr, "must be longer than zero, got " + shown(v));
      return null;
    }
    return d;
  }

  private String oneOf(Object v, long at, String ptr, Set<String> allowed, String list) {
    if (v instanceof String s && allowed.contains(s)) {
      return s;
    }
    error(at, ptr, "must be one of " + list + ", got " + shown(v));
    return null;
  }

  private static Long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Splits a command line on blanks, honouring single and double quotes (no escapes, no variables):
   * a convenience for short agent commands.
   */
  static List<String> splitCommand(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(cur.toString());
    }
    return out;
  }

  // ---------------------------------------------------------------- diagnostics

  private void unknown(long keyPos, String ptr, String key, Set<String> known) {
    if (key.startsWith("x-")) {
      return; // an extension field, as in Compose files: a place for YAML anchors, or notes
    }
    String hint = closest(key, known);
    warnings.add(
        Diagnostic.warning(
            location(keyPos),
            SourceMap.field(ptr),
            "unknown field, ignored" + (hint == null ? "" : " (did you mean '" + hint + "'?)")));
  }

  private void error(long pos, String ptr, String message) {
    errors.add(Diagnostic.error(location(pos), SourceMap.field(ptr), message));
  }

  private Location location(long pos) {
    return new Location(file, Tree.line(pos), Tree.column(pos));
  }

  private static String shown(Object v) {
    if (v instanceof String s) {
      return quoted(s);
    }
    if (v instanceof Num n) {
      return n.text();
    }
    if (v instanceof Boolean b) {
      return b.toString();
    }
    return Tree.describe(v);
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > 80 ? "...'" : "'").toString();
  }

  /** The known name closest to a misspelt one, if it is close enough to be a typo. */
  private static String closest(String key, Set<String> known) {
    String lower = key.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, key.length() / 4));
    return known.stream()
        .sorted()
        .filter(k -> distance(lower, k) <= limit)
        .min(java.util.Comparator.comparingInt(k -> distance(lower, k)))
        .orElse(null);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
