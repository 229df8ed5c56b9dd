import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes a synthetic plan of N tasks as JSON, for benchmarks. Run it as a single-file program:
 *
 * <pre>java bench/GenPlan.java N OUT.json [SEED]</pre>
 *
 * <p>The shape imitates a monorepo backlog: tasks come in features of 10-60 consecutive tasks,
 * each feature working inside one package ({@code packages/pkgNNN/src/modMM/...}), so most
 * file-scope overlaps and most dependencies are local; about one dependency in eight reaches
 * back anywhere in the plan. Dependencies always point to earlier tasks, so the plan is
 * acyclic. The same N and seed give the same bytes.
 */
public final class GenPlan {

  private static final String[] VERBS = {
    "Add", "Refactor", "Fix", "Test", "Document", "Extract", "Rename", "Wire", "Harden", "Split"
  };
  private static final String[] NOUNS = {
    "parser", "cache", "router", "schema", "client", "handler", "validator", "store", "view",
    "adapter"
  };

  private GenPlan() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: java bench/GenPlan.java N OUT.json [SEED]");
      System.exit(2);
    }
    int n = Integer.parseInt(args[0]);
    Path out = Path.of(args[1]);
    long seed = args.length == 3 ? Long.parseLong(args[2]) : 42L;
    if (n < 1 || n > 999_999) {
      System.err.println("GenPlan: N must be 1..999999 (ids are T + 6 digits)");
      System.exit(2);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      write(n, new SplittableRandom(seed), w);
    }
  }

  private static void write(int n, SplittableRandom rnd, BufferedWriter w) throws IOException {
    // About one package per 100 tasks, ~20 modules each, ~12 files per module.
    int packages = Math.max(5, n / 100);
    w.write("{\n  \"version\": 1,\n  \"tasks\": [\n");
    int featureLeft = 0;
    int featureStart = 0;
    int pkg = 0;
    for (int i = 0; i < n; i++) {
      if (featureLeft == 0) {
        featureLeft = 10 + rnd.nextInt(51);
        featureStart = i;
        pkg = rnd.nextInt(packages);
      }
      featureLeft--;
      String id = id(i);
      List<String> scope = fileScope(rnd, pkg, packages);
      List<String> deps = dependsOn(rnd, i, featureStart);
      int minutes = 5 + rnd.nextInt(56);
      int priority = priority(rnd);
      boolean high = rnd.nextInt(200) == 0; // ~0.5%: High risk must run alone
      boolean parallel = !high && rnd.nextInt(100) != 0; // plus ~1% serial for other reasons
      String risk = high ? "High" : (rnd.nextInt(4) == 0 ? "Medium" : "Low");

      StringBuilder t = new StringBuilder(256);
      t.append("    {\"task_id\": \"").append(id).append('"');
      t.append(", \"title\": \"")
          .append(VERBS[rnd.nextInt(VERBS.length)])
          .append(' ')
          .append(NOUNS[rnd.nextInt(NOUNS.length)])
          .append(" in pkg")
          .append(pad(pkg, 3))
          .append('"');
      if (!deps.isEmpty()) {
        t.append(", \"depends_on_tasks\": ").append(jsonArray(deps));
      }
      t.append(", \"file_scope\": ").append(jsonArray(scope));
      t.append(", \"est\": {\"minutes\": ").append(minutes).append('}');
      t.append(", \"priority\": ").append(priority);
      t.append(", \"risk\": \"").append(risk).append('"');
      if (!parallel) {
        t.append(", \"parallel\": false");
      }
      t.append(", \"command\": \"true\"}");
      t.append(i + 1 < n ? ",\n" : "\n");
      w.write(t.toString());
    }
    w.write("  ]\n}\n");
  }

  /** 1-3 entries: mostly files and module directories, a few globs and package-wide files. */
  private static List<String> fileScope(SplittableRandom rnd, int pkg, int packages) {
    int count = 1 + rnd.nextInt(3);
    Set<String> scope = new LinkedHashSet<>();
    for (int k = 0; k < count; k++) {
      // One entry in 20 lands in another package: shared utilities, cross-cutting edits.
      int p = rnd.nextInt(20) == 0 ? rnd.nextInt(packages) : pkg;
      String base = "packages/pkg" + pad(p, 3) + "/";
      String module = base + "src/mod" + pad(rnd.nextInt(20), 2) + "/";
      int kind = rnd.nextInt(100);
      if (kind < 60) {
        scope.add(module + "file" + pad(rnd.nextInt(12), 2) + ".ts");
      } else if (kind < 90) {
        scope.add(module);
      } else if (kind < 95) {
        scope.add(module + "**/*.test.ts");
      } else if (kind < 96) {
        // Package-wide: overlaps every task in the package, the costly case for conflicts.
        scope.add(base + "**/*.ts");
      } else {
        scope.add(base + "package.json");
      }
    }
    return new ArrayList<>(scope);
  }

  /** 0-3 earlier tasks: mostly within the feature or just before it, sometimes far back. */
  private static List<String> dependsOn(SplittableRandom rnd, int i, int featureStart) {
    if (i == 0) {
      return List.of();
    }
    int r = rnd.nextInt(100);
    int count = r < 20 ? 0 : r < 60 ? 1 : r < 88 ? 2 : 3;
    Set<String> deps = new LinkedHashSet<>();
    for (int k = 0; k < count; k++) {
      int dep;
      if (rnd.nextInt(8) == 0) {
        dep = rnd.nextInt(i); // long-range
      } else {
        int lo = Math.max(0, Math.min(featureStart, i - 5) - 5);
        dep = lo + rnd.nextInt(i - lo);
      }
      deps.add(id(dep));
    }
    return new ArrayList<>(deps);
  }

  /** Mostly the middle priorities, as real backlogs are. */
  private static int priority(SplittableRandom rnd) {
    int r = rnd.nextInt(100);
    return r < 5 ? 1 : r < 25 ? 2 : r < 75 ? 3 : r < 95 ? 4 : 5;
  }

  private static String id(int index) {
    return "T" + pad(index + 1, 6);
  }

  private static String pad(int v, int width) {
    return String.format(Locale.ROOT, "%0" + width + "d", v);
  }

  private static String jsonArray(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (int k = 0; k < items.size(); k++) {
      if (k > 0) {
        b.append(", ");
      }
      b.append('"').append(items.get(k)).append('"');
    }
    return b.append(']').toString();
  }
}
