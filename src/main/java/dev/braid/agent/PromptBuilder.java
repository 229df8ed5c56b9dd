package dev.braid.agent;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dev.braid.manifest.AcceptanceCriterion;
import dev.braid.manifest.Diagnostic;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.ManifestException;
import dev.braid.manifest.PromptTemplate;
import dev.braid.manifest.SourceMap;
import dev.braid.manifest.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes an agent's prompt from its task with a Mustache template (logic-less, so a plan's template
 * cannot run code): the task's own {@code prompt_template}, else the plan's, else Braid's default.
 * The variables are listed in the README ("Agents"); a template that names an unknown one is an
 * error rather than a silently empty prompt.
 */
public final class PromptBuilder {

  /** Bytes of one related spec put into a prompt; the rest is left for the agent to read. */
  public static final int MAX_SPEC_BYTES = 16 * 1024;

  /** Bytes of all related specs of one prompt together. */
  public static final int MAX_SPECS_BYTES = 64 * 1024;

  private static final String DEFAULT_RESOURCE = "default-prompt.mustache";
  private static final Mustache.Compiler COMPILER =
      Mustache.compiler().escapeHTML(false).nullValue("");

  private final Manifest plan;
  private final List<Path> specRoots;
  private final Map<String, Integer> index;
  private final Map<String, Template> compiled = new HashMap<>();

