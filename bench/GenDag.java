import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a random DAG of sleep tasks for the schedule-quality benchmark (bench/quality.sh):
 *
 * <pre>java bench/GenDag.java N SEED OUTDIR</pre>
 *
 * <p>Task i sleeps d_i seconds (0.1 to 1.2, long-tailed) and depends on up to three earlier tasks,
 * mostly recent ones. Estimates equal the durations (one estimated minute = one real second), so
 * the plan's prediction and the real run are on the same scale. Writes OUTDIR/braid.yaml, then
 * OUTDIR/waves.txt (one line per wave: the durations of that dependency level's tasks). The lower
 * bound comes from {@code braid plan}, not from here, so there is one definition. Same arguments,
 * same bytes.
 */
public final class GenDag {

  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    double[] d = new double[n];
    List<List<Integer>> deps = new ArrayList<>();
    int[] level = new int[n];
    StringBuilder yaml = new StringBuilder("version: 1\ntasks:\n");
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      d[i] = Math.round((0.1 + 1.1 * u * u * u) * 100) / 100.0;
      List<Integer> mine = new ArrayList<>();
      int k = i == 0 ? 0 : random.nextInt(4);
      for (int j = 0; j < k; j++) {
        int back = 1 + (int) Math.floor(Math.abs(random.nextGaussian()) * 6);
        int dep = Math.max(0, i - back);
        if (!mine.contains(dep) && dep < i) {
          mine.add(dep);
        }
      }
      deps.add(mine);
      for (int dep : mine) {
        level[i] = Math.max(level[i], level[dep] + 1);
      }
      yaml.append("  - task_id: t").append(i).append('\n');
      if (!mine.isEmpty()) {
        yaml.append("    depends_on_tasks: [");
        for (int j = 0; j < mine.size(); j++) {
          yaml.append(j == 0 ? "t" : ", t").append(mine.get(j));
        }
        yaml.append("]\n");
      }
      yaml.append(String.format(Locale.ROOT, "    est: {minutes: %.2f}%n", d[i]));
      yaml.append(String.format(Locale.ROOT, "    command: sleep %.2f%n", d[i]));
    }
    Files.writeString(out.resolve("braid.yaml"), yaml);
    int levels = 0;
    for (int l : level) {
      levels = Math.max(levels, l + 1);
    }
    StringBuilder waves = new StringBuilder();
    for (int l = 0; l < levels; l++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        if (level[i] == l) {
          line.append(String.format(Locale.ROOT, "%.2f ", d[i]));
        }
      }
      waves.append(line.toString().trim()).append('\n');
    }
    Files.writeString(out.resolve("waves.txt"), waves);
  }
}
