package dev.braid.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.plan.TaskState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL at a random moment loses nothing it reported as committed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class StoreCrashTest {

  @TempDir Path tmp;

  @RepeatedTest(3)
  void everyReportedEndSurvivesAKillAndTheDatabaseIsIntact() {
    Path dir = tmp.resolve(".braid");
    String runId = "crash";
    int killAfter = ThreadLocalRandom.current().nextInt(1, 400);
    List<String> reported = new ArrayList<>();
    try (ChildProcess child = ChildProcess.start("write", dir.toString(), runId)) {
      assertThat(child.readLine()).isEqualTo("started " + child.pid());
      while (reported.size() < killAfter) {
        reported.add(ended(child.readLine()));
      }
      child.kill();
      // Lines it wrote before dying are still in the pipe.
      for (String line = child.readLine(); line != null; line = child.readLine()) {
        reported.add(ended(line));
      }
    }

    try (RunLock lock = Store.lock(dir);
        Store store = Store.open(dir)) {
      assertThat(store.integrityCheck()).isEqualTo("ok");
      Map<String, TaskRecord> tasks =
          store.tasks(runId).stream()
              .collect(Collectors.toMap(TaskRecord::taskId, Function.identity()));
      assertThat(tasks.keySet()).containsAll(reported);
      // Each task was written in one transaction: every task present is whole.
      assertThat(tasks.values()).allMatch(t -> t.state() == TaskState.SUCCEEDED);
      assertThat(store.attempts(runId)).hasSize(tasks.size());
      assertThat(store.events(runId, 0, Integer.MAX_VALUE)).hasSize(2 * tasks.size());
      // At most the one transaction committed between its last report and the kill.
      assertThat(tasks.size()).isBetween(reported.size(), reported.size() + 1);

      assertThat(store.markCrashedRuns(lock, java.time.Instant.now()))
          .extracting(RunRecord::runId, RunRecord::status)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(runId, RunStatus.CRASHED));
    }
  }

  private static String ended(String line) {
    assertThat(line).startsWith("ended ");
    return line.substring("ended ".length());
  }
}
