package dev.braid.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Undeclared overlaps: two tasks that were running at the same time and both changed a file that
 * neither declared in its {@code file_scope}. The scheduler could not have kept them apart, so such
 * a pair is a detected conflict even when git merges both changes cleanly.
 */
public final class ChangeOverlaps {

  private ChangeOverlaps() {}

  /** One task's run: when it ran and the files it changed outside its scope. */
  public record Ran(String taskId, Instant start, Instant end, List<String> outOfScope) {
    public Ran {
      Objects.requireNonNull(taskId, "taskId");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      outOfScope = List.copyOf(outOfScope);
    }

    boolean overlaps(Ran o) {
      return start.isBefore(o.end) && o.start.isBefore(end);
    }
  }

  /** Two tasks ({@code a} started first) and the undeclared files both changed, sorted. */
  public record Overlap(String a, String b, List<String> files) {
    public Overlap {
      files = List.copyOf(files);
    }
  }

  /**
   * Every pair of tasks that ran at the same time and changed a common out-of-scope file, ordered
   * by the start of the first task, then of the second.
   */
  public static List<Overlap> undeclared(List<Ran> runs) {
    Map<String, List<Integer>> byFile = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      for (String f : runs.get(i).outOfScope()) {
        List<Integer> holders = byFile.computeIfAbsent(f, k -> new ArrayList<>());
        if (holders.isEmpty() || holders.get(holders.size() - 1) != i) {
          holders.add(i);
        }
      }
    }
    Map<Long, TreeSet<String>> pairs = new TreeMap<>();
    for (Map.Entry<String, List<Integer>> e : byFile.entrySet()) {
      List<Integer> holders = e.getValue();
      for (int x = 0; x < holders.size(); x++) {
        for (int y = x + 1; y < holders.size(); y++) {
          int i = holders.get(x);
          int j = holders.get(y);
          if (runs.get(i).overlaps(runs.get(j))) {
            long key = ((long) Math.min(i, j) << 32) | Math.max(i, j);
            pairs.computeIfAbsent(key, k -> new TreeSet<>()).add(e.getKey());
          }
        }
      }
    }
    List<Overlap> out = new ArrayList<>(pairs.size());
    for (Map.Entry<Long, TreeSet<String>> e : pairs.entrySet()) {
      Ran r1 = runs.get((int) (e.getKey() >>> 32));
      Ran r2 = runs.get((int) (e.getKey() & 0xffffffffL));
      if (r2.start().isBefore(r1.start())) {
        Ran t = r1;
        r1 = r2;
        r2 = t;
      }
      out.add(new Overlap(r1.taskId(), r2.taskId(), List.copyOf(e.getValue())));
    }
    Map<String, Instant> starts = new LinkedHashMap<>();
    for (Ran r : runs) {
      starts.putIfAbsent(r.taskId(), r.start());
    }
    out.sort(
        Comparator.comparing((Overlap o) -> starts.get(o.a()))
            .thenComparing(o -> starts.get(o.b())));
    return out;
  }
}
