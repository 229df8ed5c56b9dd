package dev.braid.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.analysis.Conflicts;
import dev.braid.manifest.Estimate;
import dev.braid.manifest.Manifest;
import dev.braid.manifest.Risk;
import dev.braid.manifest.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  /** Seed 002's Slice 1.1, with the order its groups imply. */
  static Manifest slice11() {
    return Manifest.of(
        List.of(
            task("MONOREPO_STRUCTURE--T01", 15),
            task("CONTENT_HASH--T01", 12),
            task("ATOMIC_WRITER--T01", 18),
            task("SQLITE_SCHEMA--T01", 32)
                .withRisk(Risk.HIGH)
                .withParallel(false)
                .withDependsOn(List.of("MONOREPO_STRUCTURE--T01")),
            task("TESTKIT_INTEGRATION--T01", 10).withDependsOn(List.of("SQLITE_SCHEMA--T01")),
            task("METRICS_INFRA--T01", 15).withDependsOn(List.of("SQLITE_SCHEMA--T01"))));
  }

  static Task task(String id, double minutes) {
    return Task.of(id).withEst(Estimate.ofMinutes(minutes));
  }

  @Test
  void slice11WavesAndScheduleMatchTheSeed() {
    TaskGraph g = TaskGraph.of(slice11(), new Conflicts(List.of()));
    Forecast f = Forecast.of(g, 3);
    assertThat(f.serialMinutes()).isEqualTo(102);
    assertThat(f.groups()).extracting(Group::minutes).containsExactly(18.0, 32.0, 15.0);
    assertThat(f.groups())
        .extracting(Group::type)
        .containsExactly(Group.Type.PARALLEL, Group.Type.SERIAL, Group.Type.PARALLEL);
    assertThat(f.wavesMinutes()).isEqualTo(65);
    assertThat(f.makespanMinutes()).isLessThanOrEqualTo(65);
  }

  @Test
  void failureBlocksEveryTransitiveDependentAndNothingElse() {
    Manifest m =
        Manifest.of(
            List.of(
                task("A", 1),
                task("B", 1).withDependsOn(List.of("A")),
                task("C", 1).withDependsOn(List.of("B")),
                task("D", 1)));
    Scheduler s = new Scheduler(TaskGraph.of(m, new Conflicts(List.of())), 2);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(0, 3);
    assertThat(s.failed(0)).containsExactly(1, 2);
    s.succeeded(3);
    assertThat(s.poll()).isEmpty();
    assertThat(s.finished()).isTrue();
    assertThat(s.state(2)).isEqualTo(TaskState.BLOCKED);
    assertThat(s.state(3)).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void higherPriorityThenLongerChainStartsFirst() {
    Manifest m =
        Manifest.of(
            List.of(
                task("short", 1),
                task("long", 1),
                task("after-long", 50).withDependsOn(List.of("long")),
                task("urgent", 1).withPriority(1)));
    Scheduler s = new Scheduler(TaskGraph.of(m, new Conflicts(List.of())), 1);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(3);
    s.succeeded(3);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(1);
  }

  @Test
  void retryLaterWaitsForItsTimer() {
    Manifest m = Manifest.of(List.of(task("A", 1)));
    Scheduler s = new Scheduler(TaskGraph.of(m, new Conflicts(List.of())), 1);
    assertThat(s.poll()).hasSize(1);
    s.retry(0, false);
    assertThat(s.poll()).isEmpty();
    assertThat(s.finished()).isFalse();
    s.retryReady(0);
    assertThat(s.poll()).extracting(Scheduler.Launch::slot).containsExactly(1);
  }

  @Test
  void aReservedTaskBeingPromotedKeepsAParallelFalseTaskWaiting() {
    // A and B run, Q is reserved behind them, E (parallel: false) is next. Both ends are heard
    // before Q's start (it reached the process starter late): Q is promoted into a freed slot,
    // and E must still wait for it, as it would for any running task.
    Manifest m =
        Manifest.of(
            List.of(task("A", 4), task("B", 4), task("Q", 3), task("E", 1).withParallel(false)));
    Scheduler s = new Scheduler(TaskGraph.of(m, new Conflicts(List.of())), 2);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(0, 1);
    assertThat(s.reserve(4, t -> true)).containsExactly(2);
    s.succeeded(0);
    s.succeeded(1);
    assertThat(s.promotions()).extracting(Scheduler.Launch::task).containsExactly(2);
    assertThat(s.poll()).isEmpty();
    s.startReserved(2, 1);
    assertThat(s.poll()).isEmpty();
    s.succeeded(2);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(3);
  }

  @Test
  void restoredTasksAreNotRunAndSatisfyDependents() {
    Manifest m = Manifest.of(List.of(task("A", 1), task("B", 1).withDependsOn(List.of("A"))));
    Scheduler s = new Scheduler(TaskGraph.of(m, new Conflicts(List.of())), 2);
    s.restore(0, TaskState.SUCCEEDED);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(1);
  }

  @Test
  void aSucceededTaskThatFailsAfterAllBlocksItsPendingDependentsEvenOneWaitingToRetry() {
    Manifest m =
        Manifest.of(
            List.of(
                task("A", 1),
                task("B", 1).withDependsOn(List.of("A")),
                task("C", 1).withDependsOn(List.of("A")),
                task("D", 1).withDependsOn(List.of("C"))));
    Scheduler s = new Scheduler(TaskGraph.of(m, new Conflicts(List.of())), 1);
    assertThat(s.poll()).extracting(Scheduler.Launch::task).containsExactly(0);
    s.succeeded(0);
    int first = s.poll().get(0).task();
    s.retry(first, false); // failed once, waits for its backoff
    assertThat(s.finished()).isFalse();

    assertThat(s.failedAfterSucceeding(0)).containsExactlyInAnyOrder(1, 2, 3);

    assertThat(s.state(0)).isEqualTo(TaskState.FAILED);
    assertThat(s.poll()).isEmpty();
    assertThat(s.finished()).as("the retry it waited for no longer counts").isTrue();
    assertThat(s.unfinished()).isZero();
    assertThatThrownBy(() -> s.failedAfterSucceeding(1))
        .hasMessage("task B is BLOCKED, not SUCCEEDED");
  }

  @Test
  void everyStateMoveIsInTheTable() {
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        if (from.canMoveTo(to)) {
          assertThat(from.moveTo(to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.moveTo(to))
              .hasMessage("task cannot move from " + from + " to " + to);
        }
      }
    }
  }
}
