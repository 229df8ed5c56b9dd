package dev.braid.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.analysis.Conflict;
import dev.braid.analysis.Conflicts;
import dev.braid.manifest.Estimate;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SchedulerPropertiesTest {

  /** A random valid plan: dependencies on earlier tasks only, some conflicts, some loners. */
  record RandomPlan(TaskGraph graph, int agents) {}

  static RandomPlan randomPlan(long seed, int size, int agents) {
    return randomPlan(seed, size, agents, false);
  }

  /** With {@code retries}, about one task in four may be retried once. */
  static RandomPlan randomPlan(long seed, int size, int agents, boolean retries) {
    Random rnd = new Random(seed);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      List<String> deps = new ArrayList<>();
      for (int d = 0; d < rnd.nextInt(3) && i > 0; d++) {
        String dep = "T" + rnd.nextInt(i);
        if (!deps.contains(dep)) {
          deps.add(dep);
        }
      }
      Map<String, Integer> res = new HashMap<>();
      if (rnd.nextInt(5) == 0) {
        res.put("db", 1 + rnd.nextInt(2));
      }
      tasks.add(
          Task.of("T" + i)
              .withDependsOn(deps)
              .withEst(Estimate.ofMinutes(1 + rnd.nextInt(30)))
              .withPriority(1 + rnd.nextInt(5))
              .withParallel(rnd.nextInt(15) != 0)
              .withResources(res)
              .withRetries(retries && rnd.nextInt(4) == 0 ? 1 : 0));
    }
    List<Conflict> pairs = new ArrayList<>();
    for (int k = 0; k < size / 2; k++) {
      int a = rnd.nextInt(size);
      int b = rnd.nextInt(size);
      if (a < b && pairs.stream().noneMatch(c -> c.a() == a && c.b() == b)) {
        pairs.add(new Conflict(a, b, List.of(new Conflict.Reason.Explicit())));
      }
    }
    Manifest m = Manifest.of(tasks);
    m =
        new Manifest(
            null,
            1,
            null,
            m.tasks(),
            null,
            Map.of(),
            Map.of("db", 2),
            List.of(),
            List.of(),
            null,
            null);
    return new RandomPlan(TaskGraph.of(m, new Conflicts(pairs)), agents);
  }

  @Property(tries = 300)
  void simulatedSchedulesKeepEveryRule(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int size,
      @ForAll @IntRange(min = 1, max = 8) int agents) {
    RandomPlan plan = randomPlan(seed, size, agents);
    TaskGraph g = plan.graph();
    Schedule s = Simulator.simulate(g, agents);

    assertThat(s.entries()).hasSize(size);
    Map<Integer, Schedule.Entry> at = new HashMap<>();
    s.entries().forEach(e -> at.put(e.task(), e));
    for (Schedule.Entry e : s.entries()) {
      for (int d : g.deps(e.task())) {
        assertThat(e.start())
            .as("%s starts after %s ends", e.taskId(), g.id(d))
            .isGreaterThanOrEqualTo(at.get(d).end());
      }
      for (int c : g.conflicts(e.task())) {
        assertThat(overlap(e, at.get(c))).as("%s overlaps %s", e.taskId(), g.id(c)).isFalse();
      }
      assertThat(e.slot()).isBetween(1, agents);
    }
    for (Schedule.Entry e : s.entries()) {
      List<Schedule.Entry> concurrent =
          s.entries().stream().filter(o -> o.start() <= e.start() && e.start() < o.end()).toList();
      assertThat(concurrent.size()).as("running at %s", e.start()).isLessThanOrEqualTo(agents);
      assertThat(concurrent.stream().map(Schedule.Entry::slot).distinct().count())
          .isEqualTo(concurrent.size());
      int db =
          concurrent.stream()
              .mapToInt(o -> g.task(o.task()).resources().getOrDefault("db", 0))
              .sum();
      assertThat(db).as("db units in use at %s", e.start()).isLessThanOrEqualTo(2);
      if (g.exclusive(e.task())) {
        assertThat(s.entries().stream().filter(o -> o != e && overlap(o, e)))
            .as("%s runs alone", e.taskId())
            .isEmpty();
      }
    }
    assertThat(s.makespanMinutes())
        .isGreaterThanOrEqualTo(
            Math.max(g.criticalPathMinutes(), g.totalMinutes() / agents) - 1e-9);
  }

  /**
   * The policy replayed naively (every ready task re-sorted at every event): the simulator, with
   * its heaps and parked tasks, must start the very same tasks at the same times in the same slots.
   */
  @Property(tries = 300)
  void simulatorFollowsANaiveReplayOfThePolicy(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int size,
      @ForAll @IntRange(min = 1, max = 8) int agents) {
    TaskGraph g = randomPlan(seed, size, agents).graph();
    List<Schedule.Entry> expected = naiveSchedule(g, agents);
    assertThat(Simulator.simulate(g, agents).entries()).isEqualTo(expected);
  }

  private static List<Schedule.Entry> naiveSchedule(TaskGraph g, int agents) {
    int n = g.size();
    boolean[] started = new boolean[n];
    boolean[] done = new boolean[n];
    double[] end = new double[n];
    int[] slotOf = new int[n];
    List<Integer> running = new ArrayList<>();
    int[] available = new int[g.resourceCount()];
    for (int r = 0; r < available.length; r++) {
      available[r] = g.capacity(r);
    }
    List<Schedule.Entry> out = new ArrayList<>();
    double now = 0;
    while (true) {
      List<Integer> ready = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        boolean depsDone = true;
        for (int d : g.deps(t)) {
          depsDone &= done[d];
        }
        if (!started[t] && depsDone) {
          ready.add(t);
        }
      }
      ready.sort(
          java.util.Comparator.<Integer>comparingInt(g::priority)
              .thenComparing(t -> -g.rank(t))
              .thenComparingInt(t -> t));
      boolean alone = running.stream().anyMatch(g::exclusive);
      for (int t : ready) {
        if (alone || running.size() >= agents) {
          break;
        }
        if (g.exclusive(t) && !running.isEmpty()) {
          break;
        }
        boolean blocked = false;
        for (int c : g.conflicts(t)) {
          blocked |= running.contains(c);
        }
        int[] demand = g.demand(t);
        for (int k = 0; k < demand.length; k += 2) {
          blocked |= available[demand[k]] < demand[k + 1];
        }
        if (blocked) {
          continue;
        }
        for (int k = 0; k < demand.length; k += 2) {
          available[demand[k]] -= demand[k + 1];
        }
        int slot = 1;
        while (true) {
          int s = slot;
          if (running.stream().noneMatch(o -> slotOf[o] == s)) {
            break;
          }
          slot++;
        }
        started[t] = true;
        slotOf[t] = slot;
        end[t] = now + g.minutes(t);
        running.add(t);
        out.add(new Schedule.Entry(t, g.id(t), now, end[t], slot));
        alone = g.exclusive(t);
      }
      if (running.isEmpty()) {
        return out;
      }
      now = running.stream().mapToDouble(t -> end[t]).min().orElseThrow();
      for (int t : List.copyOf(running)) {
        if (end[t] == now) {
          running.remove(Integer.valueOf(t));
          done[t] = true;
          int[] demand = g.demand(t);
          for (int k = 0; k < demand.length; k += 2) {
            available[demand[k]] += demand[k + 1];
          }
        }
      }
    }
  }

  private static boolean overlap(Schedule.Entry a, Schedule.Entry b) {
    return a.start() < b.end() && b.start() < a.end() && a.end() > a.start() && b.end() > b.start();
  }
}
