import dev.braid.git.Integration;
import dev.braid.git.MergeResult;
import dev.braid.git.MergeStrategy;
import dev.braid.git.Repository;
import dev.braid.git.TaskCommit;
import dev.braid.git.TaskWorktree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>Then, in {@code slot} mode, what {@code --on-checkpoint-fail revert} costs on the integration
 * branch: preparing the revert of one merge from the middle of the run (merge-tree on a throwaway
 * commit + commit-tree, no checkout) and moving the branch (update-ref); then a chain of three,
 * newest first, as when a culprit's merged dependents go with it.
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
    List<Integration.Change> merges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "T" + i;
      long a = System.nanoTime();
      TaskWorktree wt = slot ? in.open(id, 1) : in.open(id);
      long b = System.nanoTime();
      Files.writeString(wt.dir().resolve("d" + (i % 100) + "/f" + i + ".txt"), "changed by " + id + "\n");
      long c = System.nanoTime();
      TaskCommit work = in.commit(wt, id + ": bench");
      long d = System.nanoTime();
      if (in.merge(wt, work, id + ": bench") instanceof MergeResult.Merged m) {
        merges.add(new Integration.Change(m.before(), m.after(), "Revert " + id));
      }
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
    if (slot && merges.size() >= 4) {
      revert("revert 1", in, List.of(merges.get(merges.size() / 2)));
      revert(
          "revert 3",
          in,
          List.of(merges.get(merges.size() - 1), merges.get(merges.size() - 2), merges.get(1)));
    }
    in.removeSlots();
    repo.clean(repoDir.resolve(".braid/worktrees"), run, true);
  }

  /** Times preparing the revert and moving the branch, once (each revert changes the branch). */
  static void revert(String name, Integration in, List<Integration.Change> changes) {
    long a = System.nanoTime();
    var made = in.prepareRevert(changes);
    long b = System.nanoTime();
    if (!(made instanceof dev.braid.git.RevertResult.Prepared p)) {
      System.out.printf(Locale.ROOT, "%-9s %s%n", name, made);
      return;
    }
    in.advance(p.before(), p.head(), "bench " + name);
    long c = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "%-9s prepare %6.1fms, update-ref %5.1fms%n",
        name,
        (b - a) / 1e6,
        (c - b) / 1e6);
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