  /**
   * @param specRoots directories where {@code related_specs} paths are looked up, in order (a
   *     task's worktree, the plan's directory, the repository root)
   */
  public PromptBuilder(Manifest plan, List<Path> specRoots) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.specRoots = List.copyOf(specRoots);
    this.index = plan.indexById();
  }

  /**
   * Where a plan's {@code related_specs} are found outside a run: the plan's directory, then the
   * repository that holds it (the nearest directory above with a {@code .git}).
   */
  public static List<Path> specRoots(Path planFile) {
    Path dir = planFile.toAbsolutePath().normalize().getParent();
    List<Path> roots = new ArrayList<>();
    if (dir == null) {
      return List.of(Path.of("").toAbsolutePath());
    }
    roots.add(dir);
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(".git"))) {
        if (!p.equals(dir)) {
          roots.add(p);
        }
        break;
      }
    }
    return roots;
  }

  /** Braid's default template. */
  public static String defaultTemplate() {
    try (InputStream in = PromptBuilder.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The prompt for {@code task}.
   *
   * @param changes what the task's finished dependencies changed; dependencies without an entry are
   *     listed by id and title
   * @throws ManifestException when the template cannot be read, parsed or filled, located at the
   *     {@code prompt_template} that names it
   */
  public String render(Task task, List<DependencyChange> changes) throws ManifestException {
    return render(task, changes, List.of());
  }

  /**
   * The prompt for {@code task}, looking for its {@code related_specs} in {@code workDirs} first
   * (the task's own worktree, which holds what its dependencies merged).
   */
  public synchronized String render(Task task, List<DependencyChange> changes, List<Path> workDirs)
      throws ManifestException {
    Integer at = index.get(task.id());
    String pointer = "/prompt_template";
    PromptTemplate source = plan.promptTemplate();
    if (task.promptTemplate() != null) {
      source = task.promptTemplate();
      pointer = at == null ? pointer : SourceMap.task(at, "prompt_template");
    }
    String name = source == null ? "(default template)" : describe(source);
    Template template = template(source, pointer, name);
    try {
      return template.execute(context(task, changes, workDirs));
    } catch (MustacheException.Context e) {
      throw problem(
          pointer, name + ":" + e.lineNo + ": no variable '" + e.key + "' (see README, Agents)");
    } catch (MustacheException e) {
      throw problem(pointer, name + ": " + e.getMessage());
    }
  }

  private Template template(PromptTemplate source, String pointer, String name)
      throws ManifestException {
    String key = source == null ? "" : source.toString();
    Template t = compiled.get(key);
    if (t != null) {
      return t;
    }
    String text =
        switch (source) {
          case null -> defaultTemplate();
          case PromptTemplate.Inline i -> i.text();
          case PromptTemplate.File f -> read(f, pointer);
        };
    try {
      t = COMPILER.compile(text);
    } catch (MustacheException e) {
      throw problem(pointer, name + ": " + e.getMessage());
    }
    compiled.put(key, t);
    return t;
  }

  private String read(PromptTemplate.File f, String pointer) throws ManifestException {
    Path file = planDir().resolve(f.path());
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw problem(pointer, "cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw problem(pointer, "cannot read " + file + ": " + e.getMessage());
    }
  }

  private Path planDir() {
    Path source = plan.source();
    Path dir = source == null ? null : source.toAbsolutePath().getParent();
    return dir == null ? Path.of("").toAbsolutePath() : dir;
  }

  private static String describe(PromptTemplate t) {
    return switch (t) {
      case PromptTemplate.File f -> f.path();
      case PromptTemplate.Inline i -> "inline template";
    };
  }

  private ManifestException problem(String pointer, String message) {
    return new ManifestException(
        Diagnostic.error(plan.sources().locate(pointer), SourceMap.field(pointer), message));
  }

  /** The template's variables for {@code task}; names follow the plan's field names. */
  Map<String, Object> context(Task task, List<DependencyChange> changes, List<Path> workDirs) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("task_id", task.id());
    c.put("title", task.displayTitle());
    c.put(
        "description", blankToNull(task.description()) == null ? null : task.description().strip());
    List<Map<String, Object>> criteria = new ArrayList<>();
    for (AcceptanceCriterion ac : task.acceptanceCriteria()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", ac.id());
      m.put("text", ac.text());
      criteria.add(m);
    }
    list(c, "acceptance_criteria", criteria);
    list(c, "file_scope", task.fileScope());
    list(c, "frozen_files", plan.frozenFiles());
    list(c, "test_verification", task.testVerification());
    list(c, "dependencies", dependencies(task, changes));
    list(c, "related_specs", specs(task.relatedSpecs(), workDirs));
    c.put("capability_id", task.capabilityId());
    c.put("risk", task.risk() == null ? null : task.risk().label());
    c.put("agent", task.agent());
    return c;
  }

  /** A list and its {@code has_} flag: Mustache shows a header only through a boolean. */
  private static void list(Map<String, Object> c, String name, List<?> values) {
    c.put(name, values);
    c.put("has_" + name, !values.isEmpty());
  }

  private List<Map<String, Object>> dependencies(Task task, List<DependencyChange> changes) {
    Map<String, DependencyChange> byId = new HashMap<>();
    for (DependencyChange d : changes) {
      byId.put(d.taskId(), d);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : task.dependsOn()) {
      Integer at = index.get(id);
      DependencyChange change = byId.get(id);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dependency_id", id);
      m.put("dependency_title", at == null ? id : plan.tasks().get(at).displayTitle());
      m.put("commit_message", change == null ? null : blankToNull(change.commitMessage()));
      List<String> files = change == null ? List.of() : change.files();
      m.put("files", files);
      m.put("has_files", !files.isEmpty());
      out.add(m);
    }
    return out;
  }

  private List<Map<String, Object>> specs(List<String> paths, List<Path> workDirs) {
    List<Path> roots = new ArrayList<>(workDirs);
    roots.addAll(specRoots);
    List<Map<String, Object>> out = new ArrayList<>();
    int budget = MAX_SPECS_BYTES;
    for (String path : paths) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", path);
      Optional<Path> file = findSpec(path, roots);
      String problem = null;
      String content = null;
      long total = 0;
      int shown = 0;
      if (file.isEmpty()) {
        problem = "not found; look for it in the repository";
      } else if (budget <= 0) {
        problem = "not included, the prompt already carries " + MAX_SPECS_BYTES + " bytes of specs";
      } else {
        try {
          total = Files.size(file.get());
          int limit = Math.min(MAX_SPEC_BYTES, budget);
          byte[] bytes = head(file.get(), limit);
          if (isBinary(bytes)) {
            problem = "a binary file, not included";
          } else {
            content = decodePrefix(bytes, total > bytes.length);
            shown = content.getBytes(StandardCharsets.UTF_8).length;
            budget -= shown;
          }
        } catch (IOException e) {
          problem = "cannot be read: " + e.getMessage();
        }
      }
      m.put("found", content != null);
      m.put("content", content == null ? null : content.stripTrailing());
      m.put("fence", content == null ? null : fence(content));
      m.put("truncated", content != null && shown < total);
      m.put("shown_bytes", shown);
      m.put("total_bytes", total);
      m.put("problem", problem);
      out.add(m);
    }
    return out;
  }

  private static Optional<Path> findSpec(String path, List<Path> roots) {
    List<String> candidates = new ArrayList<>(List.of(path));
    int hash = path.indexOf('#');
    if (hash > 0) {
      candidates.add(path.substring(0, hash)); // docs/spec.md#section
    }
    for (String candidate : candidates) {
      for (Path root : roots) {
        try {
          Path p = root.resolve(candidate);
          if (Files.isRegularFile(p)) {
            return Optional.of(p);
          }
        } catch (java.nio.file.InvalidPathException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static byte[] head(Path file, int limit) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(limit);
    }
  }

  private static boolean isBinary(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        return true;
      }
    }
    return false;
  }

  /** UTF-8 text of {@code bytes}; a character cut at the end of a shortened file is dropped. */
  private static String decodePrefix(byte[] bytes, boolean cut) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    decoder.decode(in, out, !cut);
    if (!cut) {
      decoder.flush(out);
    }
    return out.flip().toString();
  }

  /** A Markdown fence longer than any backtick run in {@code content}. */
  private static String fence(String content) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < content.length(); i++) {
      run = content.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return "`".repeat(Math.max(3, longest + 1));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
