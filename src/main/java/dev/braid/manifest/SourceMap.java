package dev.braid.manifest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each value of a plan file came from, keyed by JSON Pointer ({@code /tasks/3/risk}). Lets
 * checks that run long after parsing still name the file, line and column of what they report.
 *
 * <p>A map read by {@link ManifestReader} locates every value of the file (the value itself, not
 * its key), from a compact position tree built while parsing.
 */
public final class SourceMap {

  private final Path file;
  private final Map<String, Location> locations;
  // the fields as another notation wrote them: Braid's field (depends_on_tasks) or one task's
  // (/tasks/3/depends_on_tasks) to the notation's name (Task Master's dependencies)
  private final Map<String, String> written;
  private final Tree.Skeleton root;
  private final long rootPos;

  public SourceMap(Path file, Map<String, Location> locations) {
    this(file, locations, Map.of());
  }

  /**
   * A map whose diagnostics name fields as {@code written} says: keyed by Braid's field ({@code
   * depends_on_tasks}) or by one task's ({@code /tasks/3/depends_on_tasks}), which wins.
   */
  SourceMap(Path file, Map<String, Location> locations, Map<String, String> written) {
    this.file = file;
    this.locations = Map.copyOf(locations);
    this.written = Map.copyOf(written);
    this.root = null;
    this.rootPos = 0;
  }

  SourceMap(Path file, Object root, long rootPos) {
    this.file = file;
    this.locations = Map.of();
    this.written = Map.of();
    this.root = Tree.Skeleton.of(root);
    this.rootPos = rootPos;
  }

  public static SourceMap empty(Path file) {
    return new SourceMap(file, new HashMap<>());
  }

  public Path file() {
    return file;
  }

  /**
   * The location of {@code pointer}, or of its nearest ancestor that has one, or the file itself.
   */
  public Location locate(String pointer) {
    String p = pointer;
    while (true) {
      Location at = locations.get(p);
      if (at != null) {
        return at;
      }
      if (root != null) {
        return walk(pointer, false).orElseGet(() -> Location.of(file));
      }
      int slash = p.lastIndexOf('/');
      if (slash < 0 || p.isEmpty()) {
        return Location.of(file);
      }
      p = p.substring(0, slash);
    }
  }

  /** The exact location of {@code pointer}, empty when the file did not have that value. */
  public Optional<Location> find(String pointer) {
    Location at = locations.get(pointer);
    if (at != null) {
      return Optional.of(at);
    }
    return root == null ? Optional.empty() : walk(pointer, true);
  }

  private Optional<Location> walk(String pointer, boolean exact) {
    Tree.Skeleton node = root;
    long pos = rootPos;
    int i = 1;
    while (!pointer.isEmpty() && i <= pointer.length()) {
      int end = pointer.indexOf('/', i);
      if (end < 0) {
        end = pointer.length();
      }
      String seg = unescape(pointer.substring(i, end));
      i = end + 1;
      int k = node == null ? -1 : node.child(seg);
      if (k < 0) {
        return exact ? Optional.empty() : Optional.of(at(pos));
      }
      pos = node.pos[k];
      node = node.childSkeleton(k);
    }
    return Optional.of(at(pos));
  }

  private Location at(long pos) {
    return new Location(file, Tree.line(pos), Tree.column(pos));
  }

  /** The pointer of the {@code index}th task, optionally with a field: {@code /tasks/3/risk}. */
  public static String task(int index, String... fields) {
    StringBuilder b = new StringBuilder("/tasks/").append(index);
    for (String f : fields) {
      b.append('/').append(escape(f));
    }
    return b.toString();
  }

  /**
   * The {@link Diagnostic#field() field} a diagnostic about {@code pointer} names: the pointer's
   * keys joined by dots, without the leading {@code /tasks/N} and without list indexes. {@code
   * /tasks/3/risk} is {@code risk}, {@code /tasks/3/depends_on_tasks/1} is {@code
   * depends_on_tasks}, {@code /tasks/3/est/minutes} is {@code est.minutes}, {@code
   * /defaults/timeout} is {@code defaults.timeout}; a whole task ({@code /tasks/3}) or the whole
   * file is {@code null}.
   */
  public static String field(String pointer) {
    String[] segs = pointer.split("/", -1);
    int from = 1;
    if (segs.length > 2 && segs[1].equals("tasks") && isIndex(segs[2])) {
      from = 3;
    }
    StringBuilder b = new StringBuilder();
    for (int i = from; i < segs.length; i++) {
      if (isIndex(segs[i])) {
        continue;
      }
      if (!b.isEmpty()) {
        b.append('.');
      }
      b.append(unescape(segs[i]));
    }
    return b.isEmpty() ? null : b.toString();
  }

  /**
   * The field a diagnostic about {@code pointer} names, as the plan's notation wrote it: {@code
   * dependencies} in a Task Master file, {@code depends on} in a spec-kit one; else as {@link
   * #field(String)} names it.
   */
  public String fieldAsWritten(String pointer) {
    String field = field(pointer);
    if (field == null || written.isEmpty()) {
      return field;
    }
    int end = pointer.length();
    int slash = pointer.lastIndexOf('/');
    if (slash > 0 && isIndex(pointer.substring(slash + 1))) {
      end = slash; // /tasks/3/depends_on_tasks/1 is about /tasks/3/depends_on_tasks
    }
    String mine = written.get(pointer.substring(0, end));
    return mine != null ? mine : written.getOrDefault(field, field);
  }

  private static boolean isIndex(String seg) {
    if (seg.isEmpty()) {
      return false;
    }
    for (int i = 0; i < seg.length(); i++) {
      if (seg.charAt(i) < '0' || seg.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** One key as a JSON Pointer segment. */
  public static String escape(String key) {
    return key.indexOf('~') < 0 && key.indexOf('/') < 0
        ? key
        : key.replace("~", "~0").replace("/", "~1");
  }

  private static String unescape(String seg) {
    return seg.indexOf('~') < 0 ? seg : seg.replace("~1", "/").replace("~0", "~");
  }
}
