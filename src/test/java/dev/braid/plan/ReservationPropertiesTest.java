package dev.braid.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Scheduler#reserve}: a runner that hands the next tasks to its process starter ahead of
 * time (braid-spawn's queue) must make the same decisions as one that starts every task itself.
 *
 * <p>The replay below models both sides of a real run: the process starter, which sees a task end
 * the moment it ends and then starts the head of its queue in the freed slot; and the runner (the
 * scheduler's owner), which hears of each start and end {@code lag} minutes later, in the order the
 * starter reported them, and then promotes, polls and reserves. Some tasks fail, some of them once
 * and then succeed on a retry.
 */
class ReservationPropertiesTest {

  /** A task started at {@code at} (the starter's clock) in {@code slot}. */
  record Start(int task, double at, int slot) {}

  /** What happened, on the starter's clock. */
  record Replay(List<Start> starts, List<double[]> spans, List<Integer> spanTask) {}

  @Property(tries = 300)
  void reservingAheadChangesNoDecision(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 50) int size,
      @ForAll @IntRange(min = 1, max = 6) int agents,
      @ForAll @IntRange(min = 1, max = 12) int depth) {
    TaskGraph g = plan(seed, size, agents);
    List<Start> plain = replay(g, agents, 0, 0, seed).starts();
    List<Start> ahead = replay(g, agents, depth, 0, seed).starts();
    assertThat(ahead.stream().map(s -> g.id(s.task()) + "@" + s.at()).toList())
        .isEqualTo(plain.stream().map(s -> g.id(s.task()) + "@" + s.at()).toList());
  }

  @Property(tries = 300)
  void reservingAheadKeepsEveryRuleWhenTheRunnerLags(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 50) int size,
      @ForAll @IntRange(min = 1, max = 6) int agents,
      @ForAll @IntRange(min = 1, max = 12) int depth,
      @ForAll @IntRange(min = 0, max = 40) int lagTenths) {
    TaskGraph g = plan(seed, size, agents);
    Replay r = replay(g, agents, depth, lagTenths / 10.0, seed);
    List<double[]> spans = r.spans();
    List<Integer> who = r.spanTask();
    for (int i = 0; i < spans.size(); i++) {
      int t = who.get(i);
      double[] a = spans.get(i);
      int running = 0;
      Set<Integer> slots = new HashSet<>();
      for (int j = 0; j < spans.size(); j++) {
        double[] b = spans.get(j);
        if (b[0] <= a[0] && a[0] < b[1]) {
          running++;
          slots.add((int) b[2]);
          int o = who.get(j);
          if (o != t) {
            assertThat(g.conflicts(t)).as("%s overlaps %s", g.id(t), g.id(o)).doesNotContain(o);
            assertThat(g.exclusive(t) || g.exclusive(o))
                .as("%s and %s run together", g.id(t), g.id(o))
                .isFalse();
          }
        }
      }
      for (int d : g.deps(t)) {
        boolean ended = false;
        for (int j = 0; j < spans.size(); j++) {
          ended |= who.get(j) == d && spans.get(j)[1] <= a[0];
        }
        assertThat(ended).as("%s starts after %s ended", g.id(t), g.id(d)).isTrue();
      }
      assertThat(running).as("running at %s", a[0]).isLessThanOrEqualTo(agents);
      assertThat(slots).as("slots in use at %s", a[0]).hasSize(running);
      assertThat(a[2]).isBetween(1.0, (double) agents);
    }
  }

  /** Random plans as in {@link SchedulerPropertiesTest}, some tasks with a retry. */
  private static TaskGraph plan(long seed, int size, int agents) {
    return SchedulerPropertiesTest.randomPlan(seed, size, agents, true).graph();
  }

  /** Whether attempt {@code attempt} of {@code t} fails: some fail once, a few for good. */
  private static boolean fails(long seed, int t, int attempt) {
    long h = (seed * 31 + t) * 0x9E3779B97F4A7C15L;
    int kind = Math.floorMod(h >>> 7, 9);
    return kind == 0 || (kind == 1 && attempt == 1);
  }

  private static double duration(long seed, int t, int attempt, TaskGraph g) {
    long h = (seed * 17 + t * 131L + attempt) * 0xBF58476D1CE4E5B9L;
    return g.minutes(t) * (0.5 + Math.floorMod(h >>> 11, 100) / 100.0);
  }

  /**
   * Replays a run. Events: a task's processes end (the starter's side); the runner hears of a start
   * or an end {@code lag} later. {@code depth} 0: nothing is reserved.
   */
  static Replay replay(TaskGraph g, int agents, int depth, double lag, long seed) {
    Scheduler s = new Scheduler(g, agents);
    int n = g.size();
    int[] attempt = new int[n];
    int[] slotOf = new int[n];
    double[] startedAt = new double[n];
    Deque<Integer> queue = new ArrayDeque<>(); // the starter's queue
    List<Start> starts = new ArrayList<>();
    List<double[]> spans = new ArrayList<>();
    List<Integer> spanTask = new ArrayList<>();
    // events: {time, seq, kind, task, slot}; kind 0 = ends (starter), 1 = heard started, 2 = heard
    // ended
    PriorityQueue<double[]> events =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
    long[] seq = {0};
    var at =
        new Object() {
          void add(double time, int kind, int task, int slot) {
            events.add(new double[] {time, seq[0]++, kind, task, slot});
          }

          /**
           * The starter starts t in slot now; the runner hears of it later unless it started it.
           */
          void start(double now, int t, int slot, boolean heard) {
            attempt[t]++;
            slotOf[t] = slot;
            startedAt[t] = now;
            starts.add(new Start(t, now, slot));
            add(now + duration(seed, t, attempt[t], g), 0, t, slot);
            if (heard) {
              add(now + lag, 1, t, slot);
            }
          }

          /** The runner's turn: promotions, polls and reservations, after what it heard. */
          void turn(double now) {
            for (Scheduler.Launch p : s.promotions()) {
              if (queue.remove(p.task())) {
                start(now, p.task(), p.slot(), true);
              }
            }
            for (Scheduler.Launch l : s.poll()) {
              start(now, l.task(), l.slot(), false);
            }
            if (depth > 0) {
              queue.addAll(s.reserve(depth, t -> true));
            }
          }
        };
    at.turn(0);
    while (!events.isEmpty()) {
      double[] e = events.poll();
      double now = e[0];
      int kind = (int) e[2];
      int t = (int) e[3];
      int slot = (int) e[4];
      switch (kind) {
        case 0 -> {
          spans.add(new double[] {startedAt[t], now, slotOf[t]});
          spanTask.add(t);
          if (!queue.isEmpty()) {
            at.start(now, queue.poll(), slot, true); // heard before this end
          }
          at.add(now + lag, 2, t, slot);
        }
        case 1 -> {
          s.startReserved(t, slot);
          at.turn(now);
        }
        default -> {
          if (!fails(seed, t, attempt[t])) {
            s.succeeded(t);
          } else if (attempt[t] <= g.task(t).retries()) {
            s.retry(t, true);
          } else {
            s.failed(t);
          }
          at.turn(now);
        }
      }
    }
    assertThat(s.finished()).isTrue();
    assertThat(s.reserved()).isZero();
    return new Replay(starts, spans, spanTask);
  }
}
