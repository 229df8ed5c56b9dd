package dev.braid.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

  @Test
  void outsideABatchNothingIsDeferred() {
    assertThat(Batches.defer(() -> {})).isFalse();
  }

  @Test
  void anActionDeferredSeveralTimesRunsOnceAfterTheDeliveriesInOrder() {
    List<String> log = new ArrayList<>();
    Runnable turn = () -> log.add("turn");
    Runnable other = () -> log.add("other");
    Batches.deliver(
        () -> {
          log.add("event 1");
          assertThat(Batches.defer(turn)).isTrue();
          log.add("event 2");
          assertThat(Batches.defer(other)).isTrue();
          assertThat(Batches.defer(turn)).isTrue();
        });
    assertThat(log).containsExactly("event 1", "event 2", "turn", "other");
    assertThat(Batches.defer(turn)).as("the batch is over").isFalse();
  }

  @Test
  void anActionRunAfterTheBatchIsNotItselfDeferred() {
    List<String> log = new ArrayList<>();
    Runnable[] turn = new Runnable[1];
    turn[0] = () -> log.add(Batches.defer(turn[0]) ? "deferred again" : "ran");
    Batches.deliver(() -> Batches.defer(turn[0]));
    assertThat(log).containsExactly("ran");
  }
}
