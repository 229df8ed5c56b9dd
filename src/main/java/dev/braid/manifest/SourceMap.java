package dev.braid.manifest;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a plan file came from, keyed by JSON Pointer ({@code /tasks/3/risk}). Lets
 * checks that run long after parsing still name the file, line and column of what they report.
 */
public final class SourceMap {

  private final Path file;
  private final Map<String, Location> locations;

  public SourceMap(Path file, Map<String, Location> locations) {
    this.file = file;
    this.locations = Map.copyOf(locations);
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
      int slash = p.lastIndexOf('/');
      if (slash < 0 || p.isEmpty()) {
        return Location.of(file);
      }
      p = p.substring(0, slash);
    }
  }

  /** The pointer of the {@code index}th task, optionally with a field: {@code /tasks/3/risk}. */
  public static String task(int index, String... fields) {
    StringBuilder b = new StringBuilder("/tasks/").append(index);
    for (String f : fields) {
      b.append('/').append(f.replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }
}
