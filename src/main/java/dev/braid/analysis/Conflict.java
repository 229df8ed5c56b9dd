package dev.braid.analysis;

import java.util.List;

/**
 * Two tasks that must never run at the same time, by index into the plan's task list ({@code a <
 * b}), with every reason found for it.
 */
public record Conflict(int a, int b, List<Reason> reasons) {

  public Conflict {
    if (a >= b) {
      throw new IllegalArgumentException("expected a < b: " + a + ", " + b);
    }
    reasons = List.copyOf(reasons);
  }

  /** Why two tasks conflict. */
  public sealed interface Reason {
    /** One of them names the other in {@code conflicts_with}. */
    record Explicit() implements Reason {}

    /** Their file scopes overlap: {@code scopeA} of the first and {@code scopeB} of the second. */
    record FileScope(String scopeA, String scopeB) implements Reason {}

    /** Both touch a shared configuration file such as {@code package.json}. */
    record SharedFile(String file) implements Reason {}

    /** Both acceptance criteria name the same database table. */
    record SharedTable(String table) implements Reason {}

    /** Both belong to the same capability (the seeds' "serial within capability"). */
    record SameCapability(String capability) implements Reason {}

    /** Human words for a reason, e.g. {@code file scopes overlap: src/ and src/a.ts}. */
    static String describe(Reason r) {
      return switch (r) {
        case Explicit e -> "declared in conflicts_with";
        case FileScope f -> "file scopes overlap: " + f.scopeA() + " and " + f.scopeB();
        case SharedFile s -> "both touch shared file " + s.file();
        case SharedTable t -> "both name database table " + t.table();
        case SameCapability c -> "same capability " + c.capability();
      };
    }
  }
}
