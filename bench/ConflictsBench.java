import dev.braid.analysis.Conflicts;
import dev.braid.analysis.DependencyGraph;
import dev.braid.analysis.PlanMetrics;
import dev.braid.manifest.AcceptanceCriterion;
import dev.braid.manifest.Estimate;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import dev.braid.plan.Recommendation;
import dev.braid.plan.TaskGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times Conflicts.derive (and the recommendation and PlanMetrics.compute) on a synthetic 100k-task plan. Run by hand after
 * {@code mvn -q compile}: {@code java -cp target/classes bench/ConflictsBench.java [tasks] [scopes-only]}.
 * Every task gets a directory of its own plus one of: a glob over its package (5%), the package's
 * package.json (1%), a file maybe inside another task's directory (1%), a second directory; unless
 * {@code scopes-only}, also an acceptance criterion naming a random table and a random capability
 * (each shared by about two tasks).
 */
class ConflictsBench {
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    boolean scopesOnly = args.length > 1 && args[1].equals("scopes-only");
    Random r = new Random(42);
    List<Task> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int pkg = r.nextInt(n / 10 + 1);
      List<String> scope = new ArrayList<>();
      scope.add("pkg" + pkg + "/src/mod" + i + "/");
      int kind = r.nextInt(100);
      if (kind < 5) {
        scope.add("pkg" + pkg + "/**/*.test.ts"); // a glob inside one package
      } else if (kind < 6) {
        scope.add("pkg" + pkg + "/package.json");
      } else if (kind < 7) {
        scope.add("pkg" + pkg + "/src/mod" + r.nextInt(n) + "/index.ts"); // maybe someone else's
      } else {
        scope.add("pkg" + pkg + "/tests/mod" + i + "/");
      }
      List<AcceptanceCriterion> ac =
          List.of(
              AcceptanceCriterion.of("Rows land in the t" + r.nextInt(n) + " table"),
              AcceptanceCriterion.of("Tests pass with 100% coverage"));
      List<String> deps = i > 0 && r.nextInt(3) == 0 ? List.of("T" + r.nextInt(i)) : List.of();
      Task t =
          Task.of("T" + i)
              .withFileScope(scope)
              .withDependsOn(deps)
              .withEst(Estimate.ofMinutes(5 + r.nextInt(60)));
      if (!scopesOnly) {
        t = t.withAcceptanceCriteria(ac).withCapabilityId("CAP" + r.nextInt(n / 2));
      }
      tasks.add(t);
    }
    Manifest m = Manifest.of(tasks);
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      Conflicts c = Conflicts.derive(m);
      long t1 = System.nanoTime();
      DependencyGraph g = DependencyGraph.of(m);
      long t2 = System.nanoTime();
      Recommendation rec = Recommendation.of(TaskGraph.of(m, c));
      PlanMetrics pm = PlanMetrics.compute(m, g, c, rec);
      long t3 = System.nanoTime();
      System.out.printf(
          "round %d: %d tasks, %d conflicting pairs, derive %d ms, graph %d ms, metrics %d ms"
              + " (critical path %.0f of %.0f min, %d agents, score %.1f)%n",
          round,
          n,
          c.pairs().size(),
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          pm.criticalPathMinutes(),
          pm.totalWorkMinutes(),
          rec.agents(),
          pm.score());
    }
  }
}
