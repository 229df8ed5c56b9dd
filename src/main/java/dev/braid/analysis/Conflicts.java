package dev.braid.analysis;

import dev.braid.manifest.Manifest;
import java.util.List;

/** The conflicting pairs of a plan, derived from everything the plan says. */
public record Conflicts(List<Conflict> pairs) {

  public Conflicts {
    pairs = List.copyOf(pairs);
  }

  /**
   * Derives every conflict: explicit {@code conflicts_with} (treated as symmetric), overlapping
   * {@code file_scope}s, shared config files, shared database tables, same capability.
   * Sub-quadratic in practice (a path trie, not all pairs).
   */
  public static Conflicts derive(Manifest manifest) {
    throw new UnsupportedOperationException("TODO: analysis helper");
  }

  /** {@code adjacency()[i]} lists the tasks conflicting with task {@code i}. */
  public int[][] adjacency(int taskCount) {
    int[] degree = new int[taskCount];
    for (Conflict c : pairs) {
      degree[c.a()]++;
      degree[c.b()]++;
    }
    int[][] adj = new int[taskCount][];
    for (int i = 0; i < taskCount; i++) {
      adj[i] = new int[degree[i]];
    }
    int[] fill = new int[taskCount];
    for (Conflict c : pairs) {
      adj[c.a()][fill[c.a()]++] = c.b();
      adj[c.b()][fill[c.b()]++] = c.a();
    }
    return adj;
  }
}
