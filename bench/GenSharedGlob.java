import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a plan of N tasks in G packages where every task of a package shares one package-wide
 * glob: the worst case for conflicts derived from file scopes, as each package is a clique. Run
 * it as a single-file program:
 *
 * <pre>java bench/GenSharedGlob.java N G OUT.json [mixed]</pre>
 *
 * <p>Task i works in package i % G: its own directory {@code packages/pkgP/src/modI/} plus {@code
 * packages/pkgP/**}{@code /*.ts}, so each pair in a package conflicts with three FileScope reasons.
 * 20,000 tasks in 50 packages give 3,990,000 conflicting pairs; in 1 package, 199,990,000. One
 * task in three depends on the task G before it. The same arguments give the same bytes.
 *
 * <p>{@code mixed} adds cliques that overlap the packages' and pairs: task i has capability {@code
 * CAP_(i % 7)}, one task in ten names {@code package.json} (a shared file), one in four names
 * table {@code orders_(i % 3)} in an acceptance criterion, and one in thirteen declares a conflict
 * with the task before it.
 */
public final class GenSharedGlob {

  private GenSharedGlob() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3 && !(args.length == 4 && args[3].equals("mixed"))) {
      System.err.println("usage: java bench/GenSharedGlob.java N G OUT.json [mixed]");
      System.exit(2);
    }
    int n = Integer.parseInt(args[0]);
    int g = Integer.parseInt(args[1]);
    boolean mixed = args.length == 4;
    try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[2]))) {
      w.write("{\"version\": 1, \"tasks\": [\n");
      for (int i = 0; i < n; i++) {
        String p = String.format(Locale.ROOT, "packages/pkg%03d/", i % g);
        w.write(String.format(Locale.ROOT, "  {\"task_id\": \"T%06d\"", i + 1));
        if (i >= g && i % 3 == 0) {
          w.write(String.format(Locale.ROOT, ", \"depends_on_tasks\": [\"T%06d\"]", i + 1 - g));
        }
        if (mixed) {
          w.write(String.format(Locale.ROOT, ", \"capability_id\": \"CAP_%d\"", i % 7));
          if (i % 4 == 0) {
            w.write(
                String.format(
                    Locale.ROOT, ", \"acceptance_criteria\": [\"table orders_%d\"]", i % 3));
          }
          if (i > 0 && i % 13 == 0) {
            w.write(String.format(Locale.ROOT, ", \"conflicts_with\": [\"T%06d\"]", i));
          }
        }
        w.write(
            String.format(
                Locale.ROOT,
                ", \"file_scope\": [\"%ssrc/mod%05d/\", \"%s**/*.ts\"%s], \"command\": \"true\","
                    + " \"est\": {\"minutes\": %d}}%s%n",
                p,
                i,
                p,
                mixed && i % 10 == 0 ? ", \"package.json\"" : "",
                5 + i % 50,
                i + 1 < n ? "," : ""));
      }
      w.write("]}\n");
    }
  }
}
