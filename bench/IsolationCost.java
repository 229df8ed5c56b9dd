import dev.braid.git.Integration;
import dev.braid.git.MergeStrategy;
import dev.braid.git.Repository;
import dev.braid.git.TaskCommit;
import dev.braid.git.TaskWorktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Per-task cost of worktree isolation through Braid's git layer, phase by phase: worktree (git
 * worktree add: branch + checkout), commit (add -A, commit, diff of changed files), merge
 * (merge-tree + commit-tree + update-ref) and remove (worktree remove, branch -D). Each task
 * changes one file, as a small agent edit would.
 *
 * <p>MODE {@code fresh}: a new worktree per task ({@code git worktree add}, then remove); {@code
 * slot}: what {@code braid run} does, one worktree per agent slot reused by the slot's next task
 * (checkout of the files that differ, {@code git clean}), then detached.
 *
 * <p>usage: java -cp target/classes:bench/out IsolationCost REPO TASKS STRATEGY MODE
 */
public final class IsolationCost {
  public static void main(String[] args) throws Exception {
    Path repoDir = Path.of(args[0]);
    int n = Integer.parseInt(args[1]);
    MergeStrategy strategy = MergeStrategy.valueOf(args[2].toUpperCase(Locale.ROOT));
    boolean slot = args[3].equals("slot");
    Repository repo = Repository.open(repoDir);
    repo.ignoreStateDir(repoDir.resolve(".braid"));
    String run = "bench-" + strategy.name().toLowerCase(Locale.ROOT) + "-" + System.nanoTime();
    Integration in = repo.integration(run, repoDir.resolve(".braid/worktrees"), strategy);
    long[][] t = new long[4][n];
    for (int i = 0; i < n; i++) {
      String id = "T" + i;
      long a = System.nanoTime();
      TaskWorktree wt = slot ? in.open(id, 1) : in.open(id);
      long b = System.nanoTime();
      Files.writeString(wt.dir().resolve("d" + (i % 100) + "/f" + i + ".txt"), "changed by " + id + "\n");
      long c = System.nanoTime();
      TaskCommit work = in.commit(wt, id + ": bench");
      long d = System.nanoTime();
      in.merge(wt, work, id + ": bench");
      long e = System.nanoTime();
      if (slot) {
        in.release(wt);
      } else {
        in.remove(wt, false);
      }
      long f = System.nanoTime();
      t[0][i] = b - a;
      t[1][i] = d - c;
      t[2][i] = e - d;
      t[3][i] = f - e;
    }
    String[] names = {"worktree", "commit", "merge", "remove"};
    long[] total = new long[n];
    System.out.printf(
        Locale.ROOT,
        "%-9s %8s %8s %8s%n",
        strategy.name().toLowerCase(Locale.ROOT) + " " + args[3],
        "median",
        "p90",
        "mean");
    for (int k = 0; k < 4; k++) {
      for (int i = 0; i < n; i++) {
        total[i] += t[k][i];
      }
      row(names[k], t[k]);
    }
    row("total", total);
    in.removeSlots();
    repo.clean(repoDir.resolve(".braid/worktrees"), run, true);
  }

  static void row(String name, long[] ns) {
    long[] s = ns.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0) / 1e6;
    System.out.printf(
        Locale.ROOT, "%-9s %6.1fms %6.1fms %6.1fms%n",
        name, s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6, mean);
  }
}
